"""Every URL pattern of the site, read from the URL resolver, requested with the data set's hostile texts in every
text field: as an anonymous visitor, as the partnership's coordinator and as staff. No 5xx, nothing executable in any
page, feed, calendar or data file. Then bad query parameters and odd methods on the public addresses.

The converters of each pattern are filled with real objects of the data set (`FILLS`, and the admin's own patterns
by their model); a pattern that is neither fillable nor in `NOT_WALKED` (with the reason) fails
`test_every_url_pattern_is_walked`, naming it, so a new page cannot skip the suite.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from directory.sitemaps import SITEMAPS
from tests.utils import admin_models

from . import totals
from .corpora import BAD_QUERIES, ODD_METHODS
from .inert import response_problems

pytestmark = pytest.mark.django_db


def walk(patterns=None, prefix="", namespaces=()):
    """(qualified name or None, route) of every URL pattern, through the resolver's public API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield name, prefix + str(pattern.pattern)


def takes_arguments(route):
    return "<" in route or "(" in route


def day_of(occurrence):
    return timezone.localtime(occurrence.start).date()


# name -> the URLs' reverse() kwargs (a list: one request each), from the data set `s`.
FILLS = {
    "sitemap_section": lambda s: [{"section": section} for section in SITEMAPS],
    "partnerships:detail": lambda s: [{"slug": s.partnership.slug}],
    "partnerships:contact": lambda s: [{"slug": s.partnership.slug}],
    "partnerships:contact_sent": lambda s: [{"slug": s.partnership.slug}],
    "partnerships:district_detail": lambda s: [{"slug": s.district.slug}],
    "partnerships:place_detail": lambda s: [{"slug": s.place.slug}],
    "partnerships:working_group_detail": lambda s: [{"slug": s.group.slug}],
    "partnerships:position_detail": lambda s: [{"slug": s.position.slug}],
    "members:organisation_detail": lambda s: [{"slug": s.organisation.slug}],
    "practices:detail": lambda s: [{"slug": s.practice.slug}],
    "events:month": lambda s: [{"year": day_of(s.occurrence).year, "month": day_of(s.occurrence).month}],
    "events:ical_partnership": lambda s: [{"slug": s.partnership.slug}],
    "events:ical_district": lambda s: [{"slug": s.district.slug}],
    "events:ical_kind": lambda s: [{"kind": s.event.kind}],
    "events:widget_partnership": lambda s: [{"slug": s.partnership.slug}],
    "events:widget_district": lambda s: [{"slug": s.district.slug}],
    "events:detail": lambda s: [{"slug": s.event.slug}],
    "events:ical_event": lambda s: [{"slug": s.event.slug}],
    "events:occurrence": lambda s: [{"slug": s.event.slug, "day": day_of(s.occurrence)}],
    "exchange_entry": lambda s: [{"pk": s.exchange_entry.pk}, {"pk": 10**18}],
    "coordinator:access_revoke": lambda s: [{"pk": s.access.pk}],
    "coordinator:event_dates": lambda s: [{"slug": s.partnership.slug, "pk": s.club.pk}],
    **{
        f"coordinator:occurrence_{action}": lambda s: [
            {"slug": s.partnership.slug, "pk": s.club.pk, "date": s.club_date.pk}
        ]
        for action in ("cancel", "skip", "move", "restore")
    },
    "coordinator:co_organiser_accept": lambda s: [{"slug": s.partnership.slug, "pk": s.co_invitation.pk}],
    "coordinator:co_organiser_decline": lambda s: [{"slug": s.partnership.slug, "pk": s.co_invitation.pk}],
    "coordinator:proposal_decide": lambda s: [{"slug": s.partnership.slug, "pk": s.proposal.pk}],
    "coordinator:organisation_propose": lambda s: [{"slug": s.partnership.slug, "pk": s.shared.pk}],
    "coordinator:invitation_revoke": lambda s: [{"pk": s.invitation.pk}],
    "coordinator:practice_photo_remove": lambda s: [
        {"slug": s.partnership.slug, "pk": s.practice.pk, "photo": s.photo.pk}
    ],
    "coordinator:change_undo": lambda s: [
        {"slug": s.partnership.slug, "kind": "place", "pk": s.place.history.latest("history_date").history_id}
    ],
    "account:password_reset_confirm": lambda s: [
        {
            "uidb64": urlsafe_base64_encode(force_bytes(s.coordinator.pk)),
            "token": default_token_generator.make_token(s.coordinator),
        },
        {"uidb64": "%00", "token": "x" * 200},
    ],
    "account:invitation": lambda s: [{"token": "nie-ma-takiego-zaproszenia"}],
    "admin:view_on_site": lambda s: [
        {"content_type_id": ContentType.objects.get_for_model(s.partnership).pk, "object_id": s.partnership.pk}
    ],
    "admin:auth_user_password_change": lambda s: [{"id": s.coordinator.pk}],
    "admin:app_list": lambda s: [{"app_label": label} for label in sorted({m._meta.app_label for m in admin_models()})],
}
# Routes without a name: the URL to request.
UNNAMED = {
    "admin/(?P<url>.*)$": lambda s: ["/admin/nie-ma-takiej-strony/"],
}
# Patterns the walk does not request, with the reason. A pattern here must still exist.
NOT_WALKED = {}


