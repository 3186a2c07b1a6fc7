"""The back office for BORIS staff: every registered model, its lists, forms, inlines and actions.

The page tests walk every model the admin site has an admin for (`admin.site.get_model_admin`),
so a model registered later gets its changelist, add form, access checks and the Polish of its
sentences tested without touching this file; the tests that need an object ask for an example
in `MAKERS` and fail until one is added.
"""

import html
import itertools
import json
import re
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from backoffice.models import BackgroundTask
from common.mail import send_email_task
from events.models import CoOrganiserInvitation, Event
from members.models import (
    ContactConsent,
    Erasure,
    Membership,
    Organisation,
    PartnershipRole,
    Person,
    WorkingGroupMembership,
)
from members.services import propose_organisation_change
from network.models import Facts, Page
from partnerships.admin import PolishNamesMixin
from partnerships.models import ContactMessage, District, Invitation, Partnership, PreviousName, WorkingGroup
from practices.models import Photo, Topic

from .. import factories
from ..utils import admin_models, log_in

pytestmark = pytest.mark.django_db

_counter = itertools.count(1)


def _n():
    return next(_counter)


def _key(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _user(**fields):
    n = _n()
    return get_user_model().objects.create_user(username=f"konto{n}", email=f"konto{n}@example.org", **fields)


def _district():
    n = _n()
    return District.objects.create(name=f"Dzielnica próbna {n}", slug=f"dzielnica-probna-{n}")


def _partnership():
    obj = factories.partnership(districts=["zoliborz", "mokotow"])
    factories.membership(partnership_obj=obj)
    factories.team_role(partnership_obj=obj)
    return obj


def _working_group():
    group = factories.working_group()
    group.partnerships.add(factories.partnership())
    WorkingGroupMembership.objects.create(working_group=group, person=factories.person())
    return group


def _person():
    obj = factories.person(user=_user(), email=f"osoba{_n()}@example.org")
    factories.team_role(person_obj=obj)
    return obj


def _page():
    """A page of its own two-letter language code: one page per key and language may exist."""
    n = _n()
    return Page.objects.create(
        key="about", language=f"{chr(97 + n // 26 % 26)}{chr(97 + n % 26)}", title=f"Strona {n}", is_published=True
    )


def _event():
    return factories.event(organisers=[factories.partnership()], place=factories.place())


def _minutes():
    """Minutes of a general meeting with a working group chosen and a PDF attached."""
    minutes = factories.minutes(working_groups=[factories.working_group()])
    factories.minutes_attachment(minutes_obj=minutes)
    return minutes


def _failed_email():
    """An e-mail whose last attempt failed, as the worker leaves it (common/mail.py)."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = send_email_task.enqueue(subject=f"Temat {_n()}", body="Treść", to=["ola@example.org"], attempt=6)
    task = BackgroundTask.objects.get(pk=result.id)
    task.status, task.finished_at, task.traceback = "FAILED", timezone.now(), "ConnectionRefusedError: refused"
    task.save()
    return task


def _practice():
    """A practice with its lists filled in and a photo, as the admin's form and its inline show them."""
    practice = factories.practice(
        topics=["dom-sasiedzki"], contact_person=factories.person(), working_group=factories.working_group()
    )
    practice.organisations.add(factories.organisation())
    practice.partner_partnerships.add(factories.partnership())
    Photo.objects.create(practice=practice, image="practices/zdjecie.jpg", alt="Sąsiedzi przy stole")
    return practice


def _contact_message():
    return ContactMessage.objects.create(
        partnership=factories.partnership(), name=f"Osoba {_n()}", email="o@example.org", reason="question", message="?"
    )


# One example object (with its relations filled in) of every model staff administer.
MAKERS = {
    "partnerships.district": _district,
    "partnerships.place": factories.place,
    "partnerships.partnership": _partnership,
    "partnerships.contactmessage": _contact_message,
    "partnerships.workinggroup": _working_group,
    "partnerships.position": lambda: factories.position(working_group=factories.working_group()),
    "members.organisation": lambda: factories.organisation(district_slug="wola", krs=f"{_n():010d}"),
    "members.membership": factories.membership,
    "members.person": _person,
    "members.partnershiprole": factories.team_role,
    "members.workinggroupmembership": lambda: WorkingGroupMembership.objects.create(
        working_group=factories.working_group(), person=factories.person()
    ),
    "members.contactconsent": lambda: ContactConsent.objects.create(
        person=factories.person(), how=ContactConsent.How.WRITTEN
    ),
    "members.erasure": lambda: Erasure.objects.create(person_id=_n(), erased_by=_user(), kept_as_anonymous=False),
    "members.organisationchangeproposal": lambda: propose_organisation_change(
        organisation=factories.membership().organisation,
        partnership=factories.partnership(),
        values={"kind": f"rodzaj {_n()}"},
        by=None,
    ),
    "partnerships.coordinatoraccess": lambda: factories.coordinator_access(
        user=_user(), partnership_obj=factories.partnership()
    ),
    "partnerships.invitation": lambda: Invitation.objects.create(
        email=f"zaproszona{_n()}@example.org",
        partnership=factories.partnership(),
        token_hash=f"{_n():064d}",
        expires_at=timezone.now() + timedelta(days=7),
    ),
    "events.event": _event,
    "events.coorganiserinvitation": lambda: CoOrganiserInvitation.objects.create(
        event=_event(), partnership=factories.partnership()
    ),
    "events.minutes": _minutes,
    "network.page": _page,
    "practices.topic": lambda: Topic.objects.create(name=f"temat {_n()}", slug=f"temat-{_n()}"),
    "practices.practice": _practice,
    "network.facts": lambda: Facts.objects.create(operator_name=f"Stowarzyszenie {_n()}"),
    "network.supportkind": factories.support_kind,
    "network.supportrequest": factories.support_request,
    "network.exchangeentry": factories.exchange_entry,
    "auth.user": _user,
    "auth.group": lambda: Group.objects.create(name=f"Grupa {_n()}"),
    "axes.accessattempt": lambda: AccessAttempt.objects.create(
        username=f"osoba{_n()}",
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        path_info="/konto/logowanie/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    ),
    "backoffice.backgroundtask": _failed_email,
}


REGISTERED = admin_models()
REGISTERED_IDS = [_key(model) for model in REGISTERED]
# Failed logins are written by django-axes, background tasks by the queue, erasures by the erasure, invitations to
# co-organise an event by the event form (with the e-mail), proposed changes of organisations by coordinators,
# messages from a partnership's contact form and requests for BORIS's support by visitors: no add page.
NOT_ADDED_BY_HAND = {
    "axes.accessattempt",
    "backoffice.backgroundtask",
    "events.coorganiserinvitation",
    "members.erasure",
    "members.organisationchangeproposal",
    "network.supportrequest",
    "partnerships.contactmessage",
}
ADDABLE = [model for model in REGISTERED if _key(model) not in NOT_ADDED_BY_HAND]
# The trace of an erasure stays: nobody deletes it in the admin (members/admin.py, ErasureAdmin).
KEPT = {"members.erasure"}
DELETABLE = [model for model in REGISTERED if _key(model) not in KEPT]
# The network's facts are one row: the add page is there only while none exists (network/admin.py).
ONE_ROW = {"network.facts"}
PUBLISHABLE = [model for model in REGISTERED if any(f.name == "is_published" for f in model._meta.fields)]


def accusative(model):
    """The model's name as the object of "Dodaj", "Zmień", "Usuń": "osobę" (PolishNamesMixin)."""
    with translation.override("pl"):
        return str(admin.site.get_model_admin(model).verbose_name_accusative)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def management_data(response):
    """Empty management forms for every inline on an admin add/change page."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        initial = inline.formset.initial_form_count()
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(initial),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


def partnership_form(staff_client, **fields):
    """POST data of the partnership add form: required fields, empty inlines, then `fields`."""
    response = staff_client.get(admin_url(Partnership, "add"))
    data = {
        "name": "Partnerstwo Nowe Jelonki",
        "slug": "partnerstwo-nowe-jelonki",
        "kind": Partnership.Kind.LOCAL,
        "status": Partnership.Status.ACTIVE,
        "formal_status": Partnership.FormalStatus.INFORMAL,
        "is_published": "on",
        **management_data(response),
    }
    data.update(fields)
    return data


def event_form(**fields):
    data = {
        "title": "Spotkanie sąsiedzkie",
        "slug": "spotkanie-sasiedzkie",
        "kind": Event.Kind.LOCAL,
        "start_0": "2030-05-10",
        "start_1": "18:00",
        "end_0": "2030-05-10",
        "end_1": "20:00",
        "status": Event.Status.SCHEDULED,
        "is_published": "on",
    }
    data.update(fields)
    return data


# --- every registered model -------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_staff_see_changelist_of_every_model_with_its_rows(staff_client, model):
    obj = MAKERS[_key(model)]() if _key(model) in MAKERS else None

    response = staff_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert f"<h1>Wybierz {accusative(model)} do " in response.content.decode()
    if obj is not None:
        assert admin_url(model, "change", obj.pk) in response.content.decode()


@pytest.mark.parametrize("model", ADDABLE, ids=_key)
def test_staff_see_add_form_of_every_model(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert f"<h1>Dodaj {accusative(model)}</h1>" in response.content.decode()


@pytest.mark.parametrize("key", sorted(NOT_ADDED_BY_HAND))
def test_what_is_not_added_by_hand_has_no_add_page_nor_link(staff_client, key):
    model = apps.get_model(key)
    assert model in REGISTERED

    assert staff_client.get(admin_url(model, "add")).status_code == 403
    changelist = staff_client.get(admin_url(model, "changelist")).content.decode()
    assert f"<h1>Wybierz {accusative(model)} do zmiany</h1>" in changelist
    assert f"Dodaj {accusative(model)}" not in changelist


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_staff_see_change_form_of_every_model(staff_client, model):
    assert _key(model) in MAKERS, f"Add an example object of {_key(model)} to MAKERS in tests/wspl_site/test_admin.py"
    obj = MAKERS[_key(model)]()

    response = staff_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(str(obj)) in page
    # The links beside related fields name the model after a colon, never in Django's "kolejne(go)(-ną)".
    assert "(go)" not in page and "(-ną)" not in page and "(-ne)" not in page


def test_links_beside_related_fields_read_in_polish(staff_client):
    page = staff_client.get(admin_url(Event, "change", MAKERS["events.event"]().pk)).content.decode()

    assert 'title="Dodaj nowy wpis: miejsce"' in page
    assert 'title="Zmień wybrany wpis: miejsce"' in page


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_anonymous_users_are_sent_to_admin_login_and_non_staff_refused(client, plain_user, model):
    url = admin_url(model, "changelist")

    anonymous = client.get(url)
    client.force_login(plain_user)
    logged_in = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))
    assert logged_in.status_code == 403


@pytest.mark.parametrize("model", [m for m in REGISTERED if _key(m) in MAKERS], ids=_key)
def test_changelist_query_count_does_not_grow_with_rows(staff_client, model):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    for _ in range(2):
        MAKERS[_key(model)]()
    small = queries()
    for _ in range(10):
        MAKERS[_key(model)]()
    large = queries()

    assert len(large) == len(small), (small, large)


def _autocomplete_cases():
    """(admin model, model of the field, field name) of every autocomplete field, inlines included."""
    cases = []
    for model in REGISTERED:
        model_admin = admin.site.get_model_admin(model)
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            for field_name in owner.autocomplete_fields:
                cases.append(pytest.param(owner.model, field_name, id=f"{_key(owner.model)}.{field_name}"))
    return list({case.id: case for case in cases}.values())


@pytest.mark.parametrize(("model", "field_name"), _autocomplete_cases())
def test_every_autocomplete_field_answers_staff(staff_client, model, field_name):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name},
    )

    assert response.status_code == 200
    assert "results" in response.json()


# --- lists: columns, search, filters -------------------------------------------------------


def test_partnership_list_shows_districts_and_current_member_count(staff_client):
    obj = factories.partnership(name="Partnerstwo Sady Żoliborskie", districts=["zoliborz", "bielany"])
    factories.membership(partnership_obj=obj)
    factories.membership(partnership_obj=obj)
    factories.membership(partnership_obj=obj, since=date(2015, 1, 1), until=date(2016, 1, 1))

    content = staff_client.get(admin_url(Partnership, "changelist")).content.decode()

    assert '<td class="field-member_count">2</td>' in content
    assert "Bielany, Żoliborz" in content


def test_partnership_list_keeps_to_few_narrow_columns_and_says_which_rows_are_hidden(staff_client):
    factories.partnership(name="Partnerstwo Widoczne", last_verified_on=date(2026, 10, 23))
    factories.partnership(name="Partnerstwo Ukryte", is_published=False, status=Partnership.Status.DORMANT)

    response = staff_client.get(admin_url(Partnership, "changelist"))

    content = response.content.decode()
    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', content)
    assert columns == ["name", "status_shown", "member_count", "district_names", "verified_on"]
    assert '<td class="field-status_shown">uśpione<br><span class="quiet">ukryte</span></td>' in content
    assert '<td class="field-verified_on">23 października 2026</td>' in content


def test_search_finds_partnership_by_name(staff_client):
    factories.partnership(name="Partnerstwo Stegny")
    factories.partnership(name="Sąsiedzi z Bródna")

    response = staff_client.get(admin_url(Partnership, "changelist"), {"q": "stegny"})

    content = response.content.decode()
    assert "Partnerstwo Stegny" in content
    assert "Sąsiedzi z Bródna" not in content


def test_search_finds_organisation_by_krs(staff_client):
    factories.organisation(name="Fundacja Wspólne Podwórko", krs="0000123456")
    factories.organisation(name="Stowarzyszenie Inne")

    content = staff_client.get(admin_url(Organisation, "changelist"), {"q": "0000123456"}).content.decode()

    assert "Fundacja Wspólne Podwórko" in content
    assert "Stowarzyszenie Inne" not in content


def test_search_finds_event_by_organiser_name(staff_client):
    organiser = factories.partnership(name="Partnerstwo Nowolipki")
    factories.event(title="Piknik na podwórku", organisers=[organiser])
    factories.event(title="Szkolenie dla animatorów")

    content = staff_client.get(admin_url(Event, "changelist"), {"q": "Nowolipki"}).content.decode()

    assert "Piknik na podwórku" in content
    assert "Szkolenie dla animatorów" not in content


def test_filters_narrow_partnership_list_by_kind_and_district(staff_client):
    factories.partnership(name="Forum Branżowe", kind=Partnership.Kind.THEMATIC)
    factories.partnership(name="Partnerstwo Ochoty", districts=["ochota"])
    url = admin_url(Partnership, "changelist")

    by_kind = staff_client.get(url, {"kind__exact": "thematic"}).content.decode()
    by_district = staff_client.get(url, {"districts__id__exact": factories.district("ochota").pk}).content.decode()

    assert "Forum Branżowe" in by_kind and "Partnerstwo Ochoty" not in by_kind
    assert "Partnerstwo Ochoty" in by_district and "Forum Branżowe" not in by_district


def test_filters_narrow_organisation_list_by_sector(staff_client):
    factories.organisation(name="Biblioteka na Ochocie", sector=Organisation.Sector.PUBLIC)
    factories.organisation(name="Fundacja Zielony Skwer", sector=Organisation.Sector.NGO)

    content = staff_client.get(admin_url(Organisation, "changelist"), {"sector__exact": "public"}).content.decode()

    assert "Biblioteka na Ochocie" in content
    assert "Fundacja Zielony Skwer" not in content


def test_filters_narrow_event_list_by_kind_and_network_wide(staff_client):
    factories.event(title="Szkolenie z moderacji", kind=Event.Kind.TRAINING)
    factories.event(title="Spotkanie partnerstwa Wola", organisers=[factories.partnership()])
    url = admin_url(Event, "changelist")

    trainings = staff_client.get(url, {"kind__exact": "training"}).content.decode()
    network_wide = staff_client.get(url, {"network": "yes"}).content.decode()

    assert "Szkolenie z moderacji" in trainings and "Spotkanie partnerstwa Wola" not in trainings
    assert "Szkolenie z moderacji" in network_wide and "Spotkanie partnerstwa Wola" not in network_wide


def test_membership_list_filters_current_and_former(staff_client):
    factories.membership(organisation_obj=factories.organisation(name="Fundacja Obecna"))
    factories.membership(
        organisation_obj=factories.organisation(name="Fundacja Dawna"), since=date(2012, 1, 1), until=date(2014, 1, 1)
    )
    url = admin_url(Membership, "changelist")

    current = staff_client.get(url, {"period": "current"}).content.decode()
    former = staff_client.get(url, {"period": "former"}).content.decode()

    assert "Fundacja Obecna" in current and "Fundacja Dawna" not in current
    assert "Fundacja Dawna" in former and "Fundacja Obecna" not in former


# --- actions ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", PUBLISHABLE, ids=_key)
def test_publish_and_hide_actions_flip_the_flag_and_say_how_many(staff_client, staff_user, model):
    first, second = MAKERS[_key(model)](), MAKERS[_key(model)]()
    url = admin_url(model, "changelist")
    selected = [first.pk, second.pk]

    hidden = staff_client.post(url, {"action": "unpublish_selected", "_selected_action": selected}, follow=True)
    assert "Ukryto. Liczba zmienionych pozycji: 2." in hidden.content.decode()
    assert not model.objects.filter(pk__in=selected, is_published=True).exists()

    model.objects.filter(pk=first.pk).update(is_published=True)
    published = staff_client.post(url, {"action": "publish_selected", "_selected_action": selected}, follow=True)
    assert "Opublikowano. Liczba zmienionych pozycji: 1." in published.content.decode()
    assert model.objects.filter(pk__in=selected, is_published=True).count() == 2

    again = staff_client.post(url, {"action": "publish_selected", "_selected_action": selected}, follow=True)
    assert "Zaznaczone pozycje były już opublikowane." in again.content.decode()
    if hasattr(model, "history"):  # each change is in the history, with who made it and why
        trail = model.history.filter(id__in=selected, history_user__isnull=False)
        assert sorted((row.id, row.history_user.pk, row.history_change_reason) for row in trail) == [
            (first.pk, staff_user.pk, "ukryto w panelu (zbiorczo)"),
            (second.pk, staff_user.pk, "opublikowano w panelu (zbiorczo)"),
            (second.pk, staff_user.pk, "ukryto w panelu (zbiorczo)"),
        ]


def test_a_partnership_added_in_the_admin_is_a_draft_until_published(staff_client):
    form = staff_client.get(admin_url(Partnership, "add")).content.decode()
    assert re.search(r'<input type="checkbox" name="is_published" id="id_is_published"(?! checked)[^>]*>', form)

    data = partnership_form(staff_client)
    del data["is_published"]  # the box left as the form offers it
    staff_client.post(admin_url(Partnership, "add"), data)

    draft = Partnership.objects.get(slug="partnerstwo-nowe-jelonki")
    assert draft.is_published is False
    visitor = Client()
    assert visitor.get(draft.get_absolute_url()).status_code == 404
    assert "Partnerstwo Nowe Jelonki" not in visitor.get(reverse("partnerships:list")).content.decode()


def test_publish_actions_are_offered_in_polish(staff_client):
    factories.partnership()
    content = staff_client.get(admin_url(Partnership, "changelist")).content.decode()

    assert "Opublikuj zaznaczone" in content
    assert "Ukryj zaznaczone" in content


def test_mark_verified_action_sets_todays_date(staff_client):
    obj = factories.partnership(last_verified_on=date(2020, 1, 1))

    response = staff_client.post(
        admin_url(Partnership, "changelist"),
        {"action": "mark_verified_today", "_selected_action": [obj.pk]},
        follow=True,
    )

    assert "Potwierdzono dane. Liczba partnerstw: 1." in response.content.decode()
    obj.refresh_from_db()
    assert obj.last_verified_on == timezone.localdate()
    record = obj.history.latest()
    assert (record.last_verified_on, record.history_change_reason) == (
        timezone.localdate(),
        "dane potwierdzone w panelu (zbiorczo)",
    )
    assert record.history_user.is_staff


# --- change pages and their inlines --------------------------------------------------------


def test_partnership_page_groups_fields_and_shows_members_team_and_coordinators(staff_client):
    obj = _partnership()

    content = staff_client.get(admin_url(Partnership, "change", obj.pk)).content.decode()

    for heading in ("Podstawowe", "Obszar", "Opis", "Kontakt", "Sześć warunków", "Publikacja"):
        assert f">{heading}</h2>" in content
    for inline in ("Organizacje członkowskie", "Zespół partnerstwa", "Konta z prawem edycji tego partnerstwa"):
        assert inline in content
    assert "Dawne nazwy" in content
    assert str(obj.memberships.get().organisation) in content


def test_person_page_shows_roles_and_working_groups(staff_client):
    person = factories.person(first_name="Ewa", last_name="Przykładowa")
    factories.team_role(person_obj=person, partnership_obj=factories.partnership(name="Partnerstwo Szczęśliwice"))
    WorkingGroupMembership.objects.create(
        person=person, working_group=factories.working_group(name="Zespół ds. komunikacji")
    )

    content = staff_client.get(admin_url(type(person), "change", person.pk)).content.decode()

    assert "Role w partnerstwach" in content and "Partnerstwo Szczęśliwice" in content
    assert "Zespoły robocze" in content and "Zespół ds. komunikacji" in content


def test_working_group_page_shows_its_people(staff_client):
    group = factories.working_group(name="Zespół ds. seniorów")
    WorkingGroupMembership.objects.create(
        working_group=group, person=factories.person(first_name="Jan", last_name="Próbny"), role="lider zespołu"
    )

    content = staff_client.get(admin_url(WorkingGroup, "change", group.pk)).content.decode()

    assert "Ludzie w zespole" in content
    assert "Jan Próbny" in content


def test_timestamps_are_read_only(staff_client):
    obj = factories.partnership()

    response = staff_client.get(admin_url(Partnership, "change", obj.pk))

    form = response.context["adminform"].form
    assert "created_at" not in form.fields and "updated_at" not in form.fields
    assert "Utworzono" in response.content.decode()


def test_partnership_added_with_inline_membership(staff_client):
    organisation = factories.organisation(name="Dom Kultury Przykładowy", sector=Organisation.Sector.PUBLIC)
    zoliborz = factories.district("zoliborz")
    data = partnership_form(
        staff_client,
        districts=[zoliborz.pk],
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-organisation": organisation.pk,
            "memberships-0-role": Membership.Role.COORDINATOR,
            "memberships-0-since": "2021-03-01",
            "memberships-0-signed_declaration": "on",
        },
    )

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    created = Partnership.objects.get(slug="partnerstwo-nowe-jelonki")
    assert list(created.districts.all()) == [zoliborz]
    membership = created.memberships.get()
    assert membership.organisation == organisation
    assert membership.role == Membership.Role.COORDINATOR
    assert membership.since == date(2021, 3, 1)
    assert membership.signed_declaration


def test_partnership_added_with_team_role_and_coordinator_access(staff_client):
    person = factories.person(first_name="Ola", last_name="Animatorka")
    account = _user()
    data = partnership_form(
        staff_client,
        **{
            "team_roles-TOTAL_FORMS": "1",
            "team_roles-0-person": person.pk,
            "team_roles-0-role": PartnershipRole.Role.ANIMATOR,
            "coordinator_accesses-TOTAL_FORMS": "1",
            "coordinator_accesses-0-user": account.pk,
        },
    )

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 302
    created = Partnership.objects.get(slug="partnerstwo-nowe-jelonki")
    assert created.team_roles.get().person == person
    assert created.coordinator_accesses.get().user == account
    assert Partnership.objects.editable_by(account).get() == created


def test_the_same_organisation_twice_in_one_period_is_refused(staff_client):
    organisation = factories.organisation()
    row = {"organisation": organisation.pk, "role": Membership.Role.MEMBER, "since": "2020-01-01"}
    data = partnership_form(
        staff_client,
        **{"memberships-TOTAL_FORMS": "2"},
        **{f"memberships-{i}-{field}": value for i in (0, 1) for field, value in row.items()},
    )
    data["memberships-1-since"] = "2022-01-01"

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 200
    assert "Ta organizacja jest wpisana dwa razy na ten sam okres." in response.content.decode()
    assert not Partnership.objects.exists()


def test_renaming_a_partnership_keeps_the_old_address(staff_client):
    obj = factories.partnership(name="Partnerstwo Stara Nazwa", slug="stara-nazwa")
    response = staff_client.get(admin_url(Partnership, "change", obj.pk))
    form = response.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, "", False)}
    data.update(
        name="Partnerstwo Nowa Nazwa",
        slug="nowa-nazwa",
        is_published="on",
        founded_year="",
        **management_data(response),
    )

    response = staff_client.post(admin_url(Partnership, "change", obj.pk), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert PreviousName.objects.get(slug="stara-nazwa").partnership == obj


# --- model validation shown as friendly Polish messages ------------------------------------


def test_event_ending_before_it_starts_is_refused_with_polish_message(staff_client):
    response = staff_client.post(admin_url(Event, "add"), event_form(end_0="2030-05-10", end_1="17:00"))

    assert response.status_code == 200
    assert "Wydarzenie musi skończyć się później, niż się zaczyna." in response.content.decode()
    assert not Event.objects.exists()


def test_event_added_through_admin_with_organisers(staff_client):
    organiser = factories.partnership()
    place = factories.place()

    response = staff_client.post(admin_url(Event, "add"), event_form(organisers=[organiser.pk], place=place.pk))

    assert response.status_code == 302
    event = Event.objects.get()
    assert list(event.organisers.all()) == [organiser]
    assert timezone.localtime(event.start).hour == 18


def test_declaration_date_without_declaration_is_refused(staff_client):
    data = partnership_form(staff_client, declaration_signed_on="2019-05-01")

    response = staff_client.post(admin_url(Partnership, "add"), data)

    assert response.status_code == 200
    assert "Datę deklaracji podaje się tylko przy podpisanej deklaracji." in response.content.decode()
    assert not Partnership.objects.exists()


def test_overlapping_membership_is_refused_with_polish_message(staff_client):
    existing = factories.membership(since=date(2019, 1, 1), until=date(2020, 12, 31))

    response = staff_client.post(
        admin_url(Membership, "add"),
        {
            "partnership": existing.partnership.pk,
            "organisation": existing.organisation.pk,
            "role": Membership.Role.MEMBER,
            "since": "2020-06-01",
            "until": "2021-06-01",
        },
    )

    assert response.status_code == 200
    assert "Ta organizacja była już członkiem tego partnerstwa w tym okresie." in response.content.decode()
    assert Membership.objects.count() == 1


def test_invalid_krs_is_refused_with_polish_message(staff_client):
    response = staff_client.post(
        admin_url(Organisation, "add"),
        {"name": "Fundacja Błędna", "slug": "fundacja-bledna", "sector": "ngo", "krs": "12345", "is_published": "on"}
        | management_data(staff_client.get(admin_url(Organisation, "add"))),
    )

    assert response.status_code == 200
    assert "Numer KRS to dokładnie 10 cyfr" in response.content.decode()
    assert not Organisation.objects.exists()


def test_working_group_cannot_end_before_it_starts(staff_client):
    response = staff_client.post(
        admin_url(WorkingGroup, "add"),
        {
            "name": "Zespół ds. młodzieży",
            "slug": "zespol-ds-mlodziezy",
            "purpose": "Praca z młodzieżą.",
            "established_on": "2022-01-01",
            "dissolved_on": (date(2022, 1, 1) - timedelta(days=1)).isoformat(),
        }
        | management_data(staff_client.get(admin_url(WorkingGroup, "add"))),
    )

    assert response.status_code == 200
    assert "Zespół nie może zakończyć pracy przed powołaniem." in response.content.decode()
    assert not WorkingGroup.objects.exists()


# --- Polish in the admin's sentences: names in the accusative, counts with plural forms ------------


def said_by(user, respond, path="/"):
    """The messages a staff member sees after `respond(request)` (an admin's response to a POST)."""
    request = RequestFactory().post(path)
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    respond(request)
    return [str(message) for message in messages.get_messages(request)]


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_every_admin_has_the_accusative_of_its_model_and_of_its_inlines(model):
    model_admin = admin.site.get_model_admin(model)

    assert isinstance(model_admin, PolishNamesMixin)
    assert accusative(model)
    for inline in model_admin.inlines:
        assert inline.verbose_name_accusative, f"{inline.__name__} has no verbose_name_accusative"


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_list_add_change_and_delete_pages_name_the_model_in_the_accusative(staff_client, model):
    name, nominative = accusative(model), str(model._meta.verbose_name)
    obj = MAKERS[_key(model)]()

    addable = model in ADDABLE and _key(model) not in ONE_ROW
    changelist = staff_client.get(admin_url(model, "changelist")).content.decode()
    add = staff_client.get(admin_url(model, "add")).content.decode() if addable else ""
    change = staff_client.get(admin_url(model, "change", obj.pk)).content.decode()
    deletable = _key(model) not in KEPT
    delete = staff_client.get(admin_url(model, "delete", obj.pk)).content.decode() if deletable else ""

    assert f"<h1>Wybierz {name} do zmiany</h1>" in changelist
    if addable:
        assert re.search(rf'class="addlink">\s*Dodaj {name}\s*</a>', changelist)
        assert f"<title>Dodaj {name} |" in add
        assert f"&rsaquo; Dodaj {name}\n</div>" in add  # the last crumb
    assert f"<h1>Zmień {name}</h1>" in change
    if deletable:
        assert f"Czy chcesz skasować {name} „{escape(obj)}”?" in delete
    if name != nominative:
        for page in (changelist, add, change, delete):
            assert not re.search(rf"(Dodaj|Zmień|skasować) {nominative}\b", page)


@pytest.mark.parametrize("model", REGISTERED, ids=REGISTERED_IDS)
def test_success_messages_name_the_model_in_the_accusative(staff_user, model):
    model_admin = admin.site.get_model_admin(model)
    name = accusative(model)
    obj = MAKERS[_key(model)]()
    url = admin_url(model, "change", obj.pk)
    linked = f'„<a href="{url}">{escape(obj)}</a>”'

    with translation.override("pl"):
        added = said_by(staff_user, lambda request: model_admin.response_add(request, obj))
        saved = said_by(staff_user, lambda request: model_admin.response_change(request, obj), path=url)
        deleted = said_by(staff_user, lambda request: model_admin.response_delete(request, str(obj), obj.pk))

    assert added == [f"Dodano {name} {linked}."]
    assert saved == [f"Zapisano {name} {linked}."]
    assert deleted == [f"Usunięto {name} „{escape(obj)}”."]


@pytest.mark.parametrize("key", sorted(KEPT))
def test_what_is_kept_cannot_be_deleted(staff_client, key):
    model = apps.get_model(key)
    obj = MAKERS[key]()

    assert staff_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert "Usuń" not in staff_client.get(admin_url(model, "change", obj.pk)).content.decode()
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", DELETABLE, ids=_key)
def test_deleting_an_object_says_so_in_the_accusative(staff_client, model):
    obj = MAKERS[_key(model)]()

    response = staff_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}, follow=True)

    assert f"Usunięto {accusative(model)} „{escape(obj)}”." in response.content.decode()
    assert not model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", DELETABLE, ids=_key)
def test_bulk_deletion_asks_and_reports_in_polish(staff_client, model):
    selected = [MAKERS[_key(model)]().pk for _ in range(2)]
    url = admin_url(model, "changelist")

    offered = staff_client.get(url).content.decode()
    asked = staff_client.post(url, {"action": "delete_selected", "_selected_action": selected}).content.decode()
    done = staff_client.post(
        url, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}, follow=True
    ).content.decode()

    assert '<option value="delete_selected">Usuń zaznaczone</option>' in offered
    assert "Usuń wybrane" not in offered
    assert "Czy na pewno chcesz usunąć 2 zaznaczone pozycje?" in " ".join(asked.split())
    assert "zaznaczone(go)" not in asked
    assert "Usunięto. Liczba usuniętych pozycji: 2." in done
    assert not model.objects.filter(pk__in=selected).exists()


