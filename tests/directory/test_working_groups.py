"""A working group's page (its task, people, next meetings, the meetings that chose it, its positions) and the page of
the network's general meetings with their minutes."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.meetings import GeneralMeetingListView
from events.models import Event
from members.models import WorkingGroupMembership
from tests import factories
from tests.utils import MAX_PUBLIC_QUERIES, count_queries, log_in

pytestmark = pytest.mark.django_db

MEETINGS_URL = reverse("partnerships:general_meeting_list")
BAD_QUERIES = [
    "?page=abc",
    "?page=0",
    "?page=-1",
    "?page=99999999999999999999999999",
    "?page=%00",
    "?page=%C5%BC%C3%B3%C5%82w",
    "?po=%00",
    "?przed=" + "x" * 5000,
    "?%00=%00",
    "?q=" + "ż" * 2000,
]


def text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def working_group_meeting(group, *, days, title=None, **fields):
    return factories.event(
        title=title,
        start=timezone.now() + timedelta(days=days),
        kind=Event.Kind.WORKING_GROUP,
        working_group=group,
        **fields,
    )


@pytest.fixture
def group():
    """A group with two people (one who left), a partnership, meetings and a position, chosen at a general meeting."""
    group = factories.working_group(
        name="Zespół ds. miejsc aktywności lokalnej",
        purpose="Zabiega o miejsce do działania dla każdego partnerstwa.",
        description="Zbiera doświadczenia domów sąsiedzkich.",
    )
    group.partnerships.add(factories.partnership(name="Nasze Stegny"))
    group.partnerships.add(factories.partnership(name="Partnerstwo ukryte", is_published=False))
    leader = factories.person(first_name="Iwona", last_name="Czarnecka")
    WorkingGroupMembership.objects.create(working_group=group, person=leader, role="liderka zespołu")
    former = factories.person(first_name="Bartosz", last_name="Były")
    WorkingGroupMembership.objects.create(
        working_group=group, person=former, until=timezone.localdate() - timedelta(days=30)
    )
    working_group_meeting(group, days=9, title="Mapa miejsc aktywności")
    working_group_meeting(group, days=-9, title="Spotkanie, które już było")
    working_group_meeting(group, days=20, title="Spotkanie w szkicu", is_published=False)
    working_group_meeting(factories.working_group(name="Inny zespół"), days=5, title="Spotkanie innego zespołu")
    factories.position(title="Stanowisko w sprawie lokali", working_group=group)
    factories.position(title="Szkic stanowiska", working_group=group, is_published=False)
    chose = factories.general_meeting(title="Ogólne spotkanie WSPL: wybory", days=-40)
    factories.minutes(event_obj=chose, working_groups=[group])
    draft = factories.general_meeting(title="Ogólne spotkanie WSPL: szkic", days=-10)
    factories.minutes(event_obj=draft, working_groups=[group], is_published=False)
    return group


# --- a working group's page ------------------------------------------------------------------------------------


def test_group_page_shows_its_task_people_and_partnerships(client, group):
    page = text(client.get(group.get_absolute_url()))

    assert "Zadanie zespołu Zabiega o miejsce do działania dla każdego partnerstwa." in page
    assert "Zbiera doświadczenia domów sąsiedzkich." in page
    assert "Iwona Czarnecka – liderka zespołu" in page
    assert "Bartosz Były" not in page  # left the group
    assert "Nasze Stegny" in page and "Partnerstwo ukryte" not in page


def test_group_page_shows_its_next_published_meetings_as_cards(client, group):
    response = client.get(group.get_absolute_url())
    section = response.content.decode().split('id="spotkania-zespolu"')[1].split("</section>")[0]

    assert "Mapa miejsc aktywności" in section and "event-card" in section
    for absent in ["Spotkanie, które już było", "Spotkanie w szkicu", "Spotkanie innego zespołu"]:
        assert absent not in section


def test_group_page_names_the_meetings_that_chose_it_with_published_minutes(client, group):
    response = client.get(group.get_absolute_url())
    page = text(response)
    chose = Event.objects.get(title="Ogólne spotkanie WSPL: wybory")

    day = timezone.localtime(chose.start).date()
    assert re.search(rf"Powołany na: Ogólne spotkanie WSPL: wybory , {day.day} \w+ {day.year}", page), page
    assert f'href="{chose.get_absolute_url()}"' in response.content.decode()
    assert "Ogólne spotkanie WSPL: szkic" not in page


def test_group_page_lists_its_published_positions_among_its_outputs(client, group):
    response = client.get(group.get_absolute_url())
    outputs = text(response).split("Dorobek zespołu")[1]

    assert "Stanowisko w sprawie lokali" in outputs and "Szkic stanowiska" not in outputs


def test_group_page_lists_its_published_good_practices_among_its_outputs(client, group):
    factories.practice(title="Dom sąsiedzki zespołu", summary="Jak otworzyć dom sąsiedzki.", working_group=group)
    factories.practice(title="Szkic praktyki zespołu", working_group=group, published=False)
    factories.practice(title="Praktyka bez zespołu")

    outputs = text(client.get(group.get_absolute_url())).split("Dorobek zespołu")[1]

    assert "Dom sąsiedzki zespołu – Jak otworzyć dom sąsiedzki." in outputs
    assert "Szkic praktyki zespołu" not in outputs and "Praktyka bez zespołu" not in outputs


def test_group_page_without_meetings_or_positions_says_so(client):
    lonely = factories.working_group(name="Zespół nowy")

    page = text(client.get(lonely.get_absolute_url()))

    assert "Zespół nie ma teraz zapowiedzianych spotkań." in page
    assert "Zespół nie przygotował jeszcze stanowisk." in page
    assert "Zespół nie opisał jeszcze dobrych praktyk." in page
    assert "Powołany na" not in page


def test_unpublished_group_is_404_for_the_public_and_marked_for_staff(client, staff_user):
    hidden = factories.working_group(name="Zespół w planach", is_published=False)

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("partnerships:working_group_detail", kwargs={"slug": "nie-ma"})).status_code == 404
    log_in(client, staff_user)
    assert "nieopublikowany – widzą go tylko pracownicy" in text(client.get(hidden.get_absolute_url()))


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_query_parameters_never_break_the_pages(client, group, query):
    for url in (group.get_absolute_url(), MEETINGS_URL):
        response = client.get(url + query)
        assert response.status_code in (200, 302, 404), (url, query, response.status_code)
        if response.status_code == 404:
            assert "Nie znaleziono strony" in text(response)


def grow(group, meetings):
    """`meetings` more of each kind of row the group's page and the general meetings' page show."""
    for _ in range(meetings):
        place = factories.place()
        partnership = factories.partnership()
        group.partnerships.add(partnership)
        WorkingGroupMembership.objects.create(working_group=group, person=factories.person(), role="członek")
        working_group_meeting(group, days=3, place=place, organisers=[partnership])
        factories.position(working_group=group)
        factories.practice(working_group=group, partnership_obj=partnership)
        factories.minutes(event_obj=factories.general_meeting(days=-50), working_groups=[group])
        factories.general_meeting(days=-60)
        factories.general_meeting(days=15, place=place, organisers=[partnership])


@pytest.mark.parametrize("page", ["group", "general-meetings"])
def test_query_count_is_flat(client, page):
    group = factories.working_group(name="Zespół ds. komunikacji")

    def url():
        return group.get_absolute_url() if page == "group" else MEETINGS_URL

    grow(group, 2)
    response, small = count_queries(client, url())
    assert response.status_code == 200
    grow(group, 12)
    response, large = count_queries(client, url())

    assert len(small) <= MAX_PUBLIC_QUERIES, small
    assert len(large) == len(small), (small, large)
    assert not [sql for sql in large if "django_session" in sql or "auth_user" in sql]


# --- the general meetings' page --------------------------------------------------------------------------------


@pytest.fixture
def meetings():
    """General meetings: one to come, one past with published minutes, one past with a draft, one without."""
    factories.general_meeting(title="Spotkanie ogólne: wybór zespołów", days=40)
    with_minutes = factories.general_meeting(title="Spotkanie ogólne: przegląd roku", days=-63)
    factories.minutes(event_obj=with_minutes)
    drafted = factories.general_meeting(title="Spotkanie ogólne: budżety dzielnic", days=-120)
    factories.minutes(event_obj=drafted, is_published=False)
    factories.general_meeting(title="Spotkanie ogólne: karta współpracy", days=-200)
    factories.general_meeting(title="Spotkanie ogólne w szkicu", days=-30, is_published=False)
    factories.event(title="Piknik sąsiedzki", start=timezone.now() - timedelta(days=5))
    return with_minutes


def test_general_meetings_page_shows_next_meetings_and_past_ones_with_their_minutes(client, meetings):
    response = client.get(MEETINGS_URL)
    html = response.content.decode()
    upcoming, past = html.split('id="minione-spotkania"')

    assert "Spotkanie ogólne: wybór zespołów" in upcoming and "event-card" in upcoming
    assert f'href="{meetings.get_absolute_url()}#protokol"' in past
    titles = re.findall(r"<h3[^>]*><a[^>]*>(.*?)</a>", past)
    assert titles == [
        "Spotkanie ogólne: przegląd roku",
        "Spotkanie ogólne: budżety dzielnic",
        "Spotkanie ogólne: karta współpracy",
    ]
    assert text(response).count("protokół w przygotowaniu") == 2
    assert "Piknik sąsiedzki" not in html and "Spotkanie ogólne w szkicu" not in html
    crumbs = re.search(r'<nav aria-label="Ścieżka nawigacji">.*?</nav>', html, re.S)
    assert crumbs and f'href="{reverse("about")}"' in crumbs.group(0), "under O sieci, as the network's other pages"


def test_general_meetings_page_pages_through_many_past_meetings(client, monkeypatch):
    monkeypatch.setattr(GeneralMeetingListView, "paginate_by", 2)
    for index in range(5):
        factories.general_meeting(title=f"Spotkanie ogólne nr {index}", days=-10 - index)

    first = text(client.get(MEETINGS_URL))
    last = text(client.get(MEETINGS_URL + "?page=3"))

    assert "Spotkanie ogólne nr 0" in first and "Spotkanie ogólne nr 4" not in first
    assert "Spotkanie ogólne nr 4" in last


def test_general_meetings_page_without_meetings_says_so(client):
    page = text(client.get(MEETINGS_URL))

    assert "Termin kolejnego spotkania ogólnego nie jest jeszcze ustalony." in page
    assert "Nie było jeszcze spotkań ogólnych zapisanych w serwisie." in page


def test_the_network_pages_link_the_general_meetings(client):
    assert f'href="{MEETINGS_URL}"' in client.get(reverse("home")).content.decode()
    sitemap = client.get(reverse("sitemap_section", kwargs={"section": "strony"}))
    assert sitemap.status_code == 200 and MEETINGS_URL in sitemap.content.decode()
