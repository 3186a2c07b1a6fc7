"""Filters of the public organisations directory."""

import django_filters
from django import forms
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from common.cache import cached_fragment
from partnerships.filters import (
    ChoiceFilter,
    CountedChoices,
    DistrictFilter,
    NameSearchFilter,
    PartnershipChoiceFilter,
    fit_partnership_field,
    show_counts,
)

from .models import Membership, Organisation


class OrganisationFilter(CountedChoices, django_filters.FilterSet):
    q = NameSearchFilter(widget=forms.SearchInput, also=("district__search_text",))
    sektor = ChoiceFilter(
        field_name="sector",
        choices=Organisation.Sector.choices,
        label=_("Sektor"),
        empty_label=_("wszystkie sektory"),
        message=_("Nie ma takiego sektora – wybierz go z listy."),
    )
    dzielnica = DistrictFilter(field_name="district")
    partnerstwo = PartnershipChoiceFilter(method="filter_partnership")

    class Meta:
        model = Organisation
        fields = []

    def label_counts(self, form):
        """Counts of the listed organisations (shared by anonymous visitors)."""
        long_list = fit_partnership_field(form)
        per_sector, per_district, members = cached_fragment(
            f"counts:organisations:{long_list}", lambda: self.counts(long_list), request=self.request
        )
        show_counts(form, "sektor", per_sector)
        show_counts(form, "dzielnica", per_district)
        if not long_list:
            show_counts(form, "partnerstwo", members)

    def counts(self, long_list):
        """Organisations per sector, per district and (for a short list of partnerships) per partnership."""
        base = self.queryset.order_by()
        # COUNT(*): answered from the partial indexes on sector and district alone (see Organisation.Meta).
        per_sector = base.values_list("sector").annotate(n=Count("*")).values_list("sector", "n")
        per_district = base.values_list("district").annotate(n=Count("*")).values_list("district", "n")
        members = {}
        if not long_list:
            members = (
                Membership.objects.current()
                .filter(organisation__in=base.values("pk"))
                .values_list("partnership")
                .annotate(n=Count("organisation", distinct=True))
                .values_list("partnership", "n")
            )
        return dict(per_sector), dict(per_district), dict(members)

    def filter_partnership(self, queryset, name, value):
        """Organisations that are members of the partnership today (an EXISTS, so no duplicates)."""
        if not value:
            return queryset
        current = Membership.objects.current().filter(organisation=OuterRef("pk"), partnership=value)
        return queryset.filter(Exists(current))
