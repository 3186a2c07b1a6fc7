"""Every public page type, as (label, path) pairs built from the data in the database.

Shared by the browser tests (axe, reflow) and the HTML validity test, so both check the same pages.
"""

from django.urls import reverse
from django.utils import timezone, translation

from events.models import Event, Minutes
from members.models import Membership, Organisation, OrganisationChangeProposal
from members.services import propose_organisation_change
from network.models import ExchangeEntry
from partnerships.models import District, Partnership, Place, Position, WorkingGroup
from practices.models import Practice

MISSING_PATH = "/nie-ma-takiej-strony/"

# Site-wide search, the nearby page, open data and the account pages.
MORE_PAGES = [
    ("wyszukiwanie", "search", "?q=zoliborz"),
    ("wyszukiwanie bez wyników", "search", "?q=qqqxyz"),
    ("blisko mnie", "nearby", ""),
    ("dane otwarte", "open_data", ""),
    ("logowanie", "account:login", ""),
    ("reset hasła", "account:password_reset", ""),
]

# The coordinator area (/moje/): pages of one partnership the logged-in coordinator may edit.
COORDINATOR_PAGES = [
    ("moje partnerstwa", "coordinator:dashboard", False),
    ("partnerstwo koordynatora", "coordinator:partnership", True),
    ("edycja profilu", "coordinator:partnership_edit", True),
    ("logo i zdjęcie", "coordinator:partnership_images", True),
    ("nowy członek", "coordinator:membership_add", True),
    ("nowa osoba w zespole", "coordinator:team_add", True),
    ("nowe miejsce", "coordinator:place_add", True),
    ("nowe wydarzenie", "coordinator:event_add", True),
    ("historia zmian", "coordinator:partnership_history", True),
    ("propozycje zmian", "coordinator:proposal_list", True),
    ("dobre praktyki koordynatora", "coordinator:practice_list", True),
    ("nowa dobra praktyka", "coordinator:practice_add", True),
    ("giełda koordynatora", "coordinator:exchange_list", True),
    ("nowy wpis na giełdzie", "coordinator:exchange_add", True),
    ("giełda: przegląd tygodnia", "account:exchange_digest", False),
    ("giełda zasobów", "exchange", False),
]


def _url(name, **kwargs):
    return reverse(name, kwargs=kwargs or None)


