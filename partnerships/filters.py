"""Filters of the public directories (django-filter), shared by the apps."""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Count, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from slugify import slugify

from common.cache import cached_fragment
from common.words import match_words

from .models import District, Partnership, Place

# Up to this many published partnerships the partnership filter is a list to pick from; above it a text box.
PARTNERSHIP_SELECT_LIMIT = 60


class ListedChoices(django_filters.fields.ModelChoiceIterator):
    """The choices read in one plain query.

    Django reads a model choice field's options through `queryset.iterator()`, which on PostgreSQL opens a
    server-side cursor (DECLARE, FETCH, CLOSE): for eighteen districts on every filtered list that is twice the
    time of reading them as a list.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class DistrictChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoices


class DistrictFilter(django_filters.ModelChoiceFilter):
    """Filter by a district's slug, so filtered addresses read ?dzielnica=wola."""

    field_class = DistrictChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", District.objects.only("pk", "name", "slug", "sort_name"))
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("label", _("Dzielnica"))
        kwargs.setdefault("empty_label", _("wszystkie dzielnice"))
        kwargs.setdefault("error_messages", {"invalid_choice": _("Nie znamy takiej dzielnicy – wybierz ją z listy.")})
        super().__init__(*args, **kwargs)


class PartnershipChoiceField(forms.ModelChoiceField):
    """A published partnership, given by its address (slug) or its name.

    While the network is small it is a `<select>`. With more than PARTNERSHIP_SELECT_LIMIT
    partnerships a list would put hundreds of kilobytes into every agenda and directory page
    and be useless to scroll, so `fit()` makes it a text box: the visitor types the name, or a
    part of it that fits one partnership ("stegny"); diacritics and case do not matter. Links
    keep using the slug (?partnerstwo=nasze-stegny) either way.
    """

    widget_attrs_text = {"autocomplete": "off", "spellcheck": "false", "maxlength": "200"}

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset=queryset, **kwargs)
        self.is_text = False

    def fit(self, count):
        """Turn into a text box when `count` partnerships would make the list too long; True if it did."""
        if count > PARTNERSHIP_SELECT_LIMIT:
            self.widget = forms.TextInput(attrs=self.widget_attrs_text)
            self.help_text = _("Wpisz nazwę partnerstwa albo jej część, np. „Stegny”.")
            self.error_messages = {
                **self.error_messages,
                "invalid_choice": _("Nie znamy takiego partnerstwa – wpisz jego nazwę albo jej część."),
            }
            self.is_text = True
        return self.is_text

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        ProhibitNullCharactersValidator()(text)
        if len(text) > 200:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        rows = self.queryset.order_by("sort_name")
        for lookup in ({"slug": text}, {"slug": slugify(text)}):
            found = rows.filter(**lookup).first() if lookup["slug"] else None
            if found is not None:
                return found
        if not self.is_text or not slugify(text):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        matches = list(rows.filter(slug__contains=slugify(text))[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                _("Nie znamy partnerstwa o nazwie „%(text)s” – sprawdź pisownię albo wpisz krótszy fragment."),
                code="invalid_choice",
                params={"text": text},
            )
        names = ", ".join(f"„{partnership.name}”" for partnership in matches[:5])
        if len(matches) > 5:
            message = _("Pasuje wiele partnerstw, m.in. %(names)s. Wpisz pełniejszą nazwę.")
        else:
            message = _("Pasuje kilka partnerstw: %(names)s. Wpisz pełniejszą nazwę.")
        raise forms.ValidationError(message, code="ambiguous", params={"names": names})


def published_partnership_count():
    """How many partnerships are published (cached per data version)."""
    return cached_fragment("partnerships:published-count", lambda: Partnership.objects.public().count())


class PartnershipChoiceFilter(django_filters.ModelChoiceFilter):
    """Filter by a published partnership (?partnerstwo=nasze-stegny); see PartnershipChoiceField.

    The FilterSet's form calls `fit_partnership_field(form)` so that the field knows the size of the network.
    """

    field_class = PartnershipChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Partnership.objects.public().only("pk", "name", "slug", "sort_name"))
        kwargs.setdefault("label", _("Partnerstwo"))
        kwargs.setdefault("empty_label", _("wszystkie partnerstwa"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Nie znamy takiego partnerstwa – wybierz je z listy.")}
        )
        super().__init__(*args, **kwargs)


def fit_partnership_field(form, name="partnerstwo"):
    """A text box instead of a list when the network is large; True when the field became one."""
    return form.fields[name].fit(published_partnership_count())


class ChoiceFilter(django_filters.ChoiceFilter):
    """A choice filter whose wrong value gets a specific Polish message."""

    def __init__(self, *args, message, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": message})
        super().__init__(*args, **kwargs)


class NameSearchFilter(django_filters.CharFilter):
    """Every typed word must appear in the object's searchable text, by the site's one word rule
    (common.words: the site search and the coordinator's search read words the same way).

    Both sides are folded to lower-case ASCII, so "zoliborz", "ŻOLIBORZ" and
    "Żoliborz" match the same rows on SQLite and PostgreSQL alike; a word matches as the
    start or a part of a longer one ("moko"), and words shorter than three characters are
    left out. `also` names related searchable text that may hold a word instead (e.g. the
    districts a partnership works in, so "Żoliborz" finds „Sady Żoliborskie”); it is matched
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
        return match_words(qs, value, self.field_name, *self.also)


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


class CountedChoices:
    """A FilterSet whose form labels its choices with row counts, once: `label_counts(form)` does it."""

    @property
    def form(self):
        form = super().form  # made once by django-filter and kept on the filterset
        if not getattr(self, "counts_shown", False):
            self.label_counts(form)
            self.counts_shown = True
        return form

    def label_counts(self, form):
        raise NotImplementedError


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
        """The form, its choices labelled with counts of the listed partnerships (two queries, shared by visitors)."""
        form = super().form  # made once by django-filter and kept on the filterset
        if not getattr(self, "counts_shown", False):
            totals, per_district = cached_fragment("counts:partnerships", self.counts, request=self.request)
            show_counts(form, "rodzaj", {value: totals[f"kind_{value}"] for value in Partnership.Kind.values})
            show_counts(form, "stan", {value: totals[f"status_{value}"] for value in Partnership.Status.values})
            show_counts(form, "forma", {value: totals[f"formal_{value}"] for value in Partnership.FormalStatus.values})
            show_counts(form, "warunek", {key: totals[f"condition_{key}"] for key, _label in Partnership.CONDITIONS})
            show_counts(form, "dzielnica", per_district)
            self.counts_shown = True
        return form

    def counts(self):
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
        per_district = (
            base.values_list("districts").annotate(n=Count("pk", distinct=True)).values_list("districts", "n")
        )
        return totals, dict(per_district)


class PlaceFilter(django_filters.FilterSet):
    """Places by name and district (the district page links here: ?dzielnica=mokotow)."""

    q = NameSearchFilter(widget=forms.SearchInput)
    dzielnica = DistrictFilter(field_name="district")

    class Meta:
        model = Place
        fields = []
