"""A coordinator changes an organisation shared with other partnerships by proposing the change; the coordinators of
its other partnerships (or staff) accept or reject it, and the proposer sees the outcome. The history page shows a
coordinator only what is theirs: not another partnership's edits of a shared organisation or person.
"""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from common.forms import version_of
from common.history import authored
from members.models import Organisation, OrganisationChangeProposal
from members.services import merge_organisations, propose_organisation_change, reject_proposal
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/konto/logowanie/"


def make_user(django_user_model, username, **fields):
    return django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="haslo-testowe-123", **fields
    )


@pytest.fixture
def world(django_user_model):
    """Partnerships A (Sady Razem), B (Forum Bielan) and an unrelated C, a coordinator of each, a plain user and
    staff; "Fundacja Wspólna" belongs to A and B, "Klub Sąsiedzki" to A alone."""
    a = factories.partnership(name="Sady Razem", districts=["zoliborz"])
    b = factories.partnership(name="Forum Bielan", districts=["bielany"])
    c = factories.partnership(name="Partnerstwo Obce", districts=["wola"])
    shared = factories.organisation(
        name="Fundacja Wspólna", email="kontakt@wspolna.example.org", phone="22 123 45 67", kind="fundacja"
    )
    own = factories.organisation(name="Klub Sąsiedzki")
    for partnership in (a, b):
        factories.membership(organisation_obj=shared, partnership_obj=partnership)
    factories.membership(organisation_obj=own, partnership_obj=a)
    users = {
        "plain": make_user(django_user_model, "mieszkanka"),
        "coordinator_a": make_user(django_user_model, "ola", first_name="Ola", last_name="Sadowa"),
        "coordinator_b": make_user(django_user_model, "bartek", first_name="Bartek", last_name="Bielański"),
        "coordinator_c": make_user(django_user_model, "celina"),
        "staff": make_user(django_user_model, "boris-pracownik", is_staff=True, is_superuser=True),
    }
    for who, partnership in (("coordinator_a", a), ("coordinator_b", b), ("coordinator_c", c)):
        factories.coordinator_access(user=users[who], partnership_obj=partnership)
    return SimpleNamespace(a=a, b=b, c=c, shared=shared, own=own, users=users)


def propose_url(partnership, organisation):
    return reverse("coordinator:organisation_propose", kwargs={"slug": partnership.slug, "pk": organisation.pk})


def decide_url(partnership, proposal):
    return reverse("coordinator:proposal_decide", kwargs={"slug": partnership.slug, "pk": proposal.pk})


def list_url(partnership):
    return reverse("coordinator:proposal_list", kwargs={"slug": partnership.slug})


def form_data(organisation, **changes):
    """What the proposal form posts for the organisation as it is now, with `changes`."""
    organisation = Organisation.objects.get(pk=organisation.pk)
    data = {
        "version": version_of(organisation),
        "name": organisation.name,
        "sector": organisation.sector,
        "kind": organisation.kind,
        "description": organisation.description,
        "street_address": organisation.street_address,
        "postal_code": organisation.postal_code,
        "district": organisation.district_id or "",
        "website": organisation.website,
        "email": organisation.email,
        "phone": organisation.phone,
        "krs": organisation.krs,
    }
    data.update(changes)
    return data


def texts(response):
    return [str(message) for message in response.wsgi_request._messages]


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def proposed(world, **values):
    """A proposal of `values` for the shared organisation, from A by A's coordinator."""
    return propose_organisation_change(
        organisation=world.shared, partnership=world.a, values=values, by=world.users["coordinator_a"]
    )


# --- proposing -----------------------------------------------------------------------------------------------------


def test_the_member_list_offers_a_proposal_for_a_shared_organisation_only(client, world):
    client.force_login(world.users["coordinator_a"])

    page = client.get(reverse("coordinator:partnership", kwargs={"slug": world.a.slug})).content.decode()

    assert f'href="{propose_url(world.a, world.shared)}"' in page
    read_out = re.sub(r"<[^>]+>", "", page)  # the link's names, with what only screen readers get
    assert "Zaproponuj zmianę: Fundacja Wspólna" in read_out
    assert "Zaproponuj zmianę: Klub Sąsiedzki" not in read_out and "Dane organizacji: Klub Sąsiedzki" in read_out


