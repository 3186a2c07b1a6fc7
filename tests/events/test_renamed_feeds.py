"""A renamed partnership keeps its subscribers: every feed and widget address with its old slug answers 301 to the
same address with the current one, and only a slug that is nobody's keeps today's 404 (or the filter's error)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerships.models import Partnership
from tests import factories

from .helpers import in_days

pytestmark = pytest.mark.django_db

OLD, NEW = "nasze-stegny", "stegny-razem"


def rename(partnership, name, slug):
    """As in the admin's partnership form: a fresh copy of the row, its name and slug changed, saved."""
    fresh = Partnership.objects.get(pk=partnership.pk)
    fresh.name, fresh.slug = name, slug
    fresh.save()
    return fresh


@pytest.fixture
def renamed():
    """„Nasze Stegny” with a coming and an ended event, renamed to „Stegny Razem”; another partnership's event."""
    stegny = factories.partnership(name="Nasze Stegny", districts=["mokotow"])
    other = factories.partnership(name="Sady Żoliborskie", districts=["zoliborz"])
    coming = factories.event(title="Piknik na Stegnach", start=in_days(2), organisers=[stegny])
    factories.event(title="Wczorajszy spacer", start=in_days(-1), organisers=[stegny])
    factories.event(title="Sąsiedzkie śniadanie", start=in_days(2), organisers=[other])
    return {"partnership": rename(stegny, "Stegny Razem", NEW), "coming": coming}


def month_of(event):
    day = timezone.localtime(event.start)
    return {"year": day.year, "month": day.month}


# (name, the address of a partnership's slug, what following the redirect must show)
ADDRESSES = [
    (
        "ical_partnership",
        lambda slug, e: reverse("events:ical_partnership", kwargs={"slug": slug}),
        "Piknik na Stegnach",
    ),
    ("widget", lambda slug, e: reverse("events:widget_partnership", kwargs={"slug": slug}), "Piknik na Stegnach"),
    ("ical", lambda slug, e: f"{reverse('events:ical')}?partnerstwo={slug}", "Piknik na Stegnach"),
    ("rss", lambda slug, e: f"{reverse('events:rss')}?partnerstwo={slug}", "Piknik na Stegnach"),
    ("atom", lambda slug, e: f"{reverse('events:atom')}?partnerstwo={slug}", "Piknik na Stegnach"),
    ("agenda", lambda slug, e: f"{reverse('events:list')}?partnerstwo={slug}", "Piknik na Stegnach"),
    ("archive", lambda slug, e: f"{reverse('events:archive')}?partnerstwo={slug}", "Wczorajszy spacer"),
    (
        "month",
        lambda slug, e: f"{reverse('events:month', kwargs=month_of(e))}?partnerstwo={slug}",
        "Piknik na Stegnach",
    ),
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("name", "address", "shown"), ADDRESSES, ids=[a[0] for a in ADDRESSES])
def test_old_address_redirects_permanently_to_the_current_one(client, renamed, language, name, address, shown):
    with translation.override(language):
        old, new = address(OLD, renamed["coming"]), address(NEW, renamed["coming"])
    assert new.startswith("/en/") == (language == "en")

    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new

    followed = client.get(response["Location"])
    assert followed.status_code == 200
    content = followed.content.decode()
    assert shown in content
    assert "Sąsiedzkie śniadanie" not in content  # another partnership's event: the feed is still filtered


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_rest_of_the_query_string_is_kept_exactly(client, renamed, language):
    with translation.override(language):
        rss, ical, widget = (
            reverse("events:rss"),
            reverse("events:ical"),
            reverse("events:widget_partnership", args=[OLD]),
        )
        new_widget = reverse("events:widget_partnership", args=[NEW])

    response = client.get(f"{rss}?utm_source=kalendarz&partnerstwo={OLD}&rodzaj=local&x=a%20b")
    assert response["Location"] == f"{rss}?utm_source=kalendarz&partnerstwo={NEW}&rodzaj=local&x=a%20b"
    # Only the parameter that named the old slug changes; in the path, the query string stays as it was.
    response = client.get(f"{ical}?dzielnica=mokotow&partnerstwo={OLD}")
    assert response["Location"] == f"{ical}?dzielnica=mokotow&partnerstwo={NEW}"
    response = client.get(f"{widget}?liczba=3&partnerstwo={OLD}")
    assert (response.status_code, response["Location"]) == (301, f"{new_widget}?liczba=3&partnerstwo={OLD}")


def test_renamed_twice_leads_from_the_first_slug_straight_to_the_last(client, renamed):
    rename(renamed["partnership"], "Stegny Razem i Sadyba", "stegny-razem-i-sadyba")

    for slug in (OLD, NEW):
        response = client.get(reverse("events:ical_partnership", kwargs={"slug": slug}))
        assert response["Location"] == reverse("events:ical_partnership", kwargs={"slug": "stegny-razem-i-sadyba"})
        response = client.get(reverse("events:rss"), {"partnerstwo": slug})
        assert response["Location"] == f"{reverse('events:rss')}?partnerstwo=stegny-razem-i-sadyba"
    followed = client.get(reverse("events:ical_partnership", kwargs={"slug": "stegny-razem-i-sadyba"}))
    assert followed.status_code == 200
    assert "Piknik na Stegnach" in followed.content.decode()