ADMIN_OBJECT_VIEW = re.compile(
    r"^admin:(?P<model>[a-z0-9]+_[a-z0-9]+?)_(?P<view>change|delete|history|data|data_json|erase)$"
)
ADMIN_HISTORY_RECORD = re.compile(r"^admin:(?P<model>[a-z0-9]+_[a-z0-9]+?)_simple_history$")


def admin_model(key):
    for model in admin_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == key:
            return model
    return None


def urls_for(name, route, s):
    """The URLs to request for one pattern, or None when the walk cannot fill it."""
    if name is None:
        if route.startswith("admin/") and route.endswith("/<path:object_id>/"):
            model = admin_model(route.split("/")[1] + "_" + route.split("/")[2])
            obj = model and model.objects.order_by("pk").first()
            return obj and [f"/{route.replace('<path:object_id>', str(obj.pk))}"]
        filler = UNNAMED.get(route)
        return None if filler is None else filler(s)
    if not takes_arguments(route):
        return [reverse(name)]
    if name in FILLS:
        return [reverse(name, kwargs=kwargs) for kwargs in FILLS[name](s)]
    if name.startswith("coordinator:") and route.count("<") <= 2:
        kwargs = {"slug": s.partnership.slug}
        if "<int:pk>" in route:
            kind = next((attr for segment, attr in COORDINATOR_SEGMENTS.items() if f"/{segment}/" in route), None)
            if kind is None:
                return None
            kwargs["pk"] = getattr(s, kind).pk
        return [reverse(name, kwargs=kwargs)]
    if match := ADMIN_OBJECT_VIEW.match(name):
        model = admin_model(match["model"])
        obj = model and model.objects.order_by("pk").first()
        return obj and [reverse(name, kwargs={"object_id": obj.pk})]
    if match := ADMIN_HISTORY_RECORD.match(name):
        model = admin_model(match["model"])
        record = model and model.history.order_by("history_id").first()
        return record and [reverse(name, args=[record.instance.pk, record.history_id])]
    return None


# The Polish segment before <int:pk> in a coordinator route -> the data set's object.
COORDINATOR_SEGMENTS = {
    "czlonkowie": "membership",
    "organizacje": "organisation",
    "zespol": "role",
    "osoby": "person",
    "miejsca": "place",
    "wydarzenia": "event",
    "wiadomosci": "contact_message",
    "gielda": "exchange_entry",
    "dobre-praktyki": "practice",
}


def every_pattern():
    return list(walk())


def record(category, response, url, problems):
    found = response_problems(response)
    if found:
        problems.extend(f"{url} ({response.status_code}): {problem}" for problem in found)
        totals.count(category, "problems")
    elif response.status_code >= 400:
        totals.count(category, "refused")
    else:
        totals.count(category, "inert")