def test_the_proposal_form_is_the_organisation_form_prefilled_without_the_logo(client, world):
    client.force_login(world.users["coordinator_a"])

    response = client.get(propose_url(world.a, world.shared))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Propozycja zmiany: Fundacja Wspólna</h1>" in page
    assert 'value="kontakt@wspolna.example.org"' in page
    assert 'name="logo_file"' not in page and 'name="logo_alt"' not in page
    assert "Logo organizacji zmieniają pracownicy BORIS – nie ma go w propozycji." in page
    assert "Forum Bielan" in page


def test_a_proposal_keeps_only_the_changed_fields_and_leaves_the_organisation_as_it_is(client, world):
    client.force_login(world.users["coordinator_a"])
    data = form_data(world.shared, email="nowy@wspolna.example.org", description="Nowy opis\r\nw dwóch wierszach")

    response = client.post(propose_url(world.a, world.shared), data, follow=True)

    proposal = OrganisationChangeProposal.objects.get()
    assert proposal.changes == {
        "description": {"old": "", "new": "Nowy opis\r\nw dwóch wierszach"},
        "email": {"old": "kontakt@wspolna.example.org", "new": "nowy@wspolna.example.org"},
    }
    assert (proposal.partnership, proposal.proposed_by, proposal.status) == (
        world.a,
        world.users["coordinator_a"],
        "pending",
    )
    assert fresh(world.shared).email == "kontakt@wspolna.example.org"
    assert fresh(world.shared).description == ""
    assert texts(response) == [
        "Wysłano propozycję zmiany. Zmiany pojawią się po akceptacji przez koordynatorów partnerstw: Forum Bielan "
        "albo przez pracowników BORIS."
    ]
    assert response.redirect_chain[-1][0] == list_url(world.a)
    assert "czeka na decyzję" in response.content.decode()


def test_a_district_is_proposed_by_its_id_and_shown_by_its_name(client, world):
    client.force_login(world.users["coordinator_a"])
    bielany = factories.district("bielany")

    client.post(propose_url(world.a, world.shared), form_data(world.shared, district=bielany.pk))
    client.force_login(world.users["coordinator_b"])
    page = client.get(decide_url(world.b, OrganisationChangeProposal.objects.get())).content.decode()

    assert OrganisationChangeProposal.objects.get().changes == {"district": {"old": None, "new": bielany.pk}}
    assert "<td>Bielany</td>" in page


