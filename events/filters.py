"""Filters of the agenda: kind, district, partnership and a date range.

They filter dates (Occurrence rows), so a series appears on each of its days and
an event co-organised by several partnerships still appears once per date (the
organiser conditions are EXISTS subqueries, never joins that multiply rows).
The same conditions on Event rows serve the iCal feeds.
"""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from common.cache import cached_fragment
from common.validators import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR
from partnerships.filters import (
    ChoiceFilter,
    DistrictFilter,
    PartnershipChoiceFilter,
    fit_partnership_field,
    show_counts,
    with_count,
)
from partnerships.models import District, Partnership

from .models import Event, Occurrence
from .recurrence import aware

# What a partnership's slug can be (a SlugField of at most 100 characters): anything else is nobody's old slug.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def renamed_partnership_slug(slug):
    """The current slug of the published partnership that `slug` was an address of before a rename, or None
    (also for anything that is not a slug). Read as the partnership's page redirects (renamed_from)."""
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return None
    renamed = Partnership.objects.public().only("slug").renamed_from(slug)
    return renamed.slug if renamed is not None else None


class PartnershipRenamed(Exception):
    """An address names a published partnership by a slug it had before a rename: it answers 301 to the same
    address with `new` instead of `old`, in the path (`in_path`) or in ?partnerstwo= (events.views.follows_renames).
    """

    def __init__(self, old, new, *, in_path):
        super().__init__(old, new)
        self.old, self.new, self.in_path = old, new, in_path


def organised_by(partnership, *, event_ref="pk"):
    """EXISTS: the event (OuterRef `event_ref`) is organised by this partnership."""
    through = Event.organisers.through.objects
    return Exists(through.filter(event_id=OuterRef(event_ref), partnership=partnership))


def in_district(district, *, prefix=""):
    """Held in the district, or organised by a published partnership working there.

    `prefix` is "" for Event rows and "event__" for Occurrence rows. `district` is a District, or OuterRef("pk")
    when the rows are counted per district in a subquery of a query of districts.
    """
    event_ref = "event_id" if prefix else "pk"
    organisers_district = OuterRef(district) if isinstance(district, OuterRef) else district  # one level deeper
    through = Event.organisers.through.objects.filter(
        event_id=OuterRef(event_ref), partnership__is_published=True, partnership__districts=organisers_district
    )
    return Q(**{f"{prefix}place__district": district}) | Q(Exists(through))


def count_of(dates):
    """A subquery: how many of `dates` there are (no GROUP BY, so 0 when there are none)."""
    return Subquery(
        dates.order_by().annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    )


def districts_with_date_counts(dates, districts=None):
    """The districts, each annotated with `n`: how many of `dates` (Occurrence rows) are in it by in_district's rule
    (a date held in a district and organised there counts once). One query."""
    districts = District.objects.all() if districts is None else districts
    return districts.annotate(n=count_of(dates.filter(in_district(OuterRef("pk"), prefix="event__"))))


def count_choices(field, annotated):
    """Show `n` of each row of `annotated` (the field's queryset with counts) after its label in the choice list.
    The counts are read with the choices, when the list is rendered: none when the page comes from the cache."""
    field.queryset = annotated
    field.label_from_instance = lambda row: with_count(row, row.n)


def day_start(day):
    """Midnight at the start of a day in Warsaw, as an aware moment."""
    return aware(datetime.combine(day, time.min))


def event_conditions(cleaned):
    """The Event-level Q of a valid filter form's data (for the feeds)."""
    condition = Q()
    if cleaned.get("rodzaj"):
        condition &= Q(kind=cleaned["rodzaj"])
    if cleaned.get("dzielnica"):
        condition &= in_district(cleaned["dzielnica"])
    if cleaned.get("partnerstwo"):
        condition &= Q(organised_by(cleaned["partnerstwo"]))
    return condition


class DateRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("od"), cleaned.get("do")
        if start and end and end < start:
            self.add_error(
                "do", _("Data końcowa jest wcześniejsza niż początkowa – zamień je albo popraw jedną z nich.")
            )
        return cleaned


def _date_filter(label, method):
    return django_filters.DateFilter(
        method=method,
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(FIRST_DAY, _("Podaj datę od 2000 roku.")),
            MaxValueValidator(LAST_DAY, _("Podaj datę najpóźniej z 2100 roku.")),
        ],
        error_messages={"invalid": _("Podaj datę w postaci RRRR-MM-DD, np. 2026-04-14.")},
    )


