"""Filters of the public organisations directory."""

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from partnerships.filters import ChoiceFilter, DistrictFilter, NameSearchFilter, show_counts
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
    q = NameSearchFilter(widget=forms.SearchInput, also=("district__search_text",))
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

    @property
    def form(self):
        """The form, its choices labelled with counts of the listed organisations (three queries in all)."""
        if not hasattr(self, "_form"):
            form = super().form
            base = self.queryset.order_by()
            per_sector = base.values_list("sector").annotate(n=Count("pk")).values_list("sector", "n")
            show_counts(form, "sektor", dict(per_sector))
            per_district = base.values_list("district").annotate(n=Count("pk")).values_list("district", "n")
            show_counts(form, "dzielnica", dict(per_district))
            members = (
                Membership.objects.current()
                .filter(organisation__in=base.values("pk"))
                .values_list("partnership")
                .annotate(n=Count("organisation", distinct=True))
                .values_list("partnership", "n")
            )
            show_counts(form, "partnerstwo", dict(members))
        return self._form

    def filter_partnership(self, queryset, name, value):
        """Organisations that are members of the partnership today (an EXISTS, so no duplicates)."""
        if not value:
            return queryset
        current = Membership.objects.current().filter(organisation=OuterRef("pk"), partnership=value)
        return queryset.filter(Exists(current))
