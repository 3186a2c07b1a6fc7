"""Small factory functions for tests: each makes one valid object, overrides by keyword."""

import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from common.text import make_slug
from events.models import Event, Minutes, MinutesAttachment
from members.models import ContactConsent, Membership, Organisation, PartnershipRole, Person
from network.models import ExchangeEntry, SupportKind, SupportRequest
from partnerships.models import CoordinatorAccess, District, Partnership, Place, Position, WorkingGroup
from practices.models import Practice, Topic

_counter = itertools.count(1)


def _n():
    return next(_counter)


def district(slug="zoliborz"):
    """Districts come from the data migration; tests pick one by slug."""
    return District.objects.get(slug=slug)


def partnership(*, districts=(), name=None, **fields):
    name = name or f"Partnerstwo testowe {_n()}"
    fields.setdefault("slug", make_slug(name))
    fields.setdefault("summary", f"Opis skrócony: {name}")
    obj = Partnership.objects.create(name=name, **fields)
    if districts:
        obj.districts.set([d if isinstance(d, District) else district(d) for d in districts])
    return obj


def place(*, name=None, district_slug="zoliborz", **fields):
    name = name or f"Dom sąsiedzki {_n()}"
    fields.setdefault("slug", make_slug(name))
    fields.setdefault("street_address", "ul. Przykładowa 1")
    fields.setdefault("latitude", "52.270000")
    fields.setdefault("longitude", "20.980000")
    return Place.objects.create(name=name, district=district(district_slug), **fields)


def organisation(*, name=None, sector=Organisation.Sector.NGO, district_slug=None, **fields):
    name = name or f"Fundacja Testowa {_n()}"
    fields.setdefault("slug", make_slug(name))
    if district_slug:
        fields["district"] = district(district_slug)
    return Organisation.objects.create(name=name, sector=sector, **fields)


def membership(*, organisation_obj=None, partnership_obj=None, **fields):
    return Membership.objects.create(
        organisation=organisation_obj or organisation(),
        partnership=partnership_obj or partnership(),
        **fields,
    )


def person(*, first_name="Anna", last_name=None, public_contact=False, **fields):
    """A person; `public_contact=True` gives them a consent, as members.services.record_consent would."""
    last_name = last_name or f"Testowa{_n()}"
    fields.setdefault("slug", make_slug(f"{first_name} {last_name}"))
    obj = Person.objects.create(first_name=first_name, last_name=last_name, public_contact=public_contact, **fields)
    if public_contact:
        ContactConsent.objects.create(person=obj, how=ContactConsent.How.WRITTEN)
    return obj


def team_role(*, person_obj=None, partnership_obj=None, role=PartnershipRole.Role.ANIMATOR, **fields):
    return PartnershipRole.objects.create(
        person=person_obj or person(), partnership=partnership_obj or partnership(), role=role, **fields
    )


def event(*, title=None, start=None, hours=2, organisers=(), **fields):
    title = title or f"Spotkanie testowe {_n()}"
    start = start or timezone.now() + timedelta(days=3)
    fields.setdefault("slug", make_slug(f"{title} {start:%Y-%m-%d}"))
    obj = Event.objects.create(title=title, start=start, end=start + timedelta(hours=hours), **fields)
    if organisers:
        obj.organisers.set(organisers)
    return obj


def working_group(*, name=None, **fields):
    name = name or f"Zespół roboczy {_n()}"
    fields.setdefault("slug", make_slug(name))
    fields.setdefault("purpose", "Wspólna praca nad tematem sieci.")
    return WorkingGroup.objects.create(name=name, **fields)


def position(*, title=None, **fields):
    title = title or f"Stanowisko {_n()}"
    fields.setdefault("slug", make_slug(title))
    fields.setdefault("adopted_on", timezone.localdate())
    fields.setdefault("summary", "Krótko o stanowisku.")
    fields.setdefault("body", "Treść stanowiska sieci.")
    return Position.objects.create(title=title, **fields)


def general_meeting(*, title=None, days=-30, **fields):
    """A general meeting of the network, `days` from now (past by default)."""
    title = title or f"Spotkanie ogólne WSPL {_n()}"
    return event(title=title, start=timezone.now() + timedelta(days=days), kind=Event.Kind.GENERAL_MEETING, **fields)