@pytest.mark.parametrize(
    ("count", "question"),
    [
        (1, "Czy na pewno chcesz usunąć zaznaczoną pozycję?"),
        (3, "Czy na pewno chcesz usunąć 3 zaznaczone pozycje?"),
        (5, "Czy na pewno chcesz usunąć 5 zaznaczonych pozycji?"),
    ],
)
def test_bulk_deletion_counts_the_selected_rows_with_polish_plural_forms(staff_client, count, question):
    selected = [_district().pk for _ in range(count)]

    response = staff_client.post(
        admin_url(District, "changelist"), {"action": "delete_selected", "_selected_action": selected}
    )

    assert question in " ".join(response.content.decode().split())


def test_staff_who_may_only_view_see_view_titles_in_the_accusative(client):
    from django.contrib.auth.models import Permission

    viewer = _user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_person"))
    person = factories.person(first_name="Ewa", last_name="Nowak")
    log_in(client, viewer)

    changelist = client.get(admin_url(Person, "changelist")).content.decode()
    change = client.get(admin_url(Person, "change", person.pk)).content.decode()

    assert "<h1>Wybierz osobę do obejrzenia</h1>" in changelist
    assert "<h1>Zobacz osobę</h1>" in change
    assert "Dodaj osobę" not in changelist


