"""Events as a file for BORIS staff (CSV or XLSX, see common/imports.py); dates and times in Warsaw's time."""

from django.utils.translation import gettext_lazy as _

from common import imports
from partnerships.models import Partnership, Place
from partnerships.resources import SlugFromNameResource

from .models import Event


class EventResource(SlugFromNameResource):
    place = imports.related_column(
        "place", "miejsce", Place, also=("name__iexact",), unknown=_("Nieznane miejsce „%(value)s” (podaj jego slug).")
    )
    organisers = imports.related_column(
        "organisers",
        "organizatorzy",
        Partnership,
        many=True,
        unknown=_("Nieznane partnerstwo: %(value)s (podaj slugi partnerstw, rozdzielone przecinkami)."),
    )

    slug_from = "title"
    related = ("place",)
    prefetch = ("organisers",)

    class Meta:
        model = Event
        name = _("Wydarzenia")
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "kind",
            "start",
            "end",
            "all_day",
            "recurrence",
            "place",
            "online_url",
            "organisers",
            "audience",
            "description",
            "registration_url",
            "status",
            "cancellation_reason",
            "is_published",
        )