def minutes(*, event_obj=None, body="Ustalenia spotkania.", working_groups=(), **fields):
    """Minutes of a meeting (published unless told), with `working_groups` chosen at it."""
    fields.setdefault("is_published", True)
    obj = Minutes.objects.create(event=event_obj or general_meeting(), body=body, **fields)
    obj.working_groups.set(working_groups)
    return obj


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def minutes_attachment(*, minutes_obj=None, title="Lista obecności", content=PDF):
    attachment = MinutesAttachment(minutes=minutes_obj or minutes(), title=title)
    attachment.file.save("protokol.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def topic(slug="dom-sasiedzki"):
    """Topics come from the data migration; tests pick one by slug."""
    return Topic.objects.get(slug=slug)


def practice(*, title=None, partnership_obj=None, topics=(), published=True, **fields):
    """A good practice of `partnership_obj` (a new published partnership by default); published unless told."""
    title = title or f"Dobra praktyka {_n()}"
    fields.setdefault("slug", make_slug(title))
    fields.setdefault("summary", f"W skrócie: {title}")
    fields.setdefault("problem", "Mieszkańcy nie mieli gdzie się spotykać.")
    fields.setdefault("steps", "Najpierw rozmowy z sąsiadami, potem umowa z urzędem dzielnicy.")
    if published:
        fields.setdefault("published_at", timezone.now())
    obj = Practice.objects.create(
        title=title, partnership=partnership_obj or partnership(), is_published=published, **fields
    )
    if topics:
        obj.topics.set([t if isinstance(t, Topic) else topic(t) for t in topics])
    return obj


def coordinator_access(*, user, partnership_obj):
    return CoordinatorAccess.objects.create(user=user, partnership=partnership_obj)


def support_kind(*, name=None, **fields):
    name = name or f"Wsparcie {_n()}"
    fields.setdefault("slug", make_slug(name))
    fields.setdefault("description", "Opis wsparcia BORIS.")
    return SupportKind.objects.create(name=name, **fields)


def support_request(*, kind=None, name="Ola Prosząca", **fields):
    fields.setdefault("email", "ola@example.org")
    fields.setdefault("message", "Potrzebujemy szkolenia dla zespołu.")
    return SupportRequest.objects.create(kind=kind or support_kind(), name=name, **fields)


def exchange_entry(*, partnership_obj=None, title=None, kind=ExchangeEntry.Kind.OFFER, **fields):
    """A current entry of the exchange (public unless told); a recommended contact gets a name."""
    fields.setdefault("is_public", True)
    if kind == ExchangeEntry.Kind.CONTACT:
        fields.setdefault("contact_name", "Drukarnia Przykładowa")
    return ExchangeEntry.objects.create(
        partnership=partnership_obj or partnership(), title=title or f"Pożyczymy krzesła {_n()}", kind=kind, **fields
    )


def network(size):
    """A small network of `size` rows of each kind, all linked: for query-count tests."""
    districts = [district("zoliborz"), district("mokotow")]
    shared_place = place(district_slug="zoliborz")
    partnerships = []
    for i in range(size):
        p = partnership(districts=districts)
        p.places.add(shared_place if i % 2 else place(district_slug="mokotow"))
        partnerships.append(p)
        org = organisation(district_slug="zoliborz", sector=Organisation.Sector.values[i % 6])
        membership(organisation_obj=org, partnership_obj=p, role=Membership.Role.MEMBER)
        if i:
            membership(organisation_obj=org, partnership_obj=partnerships[0])
        team_role(partnership_obj=p, person_obj=person(public_contact=bool(i % 2), email=f"p{i}@example.org"))
        event(organisers=[p, partnerships[0]] if i else [p], place=shared_place)
        event(start=timezone.now() - timedelta(days=10 + i), organisers=[p], place=shared_place)
        event(title=f"Wydarzenie sieci {_n()}")
        group = working_group()
        group.partnerships.add(p)
        position(working_group=group).partnerships.add(p)
    return partnerships