def test_staff_add_a_person_and_change_a_district_and_are_told_so_in_polish(staff_client):
    add_page = staff_client.get(admin_url(Person, "add"))
    district = _district()

    added = staff_client.post(
        admin_url(Person, "add"),
        {"first_name": "Ewa", "last_name": "Nowak", "slug": "ewa-nowak", **management_data(add_page)},
        follow=True,
    )
    saved = staff_client.post(
        admin_url(District, "change", district.pk),
        {"name": "Dzielnica Nowa", "slug": "dzielnica-nowa", "bank": "left", "_continue": "1"},
        follow=True,
    )

    person = Person.objects.get(slug="ewa-nowak")
    assert f'Dodano osobę „<a href="{admin_url(Person, "change", person.pk)}">Ewa Nowak</a>”.' in added.content.decode()
    assert "Zapisano dzielnicę „" in saved.content.decode()
    assert "Dzielnica Nowa</a>”." in saved.content.decode()


def test_the_link_under_each_inline_table_adds_in_the_accusative(staff_client):
    content = staff_client.get(admin_url(Partnership, "add")).content.decode()

    options = [json.loads(html.unescape(found)) for found in re.findall(r"data-inline-formset='([^']*)'", content)]

    assert {option["options"]["addText"] for option in options} == {
        "Dodaj organizację członkowską",
        "Dodaj osobę do zespołu",
        "Dodaj dawną nazwę",
        "Dodaj konto z prawem edycji",
    }
    assert [option["name"] for option in options] == [f"#{option['options']['prefix']}" for option in options]
    assert all(option["options"]["deleteText"] == "Usuń" for option in options)