def test_every_url_pattern_is_walked(site):
    unfilled = [
        name or route
        for name, route in every_pattern()
        if (name or route) not in NOT_WALKED and urls_for(name, route, site) is None
    ]
    assert not unfilled, (
        "These URL patterns cannot be filled with the data set of tests/security/world.py: add them to FILLS in "
        "tests/security/test_walk.py, or to NOT_WALKED with the reason: " + ", ".join(unfilled)
    )
    known = {name or route for name, route in every_pattern()}
    stale = sorted((set(FILLS) | set(UNNAMED) | set(NOT_WALKED)) - known)
    assert not stale, f"No such URL patterns any more: {stale}"


def walked_urls(site):
    urls = []
    for name, route in every_pattern():
        if (name or route) in NOT_WALKED:
            continue
        urls.extend(urls_for(name, route, site) or [])
    return urls


@pytest.mark.parametrize("who", ["anonymous", "coordinator", "staff"])
def test_every_page_is_inert_with_hostile_data(site, who, anonymous_client, coordinator_of, staff_client):
    client = {"anonymous": anonymous_client, "coordinator": coordinator_of, "staff": staff_client}[who]
    problems = []
    urls = walked_urls(site)

    for url in urls:
        record(f"pages ({who})", client.get(url), url, problems)

    assert len(urls) > 200
    assert site.poisoned_fields > 60
    # The hostile texts are on the pages, as text.
    shown = client.get(reverse("partnerships:detail", kwargs={"slug": site.partnership.slug})).content.decode()
    assert who == "coordinator" or "wsplxss" in shown
    assert not problems, "\n".join(problems)


def test_english_pages_are_inert_with_hostile_data(site, anonymous_client):
    problems = []
    with translation.override("en"):
        urls = [url for url in walked_urls(site) if url.startswith("/en/") and "/admin/" not in url]

    for url in urls:
        record("pages (English)", anonymous_client.get(url), url, problems)

    assert len(urls) > 40
    assert not problems, "\n".join(problems)


def public_urls(site):
    return [url for url in walked_urls(site) if not url.startswith(("/admin/", "/moje/", "/konto/wyloguj/"))]


def test_bad_query_parameters_get_an_answer_never_a_server_error(site, anonymous_client, staff_client):
    """Each public address gets four of the bad queries, the next address the next four: every bad query reaches
    many addresses, deterministically. The admin's lists get them as staff."""
    problems = []
    public = public_urls(site)
    lists = [url for url in walked_urls(site) if url.startswith("/admin/") and url.count("/") == 4]
    for index, url in enumerate(public + lists):
        client = staff_client if url.startswith("/admin/") else anonymous_client
        for offset in range(4):
            query = BAD_QUERIES[(index * 4 + offset) % len(BAD_QUERIES)]
            record("bad query parameters", client.get(url + query), url + query[:80], problems)

    totals.note(
        f"bad query parameters: 4 of {len(BAD_QUERIES)} per address, rotated over {len(public + lists)} addresses"
    )
    assert not problems, "\n".join(problems)


def test_odd_methods_on_public_addresses_are_refused_or_answered_as_get(site, anonymous_client):
    problems = []
    for url in public_urls(site):
        expected = anonymous_client.get(url).status_code
        for method in ODD_METHODS:
            response = getattr(anonymous_client, method)(url)
            record("odd methods", response, f"{method.upper()} {url}", problems)
            if response.status_code not in (405, expected, 200 if method == "options" else 405):
                problems.append(f"{method.upper()} {url}: {response.status_code}, GET gives {expected}")

    assert not problems, "\n".join(problems)


def test_a_future_date_in_the_calendar_address_is_not_a_server_error(site, anonymous_client):
    far = timezone.localdate() + timedelta(days=365 * 200)
    response = anonymous_client.get(reverse("events:occurrence", kwargs={"slug": site.event.slug, "day": far}))

    assert response.status_code == 404
