"""Template helpers of the agenda: event cards, absolute links, subscription links and JSON-LD."""

import functools
from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.language import in_polish, lang_attribute

from ..dates import day_words
from ..models import Occurrence
from ..structured import json_for_script, subscription_links

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` with the scheme and host of the current request (for iCal links and embed snippets)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag(takes_context=True)
def subscribe_links(context, path, name):
    """webcal://, Google and Outlook links that subscribe to the iCal feed at `path`."""
    return subscription_links(absolute_url(context, path), name)


@register.filter
def json_ld(data):
    """Data as JSON that is safe inside <script type="application/ld+json">."""
    return json_for_script(data)


@register.simple_tag(takes_context=True)
def feed_links_for(context, scope, obj):
    """The feeds, subscription links and widget of a partnership (scope "partnership") or a district."""
    if scope == "partnership":
        params, name = {"partnerstwo": obj.slug}, _("Wydarzenia: %(name)s") % {"name": obj.name}
        ical_path = reverse("events:ical_partnership", kwargs={"slug": obj.slug})
        widget_path = reverse("events:widget_partnership", kwargs={"slug": obj.slug})
    else:
        params, name = {"dzielnica": obj.slug}, _("Wydarzenia WSPL – dzielnica %(name)s") % {"name": obj.name}
        ical_path = reverse("events:ical_district", kwargs={"slug": obj.slug})
        widget_path = reverse("events:widget_district", kwargs={"slug": obj.slug})
    query = urlencode(params)
    return {
        "query": query,
        "name": name,
        "ical_path": ical_path,
        "rss_path": f"{reverse('events:rss')}?{query}",
        "atom_path": f"{reverse('events:atom')}?{query}",
        "subscribe": subscription_links(absolute_url(context, ical_path), name),
        "widget_path": widget_path,
        "widget_url": absolute_url(context, widget_path),
    }


@register.simple_tag
def event_card(event, occurrence=None, heading="h3"):
    """One event in a list: its title and link, when, what kind, where and who organises it.

    `event` comes with its place and published organisers (Event.objects.for_cards() or
    Occurrence.objects.for_cards()); `occurrence` is the date to show, by default the event's next date when the
    list knows it (Event.objects.upcoming(), with whether it is cancelled or moved), else its first; `heading` is
    "h2", "h3" or "h4". A cancelled date is marked "odwołane" and a moved one "nowy termin", on every list alike.

    The card is written here, not in a template: an agenda page shows twenty of them, and the template engine's
    work per node (and format_html's per value) was most of such a page's time when nothing is cached. Every value
    from the data is escaped with html.escape, as Django's escape() does. The title and a reason for cancelling are
    Polish on English pages too, and say so (common/language.py); places and organisers are names.
    """
    if occurrence is not None:
        start, end = occurrence.start, occurrence.end
        cancelled, moved = occurrence.is_cancelled, occurrence.moved
    else:
        # Without a date, the next one the list knows (Event.objects.upcoming() annotates its status), else none.
        start, end = event.shown_start, event.shown_end
        cancelled = event.is_cancelled or getattr(event, "next_status", None) == Occurrence.Status.CANCELLED
        moved = bool(getattr(event, "next_moved", False))
    heading = heading if heading in HEADINGS else "h3"
    url = occurrence.get_absolute_url() if occurrence is not None else event.get_absolute_url()
    mark = ""
    if cancelled:
        mark = f' <span class="badge-warn">{escape(_("odwołane"))}</span>'
        if occurrence is not None and occurrence.reason:
            mark += f'<span class="small">: {in_polish(escape(occurrence.reason))}</span>'
    elif moved:
        mark = f' <span class="badge-soft">{escape(_("nowy termin"))}</span>'
        if occurrence is not None:
            mark += f' <span class="small">{escape(moved_from(occurrence))}</span>'
    recurrence = ""
    if event.recurrence:
        rule = _("Spotkanie cykliczne: %(rule)s") % {"rule": event.recurrence_text()}
        recurrence = f'\n    <p class="card-text small mb-1">{escape(rule)}</p>'
    if event.place_id is not None:
        place = f'<span class="visually-hidden">{escape(_("Miejsce:"))} </span>{escape(event.place.name)}'
    else:
        place = escape(_("Spotkanie online") if event.online_url else _("Miejsce zostanie podane"))
    names = [organiser.name for organiser in event.organisers.all()]
    if names:
        organisers = "{} {}".format(_("Organizatorzy:") if len(names) > 1 else _("Organizator:"), ", ".join(names))
    else:
        organisers = _("Wydarzenie całej sieci WSPL")
    kind = escape(event.get_kind_display())
    return mark_safe(
        f'<article class="card event-card h-100 position-relative{" border-danger" if cancelled else ""}">\n'
        f'  <div class="card-body">\n'
        f'    <{heading} class="card-title h5"{lang_attribute()}><a href="{escape(url)}">{escape(event.title)}</a>'
        f"</{heading}>\n"
        f'    <p class="event-date mb-1">{event_when(start, end, event.all_day)}</p>\n'
        f'    <p class="mb-2"><span class="badge-soft">{kind}</span>{mark}</p>{recurrence}\n'
        f'    <p class="card-text small mb-1">{place}</p>\n'
        f'    <p class="card-text small muted mb-0">{escape(organisers)}</p>\n'
        f"  </div>\n"
        f"</article>"
    )


HEADINGS = {"h2", "h3", "h4"}


@register.simple_tag
def moved_from(occurrence):
    """ "przeniesione z 7 grudnia": the day a moved date of a series would have been on."""
    day = timezone.localtime(occurrence.original_start).date()
    return _("przeniesione z %(day)s") % {"day": date_format(day, "j E")}


@register.simple_tag
def agenda_day_heading(day):
    """The heading of a day in the agenda: <h3 id="dzien-2026-04-14"><time …>Wtorek, 14 kwietnia 2026</time></h3>.

    It depends on the day and the language alone, and a page of far-off dates has a day for each of its
    twenty dates, so each heading is made once per process (a bounded LRU)."""
    return _agenda_day_heading(day, get_language())


@functools.lru_cache(maxsize=4096)
def _agenda_day_heading(day, language):
    return format_html(
        '<h3 id="dzien-{0}" class="h5 border-bottom pb-1"><time datetime="{0}">{1}</time></h3>',
        day.isoformat(),
        capfirst(date_format(day, "l, j E Y")),
    )


def _day_words(day):
    """ "wtorek, 14 kwietnia 2026", escaped: Polish day names are common nouns, so lower-case in a sentence."""
    words = day_words(day)
    return escape(f"{words.weekday.lower() if get_language() == 'pl' else words.weekday}, {words.date}")


def _time(moment, *, with_time):
    """<time datetime="…">wtorek, 14 kwietnia 2026[, 18:00]</time>."""
    if with_time:
        return mark_safe(f'<time datetime="{moment.isoformat()}">{_day_words(moment.date())}, {moment:%H:%M}</time>')
    day = moment.date()
    return mark_safe(f'<time datetime="{day.isoformat()}">{_day_words(day)}</time>')


@register.simple_tag
def event_when(start, end, all_day):
    """When an event happens, in the site's time zone: "wtorek, 14 kwietnia 2026, 18:00–20:00".

    An all-day event shows its date only; one that spans days shows both ends. A tag, not a
    template: an agenda page shows it dozens of times (and written with f-strings, not format_html, for the same
    reason: every value but the day's words, which are escaped, is a date or a time).
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    same_day = start.date() == end.date()
    if all_day:
        if same_day or end.timestamp() <= start.timestamp() + 86400:
            return _time(start, with_time=False)
        return _time(start, with_time=False) + mark_safe(" – ") + _time(end, with_time=False)
    if same_day:
        return mark_safe(
            f'<time datetime="{start.isoformat()}">{_day_words(start.date())}, {start:%H:%M}–{end:%H:%M}</time>'
        )
    return _time(start, with_time=True) + mark_safe(" – ") + _time(end, with_time=True)
