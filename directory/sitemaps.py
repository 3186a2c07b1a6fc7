"""sitemap.xml and robots.txt: what search engines may read, in both languages.

/sitemap.xml is an index of one sitemap per kind (/sitemap-partnerstwa.xml, …, split into
pages of 50 000 addresses by Django when a kind grows that large). Each lists published
objects only, every address in Polish and in English with `xhtml:link` alternates
(hreflang, x-default = the Polish page). A kind's items are read in one query (Django
builds the language pairs from one list), so the index costs one query per kind and a
sitemap one query, whatever the size of the network.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from events.models import Event, Occurrence
from members.models import Organisation
from partnerships.models import District, Partnership, Place, Position, WorkingGroup
from practices.models import Practice

# Dates of a series get their own pages; the next few months of them are listed.
OCCURRENCES_AHEAD = timedelta(days=92)
EVENTS_BACK = timedelta(days=365)


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_latest_lastmod(self):
        """No date in the index: it would cost a second query per kind (each <url> has its own lastmod)."""
        return None


class PagesSitemap(I18nSitemap):
    """The home page, the directories and the network's own pages."""

    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "partnerships:list",
            "partnerships:district_list",
            "partnerships:place_list",
            "members:organisation_list",
            "events:list",
            "events:archive",
            "events:month_current",
            "events:subscribe_help",
            "partnerships:general_meeting_list",
            "partnerships:working_group_list",
            "partnerships:position_list",
            "practices:list",
            "about",
            "easy_read",
            "boris",
            "join",
            "support",
            "logo",
            "accessibility",
            "privacy",
            "open_data",
            "nearby",
        ]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "home" else 0.6


class PartnershipSitemap(I18nSitemap):
    changefreq = "weekly"
    priority = 0.9

    def items(self):
        return Partnership.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class DistrictSitemap(I18nSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return District.objects.only("slug").order_by("pk")


class OrganisationSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Organisation.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PlaceSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Place.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(I18nSitemap):
    """Published events of the last year and later, and every series; older ones are reached through the archive."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        since = timezone.now() - EVENTS_BACK
        return (
            Event.objects.public()
            .filter(Q(start__gte=since) | ~Q(recurrence=""))
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class OccurrenceSitemap(I18nSitemap):
    """The coming dates of recurring events, each with its own page (a single event's page is in EventSitemap)."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        now = timezone.now()
        return (
            Occurrence.objects.public()
            .filter(end__gte=now, start__lt=now + OCCURRENCES_AHEAD)
            .exclude(event__recurrence="")
            .select_related("event")
            .only("start", "event__slug", "event__recurrence", "event__updated_at")
            .order_by("start", "pk")
        )

    def lastmod(self, item):
        return item.event.updated_at


class WorkingGroupSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return WorkingGroup.objects.public().only("slug").order_by("pk")


class PositionSitemap(I18nSitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return Position.objects.public().only("slug", "adopted_on").order_by("pk")

    def lastmod(self, item):
        return item.adopted_on


class PracticeSitemap(I18nSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Practice.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "strony": PagesSitemap,
    "partnerstwa": PartnershipSitemap,
    "dzielnice": DistrictSitemap,
    "organizacje": OrganisationSitemap,
    "miejsca": PlaceSitemap,
    "wydarzenia": EventSitemap,
    "terminy": OccurrenceSitemap,
    "zespoly": WorkingGroupSitemap,
    "stanowiska": PositionSitemap,
    "dobre-praktyki": PracticeSitemap,
}


def private_prefixes():
    """The areas robots stay out of, in every language: the admin, the coordinator area and accounts."""
    prefixes = []
    for code, _name in settings.LANGUAGES:
        start = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        with translation.override(code):
            prefixes += [f"{start}admin/", start + gettext("moje/"), start + gettext("konto/")]
    return list(dict.fromkeys(prefixes))


@require_GET
def robots_txt(request):
    # /health/: the probes of the proxy and the monitoring (wspl_site/health.py), nothing for a reader.
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in private_prefixes()), "Disallow: /i18n/"]
    lines.append("Disallow: /health/")
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
