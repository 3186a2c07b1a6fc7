"""The home page and the network's own pages."""

from datetime import timedelta

from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.cache import cached_fragment
from events.models import Occurrence
from members.models import Organisation
from network.models import Facts, Page
from partnerships.models import Partnership

UPCOMING_ON_HOME = 6
WEEK_AHEAD = timedelta(days=7)

# Labels of the sector figures on the home page: plural, as a heading over a number.
SECTOR_FIGURE_LABELS = {
    Organisation.Sector.NGO: _("Organizacje pozarządowe"),
    Organisation.Sector.PUBLIC: _("Instytucje publiczne"),
    Organisation.Sector.BUSINESS: _("Firmy"),
    Organisation.Sector.INFORMAL: _("Grupy nieformalne"),
    Organisation.Sector.RELIGIOUS: _("Wspólnoty wyznaniowe"),
    Organisation.Sector.OTHER: _("Inne podmioty"),
}


def network_figures(now):
    """The network in numbers, in three queries whatever its size.

    Only what the public can see counts: published partnerships, and published
    organisations that are current members of a published partnership.
    """
    today = timezone.localdate(now)
    partnerships = Partnership.objects.public().aggregate(
        partnerships=Count("pk", distinct=True), districts=Count("districts", distinct=True)
    )
    current_member = Q(memberships__partnership__is_published=True) & (
        Q(memberships__until__isnull=True) | Q(memberships__until__gte=today)
    )
    by_sector = dict(
        Organisation.objects.public()
        .filter(current_member)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("pk", distinct=True))
    )
    sectors = [
        {"sector": sector, "label": SECTOR_FIGURE_LABELS[sector], "count": by_sector[sector]}
        for sector in Organisation.Sector.values
        if by_sector.get(sector)
    ]
    # The dates still to come, counted as the agenda counts them ("Znaleziono N terminów"): the same number.
    upcoming = Occurrence.objects.public().upcoming(now).order_by().count()
    return {
        "partnerships": partnerships["partnerships"],
        "districts": partnerships["districts"],
        "organisations": sum(by_sector.values()),
        "sectors": sectors,
        "upcoming_dates": upcoming,
    }


def home(request):
    """The network in numbers and the week ahead: the next dates, grouped by day in the page.

    When the coming week is quiet the list goes on with later dates, up to UPCOMING_ON_HOME.
    """
    now = timezone.now()
    dates = Occurrence.objects.public().upcoming(now)
    today = timezone.localdate(now)
    context = {
        # The same for every visitor (only published rows): computed once per change of the data and minute,
        # see common/cache/version.py.
        # The figures count upcoming events too: ten minutes old at most (a costly count at scale).
        "figures": cached_fragment("network-figures", lambda: network_figures(now), moves_with_time=600),
        "upcoming_events": cached_fragment(
            "home-upcoming", lambda: list(dates.for_cards()[:UPCOMING_ON_HOME]), moves_with_time=True
        ),
        "week_count": cached_fragment(
            "home-week-count", dates.filter(start__lt=now + WEEK_AHEAD).order_by().count, moves_with_time=True
        ),
        "today": today,
        "tomorrow": today + timedelta(days=1),
    }
    return render(request, "home.html", context)


# The network's pages that sit under "O sieci" in the breadcrumbs.
UNDER_ABOUT = {Page.Key.EASY_READ, Page.Key.BORIS, Page.Key.JOIN}


def network_page(request, key):
    """One of the network's own pages, as staff wrote it (network.Page), with the contacts from network.Facts.

    The published page of the visitor's language, else the Polish one (marked lang="pl"); without either the
    page says it is not ready yet. The accessibility statement keeps its statutory structure in its template.
    """
    language = get_language()
    page = Page.objects.shown(key, language)
    context = {
        "key": key,
        "page": page,
        "facts": Facts.current(),
        "title": page.title if page else Page.Key(key).label,
        "text_language": page.language if page and page.language != language else "",
        "under_about": key in UNDER_ABOUT,
    }
    template = "pages/accessibility.html" if key == Page.Key.ACCESSIBILITY else "pages/page.html"
    return render(request, template, context)


page_urls = [
    path(route, network_page, {"key": key}, name=key)
    for route, key in (
        (_("siec/"), Page.Key.ABOUT),
        (_("siec/tekst-latwy-do-czytania/"), Page.Key.EASY_READ),
        (_("siec/boris/"), Page.Key.BORIS),
        (_("siec/jak-dolaczyc/"), Page.Key.JOIN),
        (_("deklaracja-dostepnosci/"), Page.Key.ACCESSIBILITY),
        (_("prywatnosc/"), Page.Key.PRIVACY),
    )
]
