"""Public pages of the agenda: upcoming dates by day, the archive, the month calendar, one event,
the iCal, RSS and Atom feeds and the embeddable widgets.

Lists work on dates (Occurrence rows): a series appears on each of its days, an event
with several organisers once per date. Every page runs a fixed number of queries.
"""

from datetime import date, timedelta
from functools import wraps
from urllib.parse import quote, unquote_plus, urlencode

from csp.decorators import csp_replace
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseBadRequest, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from common.cache import cached_fragment
from common.paging import PublicFilterView
from partnerships.models import District, Partnership

from . import ical
from .dates import day_words
from .filters import (
    AgendaFilter,
    CalendarFilter,
    EventFilter,
    PartnershipRenamed,
    day_start,
    event_conditions,
    in_district,
    organised_by,
    renamed_partnership_slug,
)
from .models import MINUTES_KINDS, Event, Minutes, Occurrence
from .structured import event_json_ld, google_calendar_url, outlook_url, subscription_links

FIRST_YEAR, LAST_YEAR = 2000, 2100
PER_DAY_IN_CALENDAR = 4
SERIES_DATES_SHOWN = 12
WIDGET_DEFAULT, WIDGET_MAX = 5, 20


def absolute(request):
    return request.build_absolute_uri


# --- renamed partnerships --------------------------------------------------------------------------
# A renamed partnership's feeds and widget stay where residents subscribed to them: an address with an old slug
# (events.filters.renamed_partnership_slug) answers 301 to the same address with the current one.


def renamed_address(request, renamed):
    """This request's address with the partnership's current slug in place of the old one, in the path or in
    ?partnerstwo=; the language prefix and every other parameter stay exactly as they were."""
    query = request.META.get("QUERY_STRING", "")
    if renamed.in_path:
        match = request.resolver_match
        path = reverse(match.view_name, kwargs={**match.kwargs, "slug": renamed.new})
    else:
        path = request.path

        def names_old(piece):
            name, _equals, value = piece.partition("=")
            return unquote_plus(name) == "partnerstwo" and unquote_plus(value) == renamed.old

        query = "&".join(f"partnerstwo={quote(renamed.new)}" if names_old(p) else p for p in query.split("&"))
    return f"{path}?{query}" if query else path