def test_a_proposal_that_changes_nothing_is_refused_with_a_clear_message(client, world):
    client.force_login(world.users["coordinator_a"])

    response = client.post(propose_url(world.a, world.shared), form_data(world.shared))

    assert response.status_code == 200
    assert "Nie zmieniono żadnego pola, więc nie ma czego proponować." in response.content.decode()
    assert not OrganisationChangeProposal.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Podaj nazwę organizacji."),
        ({"name": "Fundacja\x00Zła"}, "To pole może mieć tylko jeden wiersz zwykłego tekstu"),
        ({"name": "Fundacja\nDruga linia"}, "To pole może mieć tylko jeden wiersz zwykłego tekstu"),
        ({"name": "F" * 10_000}, "ma co najwyżej 250 znaków (obecnie ma 10000)"),
        ({"description": "Opis\x00z NUL"}, "Ten tekst zawiera niewidoczne znaki sterujące"),
        ({"description": "x" * 30_000}, "Ten tekst jest za długi: najwyżej 20000 znaków"),
        ({"email": "to-nie-jest-adres"}, "Podaj poprawny adres e-mail, np. kontakt@example.org."),
        ({"email": "józef@żółć.example.org"}, "Podaj poprawny adres e-mail, np. kontakt@example.org."),
        ({"website": "javascript:alert(1)"}, "Podaj poprawny adres strony"),
        ({"postal_code": "00000"}, "Kod pocztowy ma postać 00-000, np. 01-234."),
        ({"phone": "zadzwoń do nas"}, "Podaj numer telefonu cyframi"),
        ({"krs": "123"}, "Numer KRS to dokładnie 10 cyfr, np. 0000123456."),
        ({"krs": "٠٠٠٠١٢٣٤٥٦"}, "Numer KRS to dokładnie 10 cyfr."),
        ({"sector": "kosmos"}, "Wybierz poprawną wartość."),
        ({"district": "999999999999999999999"}, "Wybierz poprawną wartość."),
        ({"district": "zoliborz"}, "Wybierz poprawną wartość."),
    ],
)
def test_bad_input_gets_the_organisation_forms_polish_message_and_no_proposal(client, world, changes, message):
    client.force_login(world.users["coordinator_a"])

    response = client.post(propose_url(world.a, world.shared), form_data(world.shared, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<title>Błąd:" in response.content.decode()
    assert not OrganisationChangeProposal.objects.exists()


def test_unicode_text_is_proposed_as_typed(client, world):
    client.force_login(world.users["coordinator_a"])
    name = "Fundacja „Żółta Łąka” 🌻 – שלום"

    client.post(propose_url(world.a, world.shared), form_data(world.shared, name=name))

    assert OrganisationChangeProposal.objects.get().changes["name"]["new"] == name


def test_a_krs_number_another_organisation_has_is_refused_as_in_a_direct_edit(client, world):
    factories.organisation(name="Inna Fundacja", krs="0000123456")
    client.force_login(world.users["coordinator_a"])

    response = client.post(propose_url(world.a, world.shared), form_data(world.shared, krs="0000123456"))

    assert "Organizacja z tym numerem KRS już jest w katalogu." in response.content.decode()
    assert not OrganisationChangeProposal.objects.exists()


# --- deciding ------------------------------------------------------------------------------------------------------


def test_the_other_partnerships_coordinator_sees_the_proposal_and_accepts_it(client, world):
    proposal = proposed(world, email="nowy@wspolna.example.org", kind="stowarzyszenie")
    bartek = world.users["coordinator_b"]
    client.force_login(bartek)

    dashboard = client.get(reverse("coordinator:dashboard")).content.decode()
    home = client.get(reverse("coordinator:partnership", kwargs={"slug": world.b.slug})).content.decode()
    page = client.get(decide_url(world.b, proposal)).content.decode()
    response = client.post(decide_url(world.b, proposal), {"decision": "accept", "note": "Dziękujemy!"}, follow=True)

    assert "1 propozycja zmiany organizacji czeka na Twoją decyzję" in dashboard
    assert f'href="{decide_url(world.b, proposal)}"' in home
    assert "z partnerstwa „Sady Razem”" in home
    assert "<td>kontakt@wspolna.example.org</td>" in page and "<td>nowy@wspolna.example.org</td>" in page
    assert "Zaproponowano z partnerstwa „Sady Razem”" in page and "Kto: Ola Sadowa." in page
    organisation = fresh(world.shared)
    assert (organisation.email, organisation.kind) == ("nowy@wspolna.example.org", "stowarzyszenie")
    record = organisation.history.latest("history_date")
    assert record.history_user == bartek
    assert record.history_change_reason == "Propozycja od: Sady Razem"
    proposal = fresh(proposal)
    assert (proposal.status, proposal.decided_by, proposal.decision_note) == ("accepted", bartek, "Dziękujemy!")
    assert texts(response) == ["Przyjęto propozycję. Zmienione: rodzaj, e-mail."]


def test_the_proposer_sees_the_outcome_in_their_panel(client, world):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    client.force_login(world.users["coordinator_b"])
    client.post(decide_url(world.b, proposal), {"decision": "reject", "note": "Ten adres nie działa."})
    client.force_login(world.users["coordinator_a"])

    home = client.get(reverse("coordinator:partnership", kwargs={"slug": world.a.slug})).content.decode()
    listed = client.get(list_url(world.a)).content.decode()

    for page in (home, listed):
        assert "odrzucona – Bartek Bielański" in page
        assert "Uzasadnienie: Ten adres nie działa." in page
    assert fresh(world.shared).email == "kontakt@wspolna.example.org"
    assert fresh(proposal).status == "rejected"


def test_a_field_changed_since_the_proposal_is_kept_unless_the_decider_chooses_otherwise(client, world, staff_user):
    proposal = proposed(world, email="nowy@wspolna.example.org", phone="22 999 99 99")
    organisation = fresh(world.shared)
    organisation.email = "biuro@wspolna.example.org"
    authored(organisation, staff_user).save()
    client.force_login(world.users["coordinator_b"])

    page = client.get(decide_url(world.b, proposal)).content.decode()
    response = client.post(decide_url(world.b, proposal), {"decision": "accept"}, follow=True)

    assert "Zmienione po złożeniu propozycji" in page
    assert 'name="overwrite" value="email"' in page
    organisation = fresh(world.shared)
    assert (organisation.email, organisation.phone) == ("biuro@wspolna.example.org", "22 999 99 99")
    assert fresh(proposal).skipped == ["email"]
    assert texts(response) == [
        "Przyjęto propozycję. Zmienione: telefon.",
        "Pominięte, bo ktoś je zmienił po złożeniu propozycji: e-mail.",
    ]
    client.force_login(world.users["coordinator_a"])
    assert (
        "Bez zmian (ktoś je zmienił po złożeniu propozycji): e-mail" in client.get(list_url(world.a)).content.decode()
    )


def test_the_decider_may_take_the_proposed_value_over_a_later_change(client, world, staff_user):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    organisation = fresh(world.shared)
    organisation.email = "biuro@wspolna.example.org"
    authored(organisation, staff_user).save()
    client.force_login(world.users["coordinator_b"])

    client.post(decide_url(world.b, proposal), {"decision": "accept", "overwrite": ["email"]})

    assert fresh(world.shared).email == "nowy@wspolna.example.org"
    assert fresh(proposal).skipped == []


def test_a_decision_is_made_once(client, world):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    client.force_login(world.users["coordinator_b"])
    client.post(decide_url(world.b, proposal), {"decision": "reject"}, follow=True)

    response = client.post(decide_url(world.b, proposal), {"decision": "accept"}, follow=True)

    assert texts(response) == ["Tę propozycję ktoś już rozpatrzył."]
    assert fresh(world.shared).email == "kontakt@wspolna.example.org"
    assert 'value="accept"' not in response.content.decode()
    assert "Propozycja odrzucona" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Wybierz, czy przyjąć, czy odrzucić propozycję: użyj jednego z przycisków."),
        ({"decision": "usun-wszystko"}, "Wybierz, czy przyjąć, czy odrzucić propozycję: użyj jednego z przycisków."),
        ({"decision": "accept", "note": "Zła\x00notatka"}, "To pole może mieć tylko jeden wiersz zwykłego tekstu"),
        ({"decision": "accept", "note": "n" * 5_000}, "ma co najwyżej 500 znaków (obecnie ma 5000)"),
        ({"decision": "accept", "overwrite": ["name"]}, "Zaznacz tylko pola z listy zmienionych w międzyczasie."),
    ],
)
def test_bad_input_on_the_decision_page_changes_nothing(client, world, staff_user, data, message):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    organisation = fresh(world.shared)
    organisation.email = "biuro@wspolna.example.org"
    authored(organisation, staff_user).save()
    client.force_login(world.users["coordinator_b"])

    response = client.post(decide_url(world.b, proposal), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert fresh(proposal).status == "pending"
    assert fresh(world.shared).email == "biuro@wspolna.example.org"


def test_accepting_a_krs_number_taken_meanwhile_is_refused_and_nothing_changes(client, world):
    proposal = proposed(world, krs="0000123456", kind="stowarzyszenie")
    factories.organisation(name="Inna Fundacja", krs="0000123456")
    client.force_login(world.users["coordinator_b"])

    response = client.post(decide_url(world.b, proposal), {"decision": "accept"})

    assert "Organizacja z tym numerem KRS już jest w katalogu." in response.content.decode()
    assert (fresh(world.shared).krs, fresh(world.shared).kind) == ("", "fundacja")
    assert fresh(proposal).status == "pending"


def test_when_the_organisation_is_no_longer_shared_the_proposer_decides_it(client, world):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    membership_b = world.shared.memberships.get(partnership=world.b)
    membership_b.until = date(2024, 1, 31)
    membership_b.save()
    client.force_login(world.users["coordinator_b"])
    assert client.get(decide_url(world.b, proposal)).status_code == 404
    client.force_login(world.users["coordinator_a"])

    listed = client.get(list_url(world.a)).content.decode()
    client.post(decide_url(world.a, proposal), {"decision": "accept"})

    assert f'href="{decide_url(world.a, proposal)}"' in listed
    assert fresh(world.shared).email == "nowy@wspolna.example.org"


def test_a_proposal_for_an_organisation_merged_away_is_closed_with_the_reason(client, world, staff_user):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    keep = factories.organisation(name="Fundacja Wspólna Warszawa")

    merge_organisations(keep=keep, remove=world.shared, by=staff_user)
    client.force_login(world.users["coordinator_a"])
    page = client.get(list_url(world.a)).content.decode()

    proposal = fresh(proposal)
    assert (proposal.status, proposal.organisation) == ("rejected", None)
    assert "Organizację połączono z: Fundacja Wspólna Warszawa" in page


# --- who may do what -----------------------------------------------------------------------------------------------

USERS = ["anonymous", "plain", "coordinator_a", "coordinator_b", "coordinator_c", "staff"]


def addresses(world, proposal):
    """Each new address, on every partnership's pages, with the people who may use it there."""
    return [
        # (address, who gets the page, who is sent elsewhere (302 not to the login page))
        (propose_url(world.a, world.shared), {"coordinator_a"}, {"staff"}),
        (propose_url(world.b, world.shared), {"coordinator_b"}, {"staff"}),
        (propose_url(world.c, world.shared), set(), set()),
        (propose_url(world.a, world.own), set(), {"coordinator_a", "staff"}),
        (list_url(world.a), {"coordinator_a", "staff"}, set()),
        (list_url(world.c), {"coordinator_c", "staff"}, set()),
        (decide_url(world.b, proposal), {"coordinator_b", "staff"}, set()),
        # Staff decide everywhere: also on the page of the partnership it came from.
        (decide_url(world.a, proposal), {"staff"}, set()),
        (decide_url(world.c, proposal), set(), set()),
    ]


@pytest.mark.parametrize("who", USERS)
def test_permission_matrix_of_the_proposal_pages(client, world, who):
    proposal = proposed(world, email="nowy@wspolna.example.org")
    if who != "anonymous":
        log_in(client, world.users[who])

    for address, allowed, sent_on in addresses(world, proposal):
        for method in ("get", "post"):
            response = getattr(client, method)(address, {"decision": "reject"} if method == "post" else None)
            if who == "anonymous":
                assert response.status_code == 302 and response["Location"].startswith(LOGIN_PATH), address
            elif who in sent_on:
                assert response.status_code == 302 and "/organizacje/" in response["Location"], (address, method)
            elif who in allowed:
                read_only = address.endswith("/propozycje/")
                expected = (405,) if method == "post" and read_only else (200, 302)
                assert response.status_code in expected, (address, method, response.status_code)
            else:
                assert response.status_code == 404, (address, method, response.status_code)
    decided = fresh(proposal).status != "pending"
    assert decided == (who in ("coordinator_b", "staff")), "only B's coordinator and staff decide"


def test_the_proposer_and_an_unrelated_coordinator_cannot_decide(client, world):
    proposal = proposed(world, email="nowy@wspolna.example.org")

    for who, partnership in (("coordinator_a", world.a), ("coordinator_c", world.c), ("coordinator_a", world.b)):
        log_in(client, world.users[who])
        response = client.post(decide_url(partnership, proposal), {"decision": "accept"})
        assert response.status_code == 404, (who, partnership)

    assert fresh(proposal).status == "pending"
    assert fresh(world.shared).email == "kontakt@wspolna.example.org"


def test_whoever_may_edit_the_organisation_is_sent_to_its_edit_page_and_nothing_is_proposed(client, world):
    client.force_login(world.users["coordinator_a"])

    response = client.post(propose_url(world.a, world.own), form_data(world.own, email="x@example.org"))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "coordinator:organisation_edit", kwargs={"slug": world.a.slug, "pk": world.own.pk}
    )
    assert not OrganisationChangeProposal.objects.exists()


