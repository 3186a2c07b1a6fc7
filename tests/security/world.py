"""The small data set the suite walks: one of everything a page shows, built with tests/factories.py, and then
(`poison`) every text field of it holding a hostile input that the model's own validation accepts."""

from datetime import timedelta
from types import SimpleNamespace

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.test import override_settings
from django.utils import timezone

from common.mail import send_email_task
from events.models import CoOrganiserInvitation
from members.models import Erasure, WorkingGroupMembership
from members.services import propose_organisation_change
from network.models import Facts, Page
from partnerships.models import ContactMessage, CoordinatorAccess, Invitation
from practices.models import Photo, Practice, Topic
from practices.services import save_practice, submit_practice
from tests import factories
from tests.events.helpers import weekly_club_with_exceptions

from .corpora import FORMULAS, XSS

PASSWORD = "haslo-testowe-123"


def build():
    """A published partnership with a district, a place, a member organisation, a person with consent in its team, an
    event with dates in it, a good practice (sent for publication, then published) with a photo, a working group, a
    position, the network's pages and facts, a kind of BORIS's support (its events are the partnership's, of kind
    "local") and a request for it, a coordinator, a message from the partnership's contact form, and one row of each
    thing the admin lists."""
    users = get_user_model().objects
    partnership = factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"], contact_email="s@example.org")
    other = factories.partnership(name="Partnerstwo Wola", districts=["wola"])
    place = factories.place(name="Dom Sąsiedzki Sady", district_slug="zoliborz")
    partnership.places.add(place)
    organisation = factories.organisation(name="Fundacja Sady", district_slug="zoliborz")
    membership = factories.membership(organisation_obj=organisation, partnership_obj=partnership)
    person = factories.person(first_name="Ewa", last_name="Sadowska", public_contact=True, email="ewa@example.org")
    role = factories.team_role(person_obj=person, partnership_obj=partnership, organisation=organisation)
    event = factories.event(title="Piknik w Sadach", organisers=[partnership, other], place=place)
    cancelled = factories.event(
        title="Warsztaty w Sadach", organisers=[partnership], place=place, status="cancelled", cancellation_reason="."
    )
    # A series (its dates page and per-date actions), an invitation of `partnership` to co-organise an event of
    # `other`, and a proposed change of an organisation both share, made by `other` for `partnership` to decide.
    club = weekly_club_with_exceptions(title="Klub w Sadach", organisers=[partnership], place=place)
    guest_event = factories.event(title="Festyn na Woli", organisers=[other])
    co_invitation = CoOrganiserInvitation.objects.create(event=guest_event, partnership=partnership, inviter=other)
    shared = factories.organisation(name="Fundacja Wspólna Sady", district_slug="zoliborz")
    factories.membership(organisation_obj=shared, partnership_obj=partnership)
    factories.membership(organisation_obj=shared, partnership_obj=other)
    group = factories.working_group(name="Zespół Sady")
    group.partnerships.add(partnership)
    WorkingGroupMembership.objects.create(working_group=group, person=person, role="lider")
    position = factories.position(title="Stanowisko w sprawie Sadów", working_group=group)
    position.partnerships.add(partnership)
    # A general meeting with published minutes (a PDF attached, the group chosen) and the group's next meeting.
    general_meeting = factories.general_meeting(title="Spotkanie ogólne WSPL w Sadach", place=place)
    minutes = factories.minutes(event_obj=general_meeting, body="# Ustalenia\n\n- Zespół Sady działa.")
    minutes.working_groups.add(group)
    factories.minutes_attachment(minutes_obj=minutes, title="Lista obecności")
    group_meeting = factories.event(title="Spotkanie Zespołu Sady", kind="working_group", working_group=group)
    pages = [
        Page.objects.create(key=key, language="pl", title=f"Strona {key}", body="Treść.", is_published=True)
        for key in Page.Key.values
    ]
    facts = Facts.objects.create(operator_name="Stowarzyszenie BORIS", postal_address="ul. Próbna 1")
    support_kind = factories.support_kind(name="Szkolenia", event_kind="local", audience="Koordynatorzy.")
    support_request = factories.support_request(kind=support_kind, partnership=partnership)
    coordinator = users.create_user(username="koordynatorka-sady", password=PASSWORD)
    access = CoordinatorAccess.objects.create(user=coordinator, partnership=partnership)
    other_coordinator = users.create_user(username="koordynator-wola", password=PASSWORD)
    CoordinatorAccess.objects.create(user=other_coordinator, partnership=other)
    proposal = propose_organisation_change(
        organisation=shared, partnership=other, values={"kind": "fundacja lokalna"}, by=other_coordinator
    )
    invitation = Invitation.objects.create(
        email="nowa@example.org",
        partnership=partnership,
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    # A good practice of the partnership, sent for publication, naming what it can, with a photo.
    practice = Practice(
        partnership=partnership,
        title="Lodówka w Sadach",
        summary="Dzielimy się jedzeniem.",
        problem="Jedzenie się marnowało.",
        steps="Postawiliśmy lodówkę.",
        contact_person=person,
        started_on=timezone.localdate() - timedelta(days=300),
    )
    save_practice(
        practice=practice,
        by=coordinator,
        topics=Topic.objects.all()[:2],
        organisations=[organisation],
        partner_partnerships=[other],
    )
    submit_practice(practice=practice, by=coordinator)
    # …and published, with every part of its shape filled, so the public pages, feeds and files show it.
    practice.easy_read, practice.worked, practice.did_not_work, practice.results = (
        "Prosto o lodówce.",
        "Grafik.",
        "Wieczory.",
        "Mniej marnowania.",
    )
    practice.is_published, practice.published_at = True, timezone.now()
    practice.save()
    factories.topic("dom-sasiedzki").save()  # a version in the topic's history, as staff editing it leave
    photo = Photo.objects.create(practice=practice, image="practices/lodowka.png", alt="Lodówka", caption="Pod blokiem")
    contact_message = ContactMessage.objects.create(
        partnership=partnership, name="Zofia", email="zofia@example.org", reason="resident", message="Chcę dołączyć."
    )
    exchange_entry = factories.exchange_entry(
        partnership_obj=partnership, title="Pożyczymy namiot", description="W weekendy.", district=place.district
    )
    Group.objects.create(name="Redakcja")
    Erasure.objects.create(person_id=999, erased_by=coordinator, kept_as_anonymous=False)
    AccessAttempt.objects.create(
        username="ktos",
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        path_info="/konto/logowanie/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_email_task.enqueue(subject="Zaproszenie", body="Treść", to=["nowa@example.org"], attempt=1)
    return SimpleNamespace(
        partnership=partnership,
        other=other,
        district=factories.district("zoliborz"),
        place=place,
        organisation=organisation,
        membership=membership,
        person=person,
        role=role,
        event=event,
        cancelled=cancelled,
        occurrence=event.occurrences.order_by("start").first(),
        club=club,
        club_date=club.occurrences.order_by("start").first(),
        co_invitation=co_invitation,
        shared=shared,
        proposal=proposal,
        group=group,
        position=position,
        general_meeting=general_meeting,
        minutes=minutes,
        group_meeting=group_meeting,
        pages=pages,
        facts=facts,
        support_kind=support_kind,
        support_request=support_request,
        coordinator=coordinator,
        access=access,
        invitation=invitation,
        contact_message=contact_message,
        exchange_entry=exchange_entry,
        practice=practice,
        photo=photo,
    )


# Text that is a rule, not words: the model's save() reads it (an event's recurrence, RRULE syntax).
RULES = {"recurrence"}


def text_fields(obj):
    """The model fields of `obj` a person types text into: one-line and multi-line text, no choices, no slugs."""
    return [
        field
        for field in obj._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField)
        and field.name not in RULES
    ]


# What `poison` fills: the rows the public pages, feeds and files show.
POISONED = (
    "partnership other district place organisation membership person event cancelled occurrence group position "
    "support_kind contact_message exchange_entry practice photo general_meeting minutes group_meeting"
)


def poison(world, texts=None):
    """Every text field of every object of `world` gets a hostile text its model accepts (the first, from a place
    that moves with each field, that passes the field's validation); returns how many fields took one."""
    texts = texts or [vector.text for vector in XSS]
    objects = [getattr(world, name) for name in POISONED.split()]
    objects += [world.facts, *world.pages, *world.group.people.all(), *world.minutes.attachments.all()]
    poisoned = 0
    for obj in objects:
        for field in text_fields(obj):
            start = poisoned * 7 % len(texts)
            for text in texts[start:] + texts[:start]:
                try:
                    field.clean(text, obj)
                except ValidationError:
                    continue
                kept = getattr(obj, field.attname)
                setattr(obj, field.attname, text)
                try:
                    obj.validate_constraints()
                except ValidationError:  # e.g. a cancellation's reason on an event that is not cancelled
                    setattr(obj, field.attname, kept)
                    break
                poisoned += 1
                break
        obj.save()
    return poisoned


def poison_with_formulas(world):
    return poison(world, FORMULAS)
