"""The pages the benchmark measures, with concrete addresses picked from the database at scale.

Used by bench/run.py (load) and bench/explain.py (EXPLAIN of every query). Needs Django set up.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from common.paging import encode_cursor, row_values, unique_ordering
from events.models import Event, Occurrence
from members.models import Organisation
from partnerships.models import District, Partnership


def last_page(count):
    return max(1, -(-count // settings.PAGE_SIZE))


def middle_of_agenda(now, upcoming):
    """The keyset link of the agenda's middle page, as its "next" link from the page before names it."""
    dates = unique_ordering(Occurrence.objects.public().upcoming(now))
    number = max(2, last_page(upcoming) // 2)
    before = dates[(number - 1) * settings.PAGE_SIZE - 1]
    return encode_cursor(number, row_values(dates, before))


def pages():
    """[(name, path)] of the measured pages; the deep pages last."""
    now = timezone.now()
    today = timezone.localdate()
    partnership = (
        Partnership.objects.public()
        .annotate(n=Count("memberships", filter=Q(memberships__until__isnull=True)))
        .order_by("-n", "pk")
        .first()
    )
    district = District.objects.annotate(n=Count("partnerships")).order_by("-n", "pk").first()
    organisation = (
        Organisation.objects.public().annotate(n=Count("memberships")).order_by("-n", "pk").only("slug").first()
    )
    series = (
        Event.objects.public().exclude(recurrence="").filter(occurrences__end__gte=now).order_by("start", "pk").first()
    )
    sector = Organisation.Sector.PUBLIC
    organisations = Organisation.objects.public().filter(sector=sector).count()
    partnerships = Partnership.objects.public().count()
    upcoming = Occurrence.objects.public().upcoming(now).count()
    past = Occurrence.objects.public().past(now).count()
    org_list = reverse("members:organisation_list")
    agenda = reverse("events:list")
    return [
        ("home", reverse("home")),
        ("partnership list", reverse("partnerships:list")),
        ("partnership detail", partnership.get_absolute_url()),
        ("organisation list, filtered", f"{org_list}?{urlencode({'sektor': sector})}"),
        ("district detail", district.get_absolute_url()),
        ("organisation detail", organisation.get_absolute_url()),
        ("agenda", agenda),
        ("month calendar", reverse("events:month", kwargs={"year": today.year, "month": today.month})),
        ("event detail", series.get_absolute_url()),
        ("search", reverse("search") + "?" + urlencode({"q": "biblioteka mokotow"})),
        # The most common words at scale: a district's name (tens of thousands of matches) and a common noun.
        ("search, a district", reverse("search") + "?" + urlencode({"q": "zoliborz"})),
        ("search, a common word", reverse("search") + "?" + urlencode({"q": "biblioteka"})),
        ("iCal feed", reverse("events:ical") + "?" + urlencode({"dzielnica": district.slug})),
        ("partnership list, last page", f"{reverse('partnerships:list')}?page={last_page(partnerships)}"),
        (
            "organisation list, last page",
            f"{org_list}?{urlencode({'sektor': sector, 'page': last_page(organisations)})}",
        ),
        # Dates leave the agenda as they end, so its last page can vanish during a run: three pages before it.
        ("agenda, last page", f"{agenda}?page={max(1, last_page(upcoming) - 3)}"),
        ("agenda, middle page", f"{agenda}?po={middle_of_agenda(now, upcoming)}"),
        ("archive, last page", f"{reverse('events:archive')}?page={last_page(past)}"),
    ]


def first_pages():
    """The first page of each list whose last page is measured: (name of the deep page, first page's path)."""
    org_list = reverse("members:organisation_list")
    return {
        "partnership list, last page": reverse("partnerships:list"),
        "organisation list, last page": f"{org_list}?{urlencode({'sektor': Organisation.Sector.PUBLIC})}",
        "agenda, last page": reverse("events:list"),
        "agenda, middle page": reverse("events:list"),
        "archive, last page": reverse("events:archive"),
    }


__all__ = ["pages", "first_pages", "timedelta"]