# --- query counts --------------------------------------------------------------------------------------------------


def grow(world, count):
    """`count` more shared organisations, each with a proposal from A, one from B, and decisions on some."""
    for i in range(count):
        organisation = factories.organisation(name=f"Wspólna {i} {Organisation.objects.count()}")
        for partnership in (world.a, world.b):
            factories.membership(organisation_obj=organisation, partnership_obj=partnership)
        propose_organisation_change(
            organisation=organisation,
            partnership=world.a,
            values={"kind": f"rodzaj {i}"},
            by=world.users["coordinator_a"],
        )
        from_b = propose_organisation_change(
            organisation=organisation, partnership=world.b, values={"phone": "22 111 22 33"}, by=None
        )
        if i % 2:
            reject_proposal(proposal=from_b, by=world.users["coordinator_b"], note="Nie")


@pytest.mark.parametrize("page", ["list", "partnership", "dashboard"])
def test_proposal_lists_run_a_fixed_number_of_queries(client, world, page):
    client.force_login(world.users["coordinator_a"])
    url = {
        "list": list_url(world.a),
        "partnership": reverse("coordinator:partnership", kwargs={"slug": world.a.slug}),
        "dashboard": reverse("coordinator:dashboard"),
    }[page]
    grow(world, 2)
    small_page, small = count_queries(client, url)
    grow(world, 8)
    large_page, large = count_queries(client, url)

    assert small_page.status_code == large_page.status_code == 200
    assert large_page.content.decode().count("Propozycja zmiany:") >= small_page.content.decode().count(
        "Propozycja zmiany:"
    )
    assert len(large) == len(small), (small, large)