@pytest.mark.parametrize("model", [m for m in REGISTERED if admin.site.get_model_admin(m).inlines], ids=_key)
def test_every_inline_add_link_uses_its_accusative(staff_client, model):
    inlines = admin.site.get_model_admin(model).inlines
    expected = {f"Dodaj {inline.verbose_name_accusative}" for inline in inlines}

    content = staff_client.get(admin_url(model, "add")).content.decode()

    found = {
        json.loads(html.unescape(o))["options"]["addText"]
        for o in re.findall(r"data-inline-formset='([^']*)'", content)
    }
    assert found <= expected


def test_deleting_a_protected_object_explains_why_in_the_accusative(staff_client):
    organisation = factories.organisation(name="Fundacja Chroniona")
    factories.membership(organisation_obj=organisation)

    content = staff_client.get(admin_url(Organisation, "delete", organisation.pk)).content.decode()

    assert "<h1>Nie można usunąć „Fundacja Chroniona”</h1>" in content
    assert (
        "Aby usunąć organizację „Fundacja Chroniona”, trzeba najpierw usunąć te chronione obiekty powiązane:" in content
    )
    assert "Usunięcie organizacja" not in content


def test_list_counts_its_rows_with_polish_plural_forms(staff_client):
    districts = District.objects.count()  # the 18 districts of Warsaw, from a data migration
    factories.partnership(name="Partnerstwo Jedyne")

    district_list = staff_client.get(admin_url(District, "changelist")).content.decode()
    partnership_list = staff_client.get(admin_url(Partnership, "changelist")).content.decode()

    assert f"\n{districts} pozycji\n" in district_list
    assert "\n1 pozycja\n" in partnership_list
    assert f"{districts} dzielnice" not in district_list