def follows_renames(view):
    """The view, answering PartnershipRenamed with a 301 to the current address.

    The exception passes through every cached_fragment on its way, so nothing is stored for the old address, and
    the page cache keeps only 200 responses: the redirect is worked out afresh each time (one query).
    """

    @wraps(view)
    def view_or_redirect(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PartnershipRenamed as renamed:
            return HttpResponsePermanentRedirect(renamed_address(request, renamed))

    return view_or_redirect


def public_partnership(slug):
    """The published partnership at `slug` (its pk, name and slug); PartnershipRenamed for an old slug of one,
    else a 404."""
    try:
        return Partnership.objects.public().only("pk", "name", "slug").get(slug=slug)
    except Partnership.DoesNotExist:
        new = renamed_partnership_slug(slug)
        if new is None:
            raise Http404 from None
        raise PartnershipRenamed(slug, new, in_path=True) from None


def feed_links(request, params, name):
    """Paths of the iCal, RSS and Atom feeds of the same events, and the ways to subscribe."""
    query = urlencode(params)
    suffix = f"?{query}" if query else ""
    ical_path = reverse("events:ical") + suffix
    return {
        "query": query,
        "ical_path": ical_path,
        "rss_path": reverse("events:rss") + suffix,
        "atom_path": reverse("events:atom") + suffix,
        "subscribe": subscription_links(request.build_absolute_uri(ical_path), name),
    }


@method_decorator(follows_renames, name="dispatch")
class AgendaView(PublicFilterView):
    """Dates that have not ended yet, soonest first, grouped by day in the page."""

    filterset_class = AgendaFilter
    template_name = "events/event_list.html"
    archive = False
    moves_with_time = True  # dates move from the agenda to the archive as they end
    # Built once (the queryset is cloned for each request, as ListView does): what a date needs for its card.
    queryset = Occurrence.objects.public().for_cards()

    def get_queryset(self):
        now = timezone.now()
        dates = super().get_queryset()
        return dates.past(now) if self.archive else dates.upcoming(now)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.check_partnership_renamed()
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive"] = self.archive
        now, dates = timezone.now(), Occurrence.objects.public()
        dates = dates.past(now) if self.archive else dates.upcoming(now)
        self.filterset.show_counts(f"counts:dates:archive={self.archive}", dates, moves_with_time=True)
        if self.filterset.is_valid():
            context["feeds"] = feed_links(self.request, self.filterset.feed_params(), _("Wydarzenia WSPL"))
        return context


class ArchiveView(AgendaView):
    """Dates that have ended, the most recent first."""

    archive = True


def month_bounds(year, month):
    """The first day of the month, the first day of the next, and the Monday-to-Sunday grid around them."""
    first = date(year, month, 1)
    after = date(year + (month == 12), month % 12 + 1, 1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = after + timedelta(days=(7 - after.weekday()) % 7)
    return first, after, grid_start, grid_end


def shift_month(year, month, by):
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


@method_decorator(follows_renames, name="dispatch")
class MonthCalendarView(FilterView):
    """A month as an accessible table (Monday first), with filters; the months before and after are a link away."""

    filterset_class = CalendarFilter
    template_name = "events/event_calendar.html"
    strict = True
    queryset = Occurrence.objects.public()  # built once, cloned for each request

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        year, month = kwargs.get("year", today.year), kwargs.get("month", today.month)
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise Http404(_("Kalendarz obejmuje lata 2000–2100 i miesiące od 1 do 12."))
        data = request.GET.copy()
        jump = "rok" in data or "miesiac" in data
        data.setdefault("rok", str(year))
        data.setdefault("miesiac", str(month))
        self.filterset = CalendarFilter(data, queryset=self.queryset.all(), request=request)
        self.filterset.check_partnership_renamed()
        first, after, grid_start, grid_end = month_bounds(year, month)
        valid = self.filterset.is_valid()
        params = self.filterset.feed_params()
        if valid and jump:
            picked = (int(self.filterset.form.cleaned_data["rok"]), int(self.filterset.form.cleaned_data["miesiac"]))
            return redirect(self.month_url(*picked, params))

        # A month shows all its dates, past ones too: nothing here moves with the time. Its grid is rendered once
        # per data version and kept; the counts per day, kept too, give the month's total.
        def month_dates():
            return self.filterset.qs.filter(start__gte=day_start(grid_start), start__lt=day_start(grid_end))

        key = f"calendar:{year}-{month}:{urlencode(sorted(params.items()))}"
        in_month = self.queryset.filter(start__gte=day_start(first), start__lt=day_start(after))
        self.filterset.show_counts(f"counts:calendar:{year}-{month}", in_month)
        counts = (
            cached_fragment(f"{key}:counts", lambda: month_dates().count_per_day(), request=request) if valid else {}
        )

        def first_dates():
            # The events of the few dates shown are read after them (by primary key): joined into the ranking,
            # their whole rows would be read for every date of the month.
            events = Event.objects.only("title", "slug", "all_day", "recurrence", "status")
            dates = month_dates().first_per_day(PER_DAY_IN_CALENDAR).prefetch_related(Prefetch("event", events))
            return list(dates.order_by("start", "pk"))

        def grid():
            """The weeks of the month's grid, each day with its words, its first dates and how many more it has:
            worked out here, as plain values, so that the template only writes them out (a month shows 150 dates,
            each twice: in the table and in the list for phones)."""
            by_day = {}
            for occurrence in first_dates() if valid else []:
                local = timezone.localtime(occurrence.start)
                by_day.setdefault(occurrence.local_date, []).append(
                    {
                        "url": occurrence.get_absolute_url(),
                        "title": occurrence.event.title,
                        "time": "" if occurrence.event.all_day else f"{local:%H:%M}",
                        "datetime": local.isoformat(),
                        "cancelled": occurrence.is_cancelled,
                        "moved": occurrence.moved,
                    }
                )
            weeks, day = [], grid_start
            agenda = reverse("events:list")
            while day < grid_end:
                week = []
                for _weekday in range(7):
                    day_query = urlencode({**params, "od": day.isoformat(), "do": day.isoformat()})
                    shown = by_day.get(day, [])
                    week.append(
                        {
                            "date": day,
                            "words": day_words(day),
                            "in_month": first <= day < after,
                            "is_today": day == today,
                            "dates": shown,
                            "more": counts.get(day, 0) - len(shown),
                            "agenda_url": f"{agenda}?{day_query}",
                        }
                    )
                    day += timedelta(days=1)
                weeks.append(week)
            in_month = [d for week in weeks for d in week if d["in_month"] and d["dates"]]
            values = {"month_start": first, "weeks": weeks, "in_month": in_month, "filter_errors": not valid}
            return render_to_string("events/month_grid.html", values, request)

        month_grid = cached_fragment(f"{key}:grid:{translation.get_language()}", grid, request=request)
        previous, following = shift_month(year, month, -1), shift_month(year, month, 1)
        self.object_list = ()
        context = self.get_context_data(
            filter=self.filterset,
            month_start=first,
            month_grid=month_grid,
            month_total=sum(n for d, n in counts.items() if first <= d < after),
            # The month's counts are in the filters: /kalendarz/ shows another month once this one is over.
            filters_fragment=f"filters:{year}-{month}",
            previous_url=self.month_url(*previous, params) if previous[0] >= FIRST_YEAR else "",
            next_url=self.month_url(*following, params) if following[0] <= LAST_YEAR else "",
            today_url=self.month_url(today.year, today.month, params),
            is_current_month=(year, month) == (today.year, today.month),
            filters_active=sum(1 for name in ("rodzaj", "dzielnica", "partnerstwo") if self.request.GET.get(name)),
            feeds=feed_links(request, params, _("Wydarzenia WSPL")) if valid else None,
        )
        return self.render_to_response(context)

    def month_url(self, year, month, params):
        url = reverse("events:month", kwargs={"year": year, "month": month})
        return f"{url}?{urlencode(params)}" if params else url


class EventDetailView(DetailView):
    """One event; for a series, one of its dates (the next one, or the one in the address)."""

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).for_cards()

    def get_object(self, queryset=None):
        """The event with its dates; the same for every anonymous visitor, so shared per data version."""

        found = super().get_object

        def read():
            event = found(queryset)
            return event, list(event.occurrences.listed().order_by("start", "pk")), minutes_of(event, self.request.user)

        event, self.dates, self.minutes = cached_fragment(f"event:{self.kwargs['slug']}", read, request=self.request)
        return event

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        now = timezone.now()
        dates = self.dates
        for occurrence in dates:
            occurrence.event = event
        if not dates:  # only when rows were bulk-inserted without their dates
            dates = [Occurrence(event=event, start=event.start, end=event.end, original_start=event.start)]
        day = self.kwargs.get("day")
        if day is not None:
            current = next((o for o in dates if o.local_date == day), None)
            if current is None or not event.recurrence:
                raise Http404(_("Tego dnia to wydarzenie się nie odbywa."))
        else:
            current = next((o for o in dates if o.end >= now), dates[-1])
        upcoming = [o for o in dates if o.end >= now]
        url_for = absolute(self.request)
        ical_event_path = reverse("events:ical_event", kwargs={"slug": event.slug})

        def details():
            add_to_calendar = {
                "google": google_calendar_url(event, current, url_for),
                "outlook": outlook_url(event, current, url_for),
                "office": outlook_url(event, current, url_for, service="office"),
            }
            values = {"event": event, "current": current, "ical_event_path": ical_event_path}
            return render_to_string("events/event/details.html", {**values, "add_to_calendar": add_to_calendar})

        # The details column, with its add-to-calendar links, is rendered once per date shown and data version and
        # kept (a minute at most: whether the date has passed moves with the time).
        host = self.request.build_absolute_uri("/")
        key = f"event-details:{event.pk}:{current.pk}:{translation.get_language()}:{host}"
        context.update(
            current=current,
            series_dates=upcoming[:SERIES_DATES_SHOWN],
            more_dates=max(len(upcoming) - SERIES_DATES_SHOWN, 0),
            past_dates=len(dates) - len(upcoming),
            json_ld=event_json_ld(event, current, url_for),
            details=cached_fragment(key, details, request=self.request, moves_with_time=True),
            ical_event_path=ical_event_path,
            minutes=self.minutes,
        )
        return context


def minutes_of(event, user):
    """The meeting's minutes the visitor may see (published ones; staff see a draft too), or None.

    Only the kinds of meeting that have minutes ask: every other event's page runs no query for them."""
    if event.kind not in MINUTES_KINDS:
        return None
    return Minutes.objects.visible_to(user).for_page().filter(event=event).first()


class SubscribeHelpView(TemplateView):
    """How to subscribe to the calendar, in plain Polish."""

    template_name = "events/subscribe_help.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["feeds"] = feed_links(self.request, {}, _("Wydarzenia WSPL"))
        return context


# --- iCal ------------------------------------------------------------------------------------------

FEED_CLOCK = 600


def _cached(request, key, compute, *, clock=FEED_CLOCK):
    """compute() for the feed `key` (what the address asks for), kept per data version (`cached_fragment`).

    Keyed by the language and the site's address too (the links in a feed are absolute); with
    `clock` also by the time (FEED_CLOCK seconds), since a feed's window moves with it: calendar
    apps ask every hour or so, and an event that ended minutes ago may stay that long. Changes
    of the data show at once. A feed is built mostly from cached VEVENTs; a hit runs no query.
    A missing partnership or district raises Http404, and a renamed partnership's old slug
    PartnershipRenamed (a 301, see follows_renames): neither is ever cached.
    """
    name = f"ical:{key}:{translation.get_language()}:{request.build_absolute_uri('/')}"
    return cached_fragment(name, compute, moves_with_time=clock)


def _feed_text(request, condition, *, name):
    """The VCALENDAR of the events matching `condition` (see ical.feed_events for which)."""
    return ical.build_calendar(
        ical.feed_events(condition),
        name=name,
        absolute_url=absolute(request),
        description=_(
            "Wydarzenia Warszawskiej Sieci Partnerstw Lokalnych: do %(upcoming)d najbliższych "
            "i do %(recent)d zakończonych w ostatnich trzech miesiącach."
        )
        % {"upcoming": ical.FEED_UPCOMING, "recent": ical.FEED_RECENT},
    )


@follows_renames
def ical_feed(request):
    """The whole network, or any combination of the agenda's filters (?dzielnica=&partnerstwo=&rodzaj=)."""

    def compute():
        """(the feed, None), or (None, what is wrong with the filters)."""
        filterset = EventFilter(request.GET, queryset=Occurrence.objects.none(), request=request)
        filterset.check_partnership_renamed()
        if not filterset.is_valid():
            return None, "; ".join(str(e) for errors in filterset.form.errors.values() for e in errors)
        labels = filterset.labels()
        name = _("Wydarzenia WSPL") + (f" – {', '.join(labels)}" if labels else "")
        return _feed_text(request, event_conditions(filterset.form.cleaned_data), name=name), None

    # Only the filters' own parameters make the feed (and its errors); anything else is ignored.
    params = [(name, request.GET.getlist(name)) for name in sorted(EventFilter.base_filters)]
    body, errors = _cached(request, f"feed:{params!r}", compute)
    if errors is not None:
        return HttpResponseBadRequest(
            _("Nie da się przygotować kalendarza: %(errors)s") % {"errors": errors},
            content_type="text/plain; charset=utf-8",
        )
    return ical.calendar_response(body, filename="wspl-wydarzenia.ics")


@follows_renames
def ical_partnership(request, slug):
    def compute():
        partnership = public_partnership(slug)
        name = _("Wydarzenia: %(name)s") % {"name": partnership.name}
        return _feed_text(request, Q(organised_by(partnership)), name=name)

    return ical.calendar_response(_cached(request, f"partnership:{slug}", compute), filename=f"wspl-{slug}.ics")


def ical_district(request, slug):
    def compute():
        district = get_object_or_404(District.objects.only("pk", "name", "slug"), slug=slug)
        name = _("Wydarzenia WSPL – dzielnica %(name)s") % {"name": district.name}
        return _feed_text(request, in_district(district), name=name)

    return ical.calendar_response(_cached(request, f"district:{slug}", compute), filename=f"wspl-{slug}.ics")


def ical_kind(request, kind):
    if kind not in Event.Kind.values:
        raise Http404(_("Nie ma takiego rodzaju wydarzenia."))

    def compute():
        name = _("Wydarzenia WSPL – %(kind)s") % {"kind": Event.Kind(kind).label}
        return _feed_text(request, Q(kind=kind), name=name)

    return ical.calendar_response(_cached(request, f"kind:{kind}", compute), filename=f"wspl-{kind}.ics")


def ical_event(request, slug):
    """One event (a whole series with its exceptions) as an .ics file to download."""

    def compute():
        event = ical.single_event(slug)
        if event is None:
            raise Http404(_("Nie ma takiego wydarzenia."))
        return ical.build_calendar(Event.objects.filter(pk=event.pk), name=event.title, absolute_url=absolute(request))

    body = _cached(request, f"event:{slug}", compute, clock=False)
    return ical.calendar_response(body, filename=f"{slug}.ics", download=True)


# --- widgets ---------------------------------------------------------------------------------------


# Any site may frame them: no X-Frame-Options, and frame-ancestors * in place of the site's 'none'.
@method_decorator([xframe_options_exempt, csp_replace({"frame-ancestors": ["*"]}), follows_renames], name="dispatch")
class WidgetView(TemplateView):
    """Upcoming dates of a partnership or a district for other websites' iframes: no site chrome, no JavaScript.

    These are the only pages that may be shown in a frame; ?liczba= (1–20) sets how many dates.
    """

    template_name = "events/widget.html"
    scope = "partnership"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("liczba", "")
        limit = int(raw) if raw.isdigit() and 1 <= int(raw) <= WIDGET_MAX else WIDGET_DEFAULT
        dates = Occurrence.objects.public()
        if self.scope == "partnership":
            owner = public_partnership(kwargs["slug"])
            dates = dates.filter(organised_by(owner, event_ref="event_id"))
            context["agenda_url"] = reverse("events:list") + "?" + urlencode({"partnerstwo": owner.slug})
            context["ical_path"] = reverse("events:ical_partnership", kwargs={"slug": owner.slug})
        else:
            owner = get_object_or_404(District.objects.only("pk", "name", "slug"), slug=kwargs["slug"])
            dates = dates.filter(in_district(owner, prefix="event__"))
            context["agenda_url"] = reverse("events:list") + "?" + urlencode({"dzielnica": owner.slug})
            context["ical_path"] = reverse("events:ical_district", kwargs={"slug": owner.slug})
        context.update(owner=owner, scope=self.scope, dates=list(dates.upcoming().for_cards()[:limit]))
        return context
