"""Filters of the public directories (django-filter), shared by the apps."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import District, Partnership
from .text import fold


class DistrictFilter(django_filters.ModelChoiceFilter):
    """Filter by a district's slug, so filtered addresses read ?dzielnica=wola."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", District.objects.only("pk", "name", "slug", "sort_name"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Dzielnica"))
        kwargs.setdefault("empty_label", _("wszystkie dzielnice"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Nie znamy takiej dzielnicy – wybierz ją z listy.")})
        super().__init__(*args, **kwargs)


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose wrong value gets a specific Polish message."""

    def __init__(self, *args, message, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": message})
        super().__init__(*args, **kwargs)


class NameSearchFilter(django_filters.CharFilter):
    """Every typed word must appear in the object's searchable text.

    Both sides are folded to lower-case ASCII, so "zoliborz", "ŻOLIBORZ" and
    "Żoliborz" match the same rows on SQLite and PostgreSQL alike.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "search_text")
        kwargs.setdefault("label", _("Szukaj"))
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("error_messages", {"max_length": _("Wpisz krócej – najwyżej 200 znaków.")})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        query = Q()
        for word in fold(value).split()[:8]:
            query &= Q(**{f"{self.field_name}__contains": word})
        return qs.filter(query) if query else qs


class PartnershipFilter(django_filters.FilterSet):
    q = NameSearchFilter(widget=forms.SearchInput)
    dzielnica = DistrictFilter(field_name="districts")
    rodzaj = ChoiceFilter(
        field_name="kind",
        choices=Partnership.Kind.choices,
        label=_("Rodzaj"),
        empty_label=_("wszystkie rodzaje"),
        message=_("Nie ma takiego rodzaju partnerstwa – wybierz z listy."),
    )
    stan = ChoiceFilter(
        field_name="status",
        choices=Partnership.Status.choices,
        label=_("Stan"),
        empty_label=_("każdy stan"),
        message=_("Nie ma takiego stanu partnerstwa – wybierz z listy."),
    )

    class Meta:
        model = Partnership
        fields = []
