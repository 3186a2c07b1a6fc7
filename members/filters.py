"""Filters of the public organisations directory."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partnerships.filters import ChoiceFilter, DistrictFilter, NameSearchFilter
from partnerships.models import Partnership

from .models import Membership, Organisation


class PartnershipFilter(django_filters.ModelChoiceFilter):
    """Pick a published partnership by its slug: ?partnerstwo=nasze-stegny."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Partnership.objects.public().only("pk", "name", "slug", "sort_name"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Partnerstwo"))
        kwargs.setdefault("empty_label", _("wszystkie partnerstwa"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Nie znamy takiego partnerstwa – wybierz je z listy.")}
        )
        super().__init__(*args, **kwargs)


class OrganisationFilter(django_filters.FilterSet):
    q = NameSearchFilter(widget=forms.SearchInput)
    sektor = ChoiceFilter(
        field_name="sector",
        choices=Organisation.Sector.choices,
        label=_("Sektor"),
        empty_label=_("wszystkie sektory"),
        message=_("Nie ma takiego sektora – wybierz go z listy."),
    )
    dzielnica = DistrictFilter(field_name="district")
    partnerstwo = PartnershipFilter(method="filter_partnership")

    class Meta:
        model = Organisation
        fields = []

    def filter_partnership(self, queryset, name, value):
        """Organisations that are members of the partnership today (an EXISTS, so no duplicates)."""
        if not value:
            return queryset
        current = Membership.objects.current().filter(organisation=OuterRef("pk"), partnership=value)
        return queryset.filter(Exists(current))