def public_pages(language="pl"):
    """Each public page type once (lists also filtered and with a wrong filter value), plus the 404 page."""
    now = timezone.now()
    partnership = (
        Partnership.objects.public().exclude(easy_read_summary="").order_by("pk").first()
        or Partnership.objects.public().order_by("pk").first()
    )
    district = District.objects.filter(partnerships__is_published=True).order_by("pk").first()
    place = Place.objects.filter(partnerships__is_published=True).order_by("pk").first()
    organisation = Organisation.objects.public().filter(memberships__isnull=False).order_by("pk").first()
    event = Event.objects.public().upcoming(now).order_by("start").first()
    past_event = Event.objects.public().past(now).order_by("-start").first()
    group = WorkingGroup.objects.public().order_by("pk").first()
    position = Position.objects.public().order_by("pk").first()
    minutes = Minutes.objects.public().select_related("event").order_by("pk").first()
    practice = Practice.objects.public().exclude(easy_read="").order_by("pk").first()
    entry = ExchangeEntry.objects.public().order_by("pk").first()
    with translation.override(language):
        pages = [
            ("strona główna", _url("home")),
            ("partnerstwa", _url("partnerships:list")),
            ("partnerstwa w dzielnicy", _url("partnerships:list") + f"?dzielnica={district.slug}&rodzaj=local"),
            ("partnerstwa: zły filtr", _url("partnerships:list") + "?rodzaj=nieznany&dzielnica=atlantyda"),
            ("partnerstwo", partnership.get_absolute_url()),
            ("dzielnice", _url("partnerships:district_list")),
            ("dzielnica", district.get_absolute_url()),
            ("miejsca", _url("partnerships:place_list")),
            ("miejsce", place.get_absolute_url()),
            ("organizacje", _url("members:organisation_list")),
            ("organizacje z sektora", _url("members:organisation_list") + "?sektor=ngo"),
            ("organizacja", organisation.get_absolute_url()),
            ("wydarzenia", _url("events:list")),
            ("wydarzenia partnerstwa", _url("events:list") + f"?partnerstwo={partnership.slug}"),
            ("archiwum wydarzeń", _url("events:archive")),
            ("wydarzenie", event.get_absolute_url()),
            ("wydarzenie minione", past_event.get_absolute_url()),
            ("kalendarz miesiąca", _url("events:month_current")),
            ("jak subskrybować", _url("events:subscribe_help")),
            ("widżet wydarzeń partnerstwa", _url("events:widget_partnership", slug=partnership.slug)),
            ("zespoły robocze", _url("partnerships:working_group_list")),
            ("zespół roboczy", group.get_absolute_url()),
            ("spotkania ogólne", _url("partnerships:general_meeting_list")),
            ("stanowiska", _url("partnerships:position_list")),
            ("stanowisko", position.get_absolute_url()),
            ("dobre praktyki", _url("practices:list")),
            ("dobre praktyki z tematu", _url("practices:list") + "?temat=dom-sasiedzki"),
            ("o sieci", _url("about")),
            ("tekst łatwy do czytania", _url("easy_read")),
            ("BORIS", _url("boris")),
            ("jak dołączyć", _url("join")),
            ("giełda zasobów", _url("exchange")),
            ("giełda zasobów: zły filtr", _url("exchange") + "?rodzaj=nieznany"),
            ("wsparcie BORIS", _url("support")),
            ("logo WSPL", _url("logo") + f"?partnerstwo={partnership.slug}"),
            ("logo WSPL: zły wybór", _url("logo") + "?partnerstwo=nie-ma-takiego"),
            ("deklaracja dostępności", _url("accessibility")),
            ("prywatność", _url("privacy")),
            ("404", (f"/{language}" if language != "pl" else "") + MISSING_PATH),
        ]
        pages += [(label, _url(name) + query) for label, name, query in MORE_PAGES]
        if minutes is not None:  # the demo has one; smaller data sets may not
            pages.append(("spotkanie z protokołem", minutes.event.get_absolute_url()))
        if practice is not None:  # the demo network tells some; a smaller data set may not
            pages.append(("dobra praktyka", practice.get_absolute_url()))
        if entry is not None:  # the demo marks some entries public; a smaller data set may not
            pages.append(("wpis na giełdzie", entry.get_absolute_url()))
    return pages


def coordinator_pages(partnership, language="pl"):
    """The coordinator area's pages for `partnership` (the coordinator must be logged in). With a member shared with
    another partnership, also the proposal of its change and the decision on one from that partnership (made here
    when there is none yet)."""
    event = Event.objects.filter(organisers=partnership).order_by("pk").first()
    shared = (
        Membership.objects.current()
        .filter(organisation__memberships__partnership=partnership)
        .exclude(partnership=partnership)
        .select_related("organisation", "partnership")
        .order_by("organisation__sort_name", "partnership__sort_name")
        .first()
    )
    with translation.override(language):
        pages = [
            (label, _url(name, slug=partnership.slug) if per_partnership else _url(name))
            for label, name, per_partnership in COORDINATOR_PAGES
        ] + [("edycja wydarzenia", _url("coordinator:event_edit", slug=partnership.slug, pk=event.pk))]
        if practice := Practice.objects.filter(partnership=partnership).order_by("pk").first():
            pages.append(("edycja praktyki", _url("coordinator:practice_edit", slug=partnership.slug, pk=practice.pk)))
        if entry := ExchangeEntry.objects.filter(partnership=partnership).order_by("pk").first():
            pages.append(("edycja wpisu giełdy", _url("coordinator:exchange_edit", slug=partnership.slug, pk=entry.pk)))
        if shared is not None:
            proposal = OrganisationChangeProposal.objects.filter(
                organisation=shared.organisation, partnership=shared.partnership
            ).first() or propose_organisation_change(
                organisation=shared.organisation,
                partnership=shared.partnership,
                values={"kind": "filia biblioteki publicznej"},
                by=None,
            )
            slug = partnership.slug
            pages += [
                ("propozycja zmiany", _url("coordinator:organisation_propose", slug=slug, pk=shared.organisation.pk)),
                ("decyzja o propozycji", _url("coordinator:proposal_decide", slug=slug, pk=proposal.pk)),
            ]
        return pages