def test_the_english_back_office_names_models_plainly(staff_client):
    person = factories.person(first_name="Ewa", last_name="Nowak")

    with translation.override("en"):
        add_url, delete_url = admin_url(Person, "add"), admin_url(Person, "delete", person.pk)

    add = staff_client.get(add_url).content.decode()
    delete = staff_client.get(delete_url).content.decode()

    assert add_url.startswith("/en/admin/")

    assert "<h1>Add person</h1>" in add
    assert 'Are you sure you want to delete the person "Ewa Nowak"?' in delete


# --- django-simple-history's pages ------------------------------------------------------------------


def test_history_page_names_its_columns_and_values_in_polish(staff_client):
    obj = factories.partnership(
        name="Partnerstwo z historią", founded_year=2001, last_verified_on=date(2026, 10, 23), is_published=True
    )
    obj.founded_year = None
    obj.last_verified_on = date(2026, 12, 1)
    obj.status = Partnership.Status.DORMANT
    obj.is_published = False
    obj.summary = "Bardzo długi opis " * 16  # within the field's 300 characters (PostgreSQL enforces them)
    obj.save()

    content = " ".join(staff_client.get(admin_url(Partnership, "history", obj.pk)).content.decode().split())

    for english in ("Change reason", "Changes", "None", "chars]", "True", "False", "2026-12-01"):
        assert english not in content
    for column in ("Wersja", "Data i godzina", "Rodzaj zmiany", "Kto zmienił", "Powód zmiany", "Zmiany"):
        assert f'<th scope="col">{column}</th>' in content
    assert "23 października 2026 &nbsp;&rarr;&nbsp;&nbsp;1 grudnia 2026" in content
    assert "działające &nbsp;&rarr;&nbsp;&nbsp;uśpione" in content
    assert "tak &nbsp;&rarr;&nbsp;&nbsp;nie" in content
    assert "2001 &nbsp;&rarr;&nbsp;&nbsp;-" in content
    assert "Bardzo …opis" in content  # a long text cut short in the middle


