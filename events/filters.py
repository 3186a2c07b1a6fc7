"""Filters of the public event lists (upcoming and archive)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from partnerships.filters import ChoiceFilter, DistrictFilter
from partnerships.models import Partnership

from .models import Event


class EventFilter(django_filters.FilterSet):
    rodzaj = ChoiceFilter(
        field_name="kind",
        choices=Event.Kind.choices,
        label=_("Rodzaj wydarzenia"),
        empty_label=_("wszystkie rodzaje"),
        message=_("Nie ma takiego rodzaju wydarzenia – wybierz go z listy."),
    )
    dzielnica = DistrictFilter(method="filter_district")
    partnerstwo = django_filters.ModelChoiceFilter(
        field_name="organisers",
        queryset=Partnership.objects.public().only("pk", "name", "slug", "sort_name"),
        to_field_name="slug",
        label=_("Partnerstwo"),
        empty_label=_("wszystkie partnerstwa"),
        error_messages={"invalid_choice": _("Nie znamy takiego partnerstwa – wybierz je z listy.")},
    )

    class Meta:
        model = Event
        fields = []

    def filter_district(self, queryset, name, value):
        """Held in the district or organised by a partnership working there (each event once)."""
        return queryset.in_district(value) if value else queryset
