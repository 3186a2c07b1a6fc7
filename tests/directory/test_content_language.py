"""What people wrote stays Polish on /en/ pages, and the element holding it says lang="pl" (common/language.py).

A screen reader reads such text with Polish pronunciation only when an element around it carries lang="pl". The
names of partnerships, organisations, places and people are proper names and are left in the page's language;
titles of events and positions and names of working groups are phrases and are marked. Polish pages carry no
lang attribute inside <main>.
"""

from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event
from members.models import WorkingGroupMembership
from network.models import Page
from tests import factories

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# Texts people wrote, each found once per page that shows it.
SUMMARY = "Sąsiedzi razem dbają o zieleń"
AREA = "Kępa Potocka i okolice"
DESCRIPTION = "Prowadzimy ogród społeczny przy bibliotece."
GOALS = "Chcemy więcej ławek w parku."
EASY_READ = "Jesteśmy grupą sąsiadów."
NOTE = "Animatorka pracuje z nami od lat."
PLACE_TEXT = "Przestronna sala z kuchnią."
PLACE_ACCESS = "Wejście bez progów, winda."
ORGANISATION_KIND = "fundacja rodzinna"
ORGANISATION_TEXT = "Sadzimy drzewa razem z dziećmi."
EVENT_TITLE = "Sprzątanie skweru przy bibliotece"
EVENT_TEXT = "Przynieście rękawice ogrodowe."
AUDIENCE = "sąsiedzi z dziećmi"
CANCELLED_TITLE = "Koncert na podwórku"
REASON = "Ulewa i burza."
GROUP_NAME = "Zespół ds. zieleni"
GROUP_PURPOSE = "Dbamy o drzewa w dzielnicach."
GROUP_TEXT = "Spotykamy się co miesiąc w ogrodzie."
GROUP_ROLE = "liderka zespołu"
POSITION_TITLE = "Stanowisko w sprawie wycinki drzew"
POSITION_SUMMARY = "Sieć sprzeciwia się wycince."
POSITION_BODY = "Drzewa dają cień i chłód."
PAGE_TITLE = "O naszej sieci sąsiedzkiej"
PAGE_SUMMARY = "Sieć łączy partnerstwa w całym mieście."
PAGE_BODY = "Działamy od lat w każdej dzielnicy."
# Names: proper names, read in the page's language.
PARTNERSHIP = "Sady Żoliborskie"
PLACE = "Dom Sąsiedzki Sady"
ORGANISATION = "Fundacja Zielone Sady"