class EventFilter(django_filters.FilterSet):
    """Kind, district and partnership of the dates in the agenda, the month calendar and the feeds."""

    rodzaj = ChoiceFilter(
        field_name="event__kind",
        choices=Event.Kind.choices,
        label=_("Rodzaj wydarzenia"),
        empty_label=_("wszystkie rodzaje"),
        message=_("Nie ma takiego rodzaju wydarzenia – wybierz go z listy."),
    )
    dzielnica = DistrictFilter(method="filter_district")
    partnerstwo = PartnershipChoiceFilter(method="filter_partnership")

    class Meta:
        model = Occurrence
        fields = []

    @property
    def form(self):
        form = super().form  # made once by django-filter and kept on the filterset
        if not getattr(self, "partnership_field_fitted", False):
            self.partnership_is_text = fit_partnership_field(form)
            self.partnership_field_fitted = True
        return form

    def show_counts(self, name, dates, *, moves_with_time=False):
        """Label each choice with how many of `dates` it would list, as the directories do. The kinds' counts are
        kept under `name` per data version; the districts' and partnerships' are read with their lists."""
        form = self.form
        kinds = cached_fragment(
            name,
            lambda: dict(dates.order_by().values_list("event__kind").annotate(n=Count("pk"))),
            request=self.request,
            moves_with_time=moves_with_time,
        )
        show_counts(form, "rodzaj", kinds)
        districts = form.fields["dzielnica"]
        count_choices(districts, districts_with_date_counts(dates, districts.queryset))
        if not self.partnership_is_text:
            partnerships = form.fields["partnerstwo"]
            organised = dates.filter(event__organisers=OuterRef("pk"))
            count_choices(partnerships, partnerships.queryset.annotate(n=count_of(organised)))

    def labels(self):
        """The chosen district, partnership and kind in words, for the title of a feed of the same dates."""
        cleaned = self.form.cleaned_data if self.is_valid() else {}
        labels = [str(value) for value in (cleaned.get("dzielnica"), cleaned.get("partnerstwo")) if value]
        if cleaned.get("rodzaj"):
            labels.append(str(Event.Kind(cleaned["rodzaj"]).label))
        return labels

    def filter_district(self, queryset, name, value):
        """Held in the district or organised by a partnership working there (each date once)."""
        return queryset.filter(in_district(value, prefix="event__")) if value else queryset

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(organised_by(value, event_ref="event_id")) if value else queryset

    def check_partnership_renamed(self):
        """Raise PartnershipRenamed when ?partnerstwo= is an earlier slug of a published partnership.

        Asked only when the value is not the slug of the partnership the filter picked, so today's addresses cost
        no query. An old slug is nobody's now (the filter finds it wrong) or, once the field is a text box, may be
        part of another partnership's slug (the filter would pick that one): the rename comes first either way.
        """
        value = self.data.get("partnerstwo") if self.data else None
        if not value:
            return
        self.is_valid()
        picked = self.form.cleaned_data.get("partnerstwo")
        if getattr(picked, "slug", None) == value:
            return
        new = renamed_partnership_slug(value)
        if new is not None:
            raise PartnershipRenamed(value, new, in_path=False)

    def feed_params(self):
        """The valid filter values as query parameters for a feed of the same events ({} when invalid)."""
        if not self.is_valid():
            return {}
        cleaned = self.form.cleaned_data
        params = {}
        for name in ("rodzaj", "dzielnica", "partnerstwo"):
            value = cleaned.get(name)
            if value:
                params[name] = getattr(value, "slug", value)
        return params


class AgendaFilter(EventFilter):
    """The agenda and the archive also take a date range."""

    od = _date_filter(_("Od dnia"), "filter_from")
    do = _date_filter(_("Do dnia"), "filter_to")

    class Meta(EventFilter.Meta):
        form = DateRangeForm

    def filter_from(self, queryset, name, value):
        """Dates still going on at the start of that day."""
        return queryset.filter(end__gt=day_start(value))

    def filter_to(self, queryset, name, value):
        """Dates that begin by the end of that day."""
        return queryset.filter(start__lt=day_start(value + timedelta(days=1)))


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CalendarFilter(EventFilter):
    """The month calendar's filters, and a month and a year to jump to (they filter nothing themselves)."""

    miesiac = ChoiceFilter(
        method="keep",
        choices=[(str(number), name) for number, name in MONTHS.items()],
        label=_("Miesiąc"),
        empty_label=None,
        message=_("Nie ma takiego miesiąca – wybierz go z listy."),
    )
    rok = IntegerFilter(
        method="keep",
        label=_("Rok"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": _("Rok to liczba, np. 2026."),
            "min_value": _("Kalendarz zaczyna się w 2000 roku."),
            "max_value": _("Kalendarz kończy się na 2100 roku."),
        },
    )

    def keep(self, queryset, name, value):
        return queryset
