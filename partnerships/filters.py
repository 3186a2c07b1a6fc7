"""Filters of the public directories (django-filter), shared by the apps."""

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils.text import format_lazy
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
    "Żoliborz" match the same rows on SQLite and PostgreSQL alike. `also` names
    related searchable text that may hold a word instead (e.g. the districts a
    partnership works in, so "Żoliborz" finds „Sady Żoliborskie”); it is matched
    through a subquery, so a row never comes twice.
    """

    def __init__(self, *args, also=(), **kwargs):
        self.also = tuple(also)
        kwargs.setdefault("field_name", "search_text")
        kwargs.setdefault("label", _("Szukaj"))
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("error_messages", {"max_length": _("Wpisz krócej – najwyżej 200 znaków.")})
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        query = Q()
        for word in fold(value).split()[:8]:
            matches = Q(**{f"{self.field_name}__contains": word})
            for related in self.also:
                matches |= Q(pk__in=qs.model._default_manager.filter(**{f"{related}__contains": word}).values("pk"))
            query &= matches
        return qs.filter(query) if query else qs


def with_count(label, count):
    """A choice's label with how many rows it has: "działające (12)"."""
    return format_lazy("{label} ({count})", label=label, count=count)


def show_counts(form, name, counts):
    """Add row counts to the labels of a choice field (its empty choice stays as it is)."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField):
        field.label_from_instance = lambda obj: with_count(obj, counts.get(obj.pk, 0))
    else:
        # django-filter's choice fields add their empty choice themselves when choices are set.
        adds_empty = getattr(field, "empty_label", None) is not None
        field.choices = [
            (value, with_count(label, counts.get(value, 0)) if value else label)
            for value, label in field.choices
            if value or not adds_empty
        ]


class PartnershipFilter(django_filters.FilterSet):
    """Partnerships by name, district, kind, state, formal status and met condition, each choice with its count."""

    q = NameSearchFilter(widget=forms.SearchInput, also=("districts__search_text",))
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
    forma = ChoiceFilter(
        field_name="formal_status",
        choices=Partnership.FormalStatus.choices,
        label=_("Forma współpracy"),
        empty_label=_("każda forma"),
        message=_("Nie ma takiej formy współpracy – wybierz ją z listy."),
    )
    warunek = ChoiceFilter(
        method="filter_condition",
        choices=Partnership.CONDITIONS,
        label=_("Spełniony warunek rozwoju"),
        empty_label=_("dowolny"),
        message=_("Nie ma takiego warunku – wybierz go z listy."),
    )

    class Meta:
        model = Partnership
        fields = []

    def filter_condition(self, queryset, name, value):
        """Partnerships that meet one of the six conditions (the value is checked against the choices)."""
        return queryset.filter(**{f"condition_{value}": True}) if value else queryset

    @property
    def form(self):
        """The form, its choices labelled with counts of the listed partnerships (two queries in all)."""
        if not hasattr(self, "_form"):
            form = super().form
            base = self.queryset.order_by()
            totals = base.aggregate(
                **{f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in Partnership.Kind.values},
                **{f"status_{value}": Count("pk", filter=Q(status=value)) for value in Partnership.Status.values},
                **{
                    f"formal_{value}": Count("pk", filter=Q(formal_status=value))
                    for value in Partnership.FormalStatus.values
                },
                **{
                    f"condition_{key}": Count("pk", filter=Q(**{f"condition_{key}": True}))
                    for key, _label in Partnership.CONDITIONS
                },
            )
            show_counts(form, "rodzaj", {value: totals[f"kind_{value}"] for value in Partnership.Kind.values})
            show_counts(form, "stan", {value: totals[f"status_{value}"] for value in Partnership.Status.values})
            show_counts(form, "forma", {value: totals[f"formal_{value}"] for value in Partnership.FormalStatus.values})
            show_counts(form, "warunek", {key: totals[f"condition_{key}"] for key, _label in Partnership.CONDITIONS})
            show_counts(
                form,
                "dzielnica",
                dict(
                    base.values_list("districts").annotate(n=Count("pk", distinct=True)).values_list("districts", "n")
                ),
            )
        return self._form