class Languages(HTMLParser):
    """Each text of a page's body with the language of its nearest element that names one, and the lang attributes
    inside <main>."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, lang or None)
        self.texts = []  # (text, language)
        self.alts = []  # (alt, language)
        self.in_main = []  # (tag, lang) of every element inside <main> that has a lang attribute
        self.feed(page)

    def language(self):
        return next((lang for _tag, lang in reversed(self.open) if lang is not None), None)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        if lang is not None and any(name == "main" for name, _lang in self.open):
            self.in_main.append((tag, lang))
        if tag == "img":
            self.alts.append((attrs.get("alt"), lang or self.language()))
        if tag not in VOID:
            self.open.append((tag, lang))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        # What is read: the body's text, not JSON-LD, map data or the <title> (the document's name).
        tags = {tag for tag, _lang in self.open}
        if data.strip() and "body" in tags and not tags & {"script", "style"}:
            self.texts.append((" ".join(data.split()), self.language()))

    def languages_of(self, text):
        """The languages the text is read in, once for each place it is shown."""
        return [language for shown, language in self.texts if text in shown]


@pytest.fixture
def content(db):
    zoliborz = factories.district("zoliborz")
    place = factories.place(name=PLACE, description=PLACE_TEXT, accessibility=PLACE_ACCESS)
    partnership = factories.partnership(
        name=PARTNERSHIP,
        districts=[zoliborz],
        summary=SUMMARY,
        area=AREA,
        description=DESCRIPTION,
        goals=GOALS,
        easy_read_summary=EASY_READ,
        condition_animator=True,
        condition_animator_note=NOTE,
    )
    partnership.places.set([place])
    organisation = factories.organisation(
        name=ORGANISATION, kind=ORGANISATION_KIND, description=ORGANISATION_TEXT, district_slug="zoliborz"
    )
    factories.membership(organisation_obj=organisation, partnership_obj=partnership)
    event = factories.event(
        title=EVENT_TITLE, description=EVENT_TEXT, audience=AUDIENCE, place=place, organisers=[partnership]
    )
    cancelled = factories.event(
        title=CANCELLED_TITLE,
        start=timezone.now() + timedelta(days=4),
        place=place,
        organisers=[partnership],
        status=Event.Status.CANCELLED,
        cancellation_reason=REASON,
    )
    group = factories.working_group(name=GROUP_NAME, purpose=GROUP_PURPOSE, description=GROUP_TEXT)
    group.partnerships.set([partnership])
    WorkingGroupMembership.objects.create(working_group=group, person=factories.person(), role=GROUP_ROLE)
    position = factories.position(
        title=POSITION_TITLE, summary=POSITION_SUMMARY, body=POSITION_BODY, working_group=group
    )
    Page.objects.create(
        key=Page.Key.ABOUT, language="pl", title=PAGE_TITLE, summary=PAGE_SUMMARY, body=PAGE_BODY, is_published=True
    )
    return {
        "partnership": partnership,
        "place": place,
        "organisation": organisation,
        "event": event,
        "cancelled": cancelled,
        "group": group,
        "position": position,
        "district": zoliborz,
    }


def pages(content, language):
    """{page: (address, texts people wrote that it shows, names it shows)}."""
    with translation.override(language):
        event, partnership, group = content["event"], content["partnership"], content["group"]
        return {
            "home": (reverse("home"), [EVENT_TITLE, CANCELLED_TITLE], []),
            "partnership": (
                partnership.get_absolute_url(),
                [SUMMARY, AREA, DESCRIPTION, GOALS, EASY_READ, NOTE, EVENT_TITLE, GROUP_NAME],
                [PARTNERSHIP, PLACE],
            ),
            "partnerships": (reverse("partnerships:list"), [SUMMARY, AREA], [PARTNERSHIP]),
            "district": (content["district"].get_absolute_url(), [SUMMARY, AREA, EVENT_TITLE], [PARTNERSHIP]),
            "place": (content["place"].get_absolute_url(), [PLACE_TEXT, PLACE_ACCESS, EVENT_TITLE], [PLACE]),
            "organisation": (
                content["organisation"].get_absolute_url(),
                [ORGANISATION_KIND, ORGANISATION_TEXT],
                [ORGANISATION, PARTNERSHIP],
            ),
            "organisations": (reverse("members:organisation_list"), [ORGANISATION_KIND], [ORGANISATION]),
            "event": (event.get_absolute_url(), [EVENT_TITLE, EVENT_TEXT, AUDIENCE], [PLACE, PARTNERSHIP]),
            "cancelled event": (content["cancelled"].get_absolute_url(), [CANCELLED_TITLE, REASON], [PLACE]),
            "agenda": (reverse("events:list"), [EVENT_TITLE, CANCELLED_TITLE], [PLACE]),
            "month": (reverse("events:month_current"), [EVENT_TITLE], []),
            "widget": (reverse("events:widget_partnership", kwargs={"slug": partnership.slug}), [EVENT_TITLE], []),
            "search": (
                reverse("search") + "?q=drzewa",
                # The typed word is highlighted (<mark>): the texts around it.
                [GROUP_NAME, "Stanowisko w sprawie wycinki", "Sadzimy", "razem z dziećmi.", "dają cień i chłód."],
                [ORGANISATION],
            ),
            "working groups": (reverse("partnerships:working_group_list"), [GROUP_NAME, GROUP_PURPOSE], []),
            "working group": (
                group.get_absolute_url(),
                [GROUP_NAME, GROUP_PURPOSE, GROUP_TEXT, GROUP_ROLE, POSITION_TITLE],
                [PARTNERSHIP],
            ),
            "positions": (reverse("partnerships:position_list"), [POSITION_TITLE, POSITION_SUMMARY, GROUP_NAME], []),
            "position": (
                content["position"].get_absolute_url(),
                [POSITION_TITLE, POSITION_SUMMARY, POSITION_BODY, GROUP_NAME],
                [],
            ),
            "network page": (reverse("about"), [PAGE_TITLE, PAGE_SUMMARY, PAGE_BODY], []),
        }


def parsed(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return Languages(response.content.decode())


def test_on_english_pages_what_people_wrote_is_marked_polish_and_names_are_not(client, content):
    for page, (address, texts, names) in pages(content, "en").items():
        found = parsed(client, address)
        for text in texts:
            languages = found.languages_of(text)
            assert languages, (page, text)
            assert set(languages) == {"pl"}, (page, text, languages)
        for name in names:
            languages = found.languages_of(name)
            assert languages, (page, name)
            assert set(languages) == {"en"}, (page, name, languages)


def test_an_english_page_marks_the_polish_heading_and_its_crumb_of_an_event_but_not_of_a_partnership(client, content):
    with translation.override("en"):
        event_page = parsed(client, content["event"].get_absolute_url())
        partnership_page = parsed(client, content["partnership"].get_absolute_url())

    # The event's title is the page's <title>, the <h1> and the last crumb: the two in <body> are Polish.
    assert event_page.languages_of(EVENT_TITLE) == ["pl", "pl"]
    assert ("h1", "pl") in event_page.in_main and ("li", "pl") in event_page.in_main
    assert ("h1", "pl") not in partnership_page.in_main


def test_polish_pages_carry_no_lang_attribute_inside_main(client, content):
    for page, (address, texts, names) in pages(content, "pl").items():
        found = parsed(client, address)
        assert found.in_main == [], (page, found.in_main)
        for text in [*texts, *names]:
            assert set(found.languages_of(text)) == {"pl"}, (page, text)


def test_the_map_list_marks_the_event_title_and_not_the_date(client, content):
    with translation.override("en"):
        found = parsed(client, reverse("home"))

    # "Sprzątanie skweru przy bibliotece (14 May 2026, 18:00)": the title in Polish, the date in English.
    dates = [(text, language) for text, language in found.texts if text.startswith("(") and text.endswith(")")]
    assert dates and all(language == "en" for _text, language in dates)


def test_the_feed_marks_the_description_of_each_date_as_polish(client, content):
    with translation.override("en"):
        english = client.get(reverse("events:rss")).content.decode()
    polish = client.get(reverse("events:rss")).content.decode()

    # The items' descriptions are HTML, escaped inside the XML.
    english, polish = unescape(english), unescape(polish)
    assert f'<div lang="pl"><p>{EVENT_TEXT}</p></div>' in english
    assert f'Reason: <span lang="pl">{REASON}</span>' in english
    assert "lang=" not in polish and EVENT_TEXT in polish and f"Powód: {REASON}" in polish


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the migrated districts for later tests
def test_cached_fragments_never_carry_one_language_markup_to_the_other(client, cache_on, content):
    english, polish = pages(content, "en"), pages(content, "pl")
    for page in english:
        # The English page first fills the caches (page, fragments, cards, the map), then the Polish one, then
        # again: each is what it would be on its own.
        first = parsed(client, english[page][0])
        second = parsed(client, polish[page][0])
        again = parsed(client, english[page][0])
        assert second.in_main == [], page
        assert first.in_main == again.in_main and ("pl" in {lang for _tag, lang in first.in_main}), page