def test_history_dates_and_authors_are_shown_as_elsewhere_in_the_back_office(staff_client, staff_user):
    obj = factories.partnership(name="Partnerstwo Zmieniane")
    obj.name = "Partnerstwo Zmienione"
    obj._history_user = staff_user
    obj.save()
    record = obj.history.latest("history_date")

    content = staff_client.get(admin_url(Partnership, "history", obj.pk)).content.decode()

    assert date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT") in content
    assert ">pracownik</a>" in content  # the author, linked to the account


def test_change_page_breadcrumb_says_change(staff_client):
    obj = factories.partnership(name="Partnerstwo Wersjonowane")
    record = obj.history.latest("history_date")

    content = staff_client.get(
        reverse("admin:partnerships_partnership_simple_history", args=[obj.pk, record.history_id])
    ).content.decode()

    assert "&rsaquo;\n    Zmiana\n" in content
    assert "Przywróć partnerstwo" not in content and "Revert" not in content


# --- messages from the partnerships' contact form --------------------------------------------------


def test_contact_messages_are_listed_filtered_by_partnership_and_handled_and_cannot_be_edited(staff_client):
    sady, wola = factories.partnership(name="Partnerstwo Sady"), factories.partnership(name="Partnerstwo Wola")
    waiting = ContactMessage.objects.create(
        partnership=sady, name="Zofia", email="zofia@example.org", reason="resident", message="Chcę dołączyć."
    )
    ContactMessage.objects.create(
        partnership=wola, name="Jan", email="jan@example.org", reason="question", message="?", handled_at=timezone.now()
    )
    url = admin_url(ContactMessage, "changelist")

    by_partnership = staff_client.get(url, {"partnership__id__exact": sady.pk}).content.decode()
    unhandled = staff_client.get(url, {"handled": "no"}).content.decode()
    change = staff_client.post(admin_url(ContactMessage, "change", waiting.pk), {"message": "Zmienione", "name": "X"})

    assert "Zofia" in by_partnership and "jan@example.org" not in by_partnership
    assert "Zofia" in unhandled and "jan@example.org" not in unhandled
    assert "Chcę dołączyć." in staff_client.get(admin_url(ContactMessage, "change", waiting.pk)).content.decode()
    assert change.status_code in (200, 302)
    waiting.refresh_from_db()
    assert (waiting.name, waiting.message) == ("Zofia", "Chcę dołączyć.")


def test_staff_mark_contact_messages_handled_with_an_action(staff_client, staff_user):
    message = ContactMessage.objects.create(
        partnership=factories.partnership(), name="Zofia", email="zofia@example.org", reason="resident", message="?"
    )

    response = staff_client.post(
        admin_url(ContactMessage, "changelist"),
        {"action": "mark_handled", "_selected_action": [message.pk]},
        follow=True,
    )

    message.refresh_from_db()
    assert message.handled_by == staff_user and message.handled_at is not None
    assert "Oznaczono jako załatwione: 1." in response.content.decode()
