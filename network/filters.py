"""The exchange's filters (django-filter): kind, district, partnership and the words of its text, each choice with
how many of the listed entries it has."""

import django_filters
from django import forms
from django.db.models import Count, Q
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

from .models import ExchangeEntry


class ExchangeFilter(CountedChoices, django_filters.FilterSet):
    q = NameSearchFilter(widget=forms.SearchInput, also=("partnership__search_text",))
    rodzaj = ChoiceFilter(
        field_name="kind",
        choices=ExchangeEntry.Kind.choices,
        label=_("Rodzaj wpisu"),
        empty_label=_("wszystkie rodzaje"),
        message=_("Nie ma takiego rodzaju wpisu – wybierz z listy."),
    )
    dzielnica = DistrictFilter(field_name="district")
    partnerstwo = PartnershipChoiceFilter(field_name="partnership")

    class Meta:
        model = ExchangeEntry
        fields = []

    def label_counts(self, form):
        """Counts of the listed entries (anonymous visitors share them; they change as entries expire)."""
        as_text = fit_partnership_field(form)
        kinds, per_district, per_partnership = cached_fragment(
            "counts:exchange", self.counts, request=self.request, moves_with_time=True
        )
        show_counts(form, "rodzaj", kinds)
        show_counts(form, "dzielnica", per_district)
        if not as_text:
            show_counts(form, "partnerstwo", per_partnership)

    def counts(self):
        base = self.queryset.order_by()
        kinds = base.aggregate(**{value: Count("pk", filter=Q(kind=value)) for value in ExchangeEntry.Kind.values})
        per_district = dict(base.values_list("district").annotate(n=Count("pk")).values_list("district", "n"))
        per_partnership = dict(base.values_list("partnership").annotate(n=Count("pk")).values_list("partnership", "n"))
        return kinds, per_district, per_partnership
