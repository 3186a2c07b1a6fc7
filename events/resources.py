"""Events as a file for BORIS staff (CSV or XLSX, see common/imports.py); dates and times in Warsaw's time."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from common import imports
from partnerships.models import Partnership, Place
from partnerships.resources import SlugFromNameResource

from .models import Event


class EventResource(SlugFromNameResource):
    place = Field(
        attribute="place",
        column_name="miejsce",
        widget=imports.LookupWidget(
            Place, also=("name__iexact",), unknown=_("Nieznane miejsce „%(value)s” (podaj jego slug).")
        ),
    )
    organisers = Field(
        attribute="organisers",
        column_name="organizatorzy",
        widget=imports.LookupManyWidget(
            Partnership, unknown=_("Nieznane partnerstwo: %(value)s (podaj slugi partnerstw, rozdzielone przecinkami).")
        ),
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