def test_unknown_slug_keeps_todays_answers(client, renamed):
    unknown = "nikt-taki"

    assert client.get(reverse("events:ical_partnership", kwargs={"slug": unknown})).status_code == 404
    assert client.get(reverse("events:widget_partnership", kwargs={"slug": unknown})).status_code == 404
    assert client.get(reverse("events:rss"), {"partnerstwo": unknown}).status_code == 404
    assert client.get(reverse("events:atom"), {"partnerstwo": unknown}).status_code == 404
    ical = client.get(reverse("events:ical"), {"partnerstwo": unknown})
    assert ical.status_code == 400
    assert "Nie da się przygotować kalendarza: Nie znamy takiego partnerstwa" in ical.content.decode()
    for url in (
        reverse("events:list"),
        reverse("events:archive"),
        reverse("events:month", kwargs=month_of(renamed["coming"])),
    ):
        response = client.get(url, {"partnerstwo": unknown})
        assert response.status_code == 200
        assert "Nie znamy takiego partnerstwa – wybierz je z listy." in response.content.decode()
        assert "Piknik na Stegnach" not in response.content.decode()


def test_old_slug_of_an_unpublished_partnership_is_nobodys(client, renamed):
    Partnership.objects.filter(pk=renamed["partnership"].pk).update(is_published=False)

    assert client.get(reverse("events:ical_partnership", kwargs={"slug": OLD})).status_code == 404
    assert client.get(reverse("events:widget_partnership", kwargs={"slug": OLD})).status_code == 404
    assert client.get(reverse("events:rss"), {"partnerstwo": OLD}).status_code == 404
    assert client.get(reverse("events:ical"), {"partnerstwo": OLD}).status_code == 400


def test_old_slug_taken_by_another_partnership_is_that_ones_address(client, renamed):
    """The partnership now at the slug comes first (its save drops the old name, as on the partnership's page)."""
    newcomer = factories.partnership(name="Nasze Stegny")
    factories.event(title="Spotkanie nowych Stegien", start=in_days(3), organisers=[newcomer])

    response = client.get(reverse("events:ical_partnership", kwargs={"slug": OLD}))
    assert response.status_code == 200
    assert "Spotkanie nowych Stegien" in response.content.decode()
    assert "Piknik na Stegnach" not in response.content.decode()


def test_in_a_large_network_the_old_slug_wins_over_a_partnership_whose_name_contains_it(client, renamed, monkeypatch):
    """With a text box for the partnership, „nasze-stegny” would match „Nasze Stegny Dolne”: the rename comes first."""
    monkeypatch.setattr("partnerships.filters.PARTNERSHIP_SELECT_LIMIT", 1)
    factories.partnership(name="Nasze Stegny Dolne")

    response = client.get(reverse("events:list"), {"partnerstwo": OLD})
    assert (response.status_code, response["Location"]) == (301, f"{reverse('events:list')}?partnerstwo={NEW}")
    assert client.get(reverse("events:list"), {"partnerstwo": "dolne"}).status_code == 200


def test_current_addresses_never_ask_for_previous_names(client, renamed):
    urls = [
        reverse("events:ical_partnership", kwargs={"slug": NEW}),
        reverse("events:widget_partnership", kwargs={"slug": NEW}),
        f"{reverse('events:ical')}?partnerstwo={NEW}",
        f"{reverse('events:rss')}?partnerstwo={NEW}",
        f"{reverse('events:list')}?partnerstwo={NEW}",
        f"{reverse('events:month', kwargs=month_of(renamed['coming']))}?partnerstwo={NEW}",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries if "previousname" in q["sql"].lower()], url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("cache_on")
def test_redirects_are_never_cached_as_a_feed_or_a_page(client, renamed):
    ical_old = reverse("events:ical_partnership", kwargs={"slug": OLD})
    rss_old = f"{reverse('events:rss')}?partnerstwo={OLD}"
    agenda_old = f"{reverse('events:list')}?partnerstwo={OLD}"
    for url in (ical_old, rss_old, agenda_old, ical_old, rss_old, agenda_old):
        response = client.get(url)
        assert response.status_code == 301
        assert "X-Page-Cache" not in response
    # The current feed is cached as a calendar, not as the redirect that led to it.
    for kept in ("miss", "hit"):
        feed = client.get(reverse("events:ical_partnership", kwargs={"slug": NEW}))
        assert (feed.status_code, feed["X-Page-Cache"]) == (200, kept)
        assert feed.content.decode().startswith("BEGIN:VCALENDAR")

    # A new partnership takes the old slug: its own feed answers at once, no redirect was kept.
    newcomer = factories.partnership(name="Nasze Stegny")
    factories.event(title="Spotkanie nowych Stegien", start=in_days(3), organisers=[newcomer])
    response = client.get(ical_old)
    assert response.status_code == 200
    assert "Spotkanie nowych Stegien" in response.content.decode()
    assert client.get(rss_old).status_code == 200