def test_the_decision_page_runs_a_fixed_number_of_queries(client, world):
    client.force_login(world.users["coordinator_b"])
    bielany, wola = factories.district("bielany"), factories.district("wola")
    few = proposed(world, kind="stowarzyszenie")
    many = propose_organisation_change(
        organisation=world.own,
        partnership=world.a,
        values={"kind": "klub", "district": bielany, "email": "k@example.org", "phone": "22 555 55 55"},
        by=None,
    )
    factories.membership(organisation_obj=world.own, partnership_obj=world.b)
    organisation = fresh(world.own)
    organisation.district = wola
    organisation.save()

    _page, small = count_queries(client, decide_url(world.b, few))
    page, large = count_queries(client, decide_url(world.b, many))

    assert "<td>Bielany</td>" in page.content.decode() and "Wola" in page.content.decode()
    assert len(large) <= len(small) + 1, (small, large)  # the districts' names: one query


# --- the history shows only one's own ------------------------------------------------------------------------------


def history(client, partnership):
    return client.get(reverse("coordinator:partnership_history", kwargs={"slug": partnership.slug})).content.decode()


def test_history_leaves_out_what_another_partnership_changed_in_a_shared_organisation_or_person(
    client, world, staff_user
):
    shared_person = factories.person(first_name="Wspólna", last_name="Osoba", phone="22 100 00 00")
    for partnership in (world.a, world.b):
        factories.team_role(person_obj=shared_person, partnership_obj=partnership)
    own_person = factories.person(first_name="Nasza", last_name="Animatorka")
    factories.team_role(person_obj=own_person, partnership_obj=world.a)
    for obj, by, field, value in [
        (world.shared, staff_user, "phone", "22 777 77 77"),
        (shared_person, world.users["coordinator_b"], "phone", "22 888 88 88"),
        (world.own, staff_user, "phone", "22 666 66 66"),
        (own_person, world.users["coordinator_a"], "phone", "22 555 55 55"),
    ]:
        obj = fresh(obj)
        setattr(obj, field, value)
        authored(obj, by).save()

    client.force_login(world.users["coordinator_a"])
    mine = history(client, world.a)
    client.force_login(world.users["coordinator_b"])
    theirs = history(client, world.b)
    log_in(client, staff_user)
    staff = history(client, world.a)

    assert "22 666 66 66" in mine and "22 555 55 55" in mine
    assert "22 777 77 77" not in mine and "22 888 88 88" not in mine
    assert "22 777 77 77" not in theirs and "22 888 88 88" not in theirs
    for phone in ("22 777 77 77", "22 888 88 88", "22 666 66 66", "22 555 55 55"):
        assert phone in staff


def test_a_coordinator_of_every_partnership_of_the_organisation_sees_its_changes(client, world, staff_user):
    factories.coordinator_access(user=world.users["coordinator_a"], partnership_obj=world.b)
    organisation = fresh(world.shared)
    organisation.phone = "22 777 77 77"
    authored(organisation, staff_user).save()
    client.force_login(world.users["coordinator_a"])

    assert "22 777 77 77" in history(client, world.a)
