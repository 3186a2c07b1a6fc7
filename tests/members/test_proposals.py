"""Proposed changes of shared organisations: what a proposal keeps, who decides, what accepting writes, and the
staff's list, decision page and dashboard count in the admin."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.history import authored
from members.models import Organisation, OrganisationChangeProposal
from members.services import accept_proposal, propose_organisation_change, reject_proposal
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def a():
    return factories.partnership(name="Sady Razem")


@pytest.fixture
def b():
    return factories.partnership(name="Forum Bielan")


@pytest.fixture
def shared(a, b):
    organisation = factories.organisation(name="Fundacja Wspólna", email="kontakt@wspolna.example.org", kind="fundacja")
    for partnership in (a, b):
        factories.membership(organisation_obj=organisation, partnership_obj=partnership)
    return organisation


def coordinator(django_user_model, username, *partnerships):
    user = django_user_model.objects.create_user(username=username, password="haslo-testowe-123")
    for partnership in partnerships:
        factories.coordinator_access(user=user, partnership_obj=partnership)
    return user


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_a_proposal_holds_only_what_differs_as_a_person_reads_it(shared, a):
    proposal = propose_organisation_change(
        organisation=shared,
        partnership=a,
        values={"name": "Fundacja Wspólna", "kind": "fundacja", "email": "nowy@example.org", "phone": "", "krs": None},
        by=None,
    )

    assert proposal.changes == {"email": {"old": "kontakt@wspolna.example.org", "new": "nowy@example.org"}}
    assert proposal.organisation_name == "Fundacja Wspólna" and proposal.status == "pending"
    assert fresh(shared).email == "kontakt@wspolna.example.org"


def test_fields_outside_the_proposal_form_are_never_proposed(shared, a):
    with pytest.raises(ValidationError):
        propose_organisation_change(
            organisation=shared,
            partnership=a,
            values={"is_published": False, "slug": "przejeta", "logo": "x.png"},
            by=None,
        )

    assert not OrganisationChangeProposal.objects.exists()


def test_accepting_writes_one_history_record_naming_who_accepted_and_where_it_came_from(
    django_user_model, shared, a, b
):
    bartek = coordinator(django_user_model, "bartek", b)
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "nowy@example.org", "kind": "stowarzyszenie"}, by=None
    )
    versions = shared.history.count()

    accept_proposal(proposal=proposal, by=bartek, note="OK")

    assert shared.history.count() == versions + 1
    record = shared.history.latest("history_date")
    assert (record.history_user, record.history_change_reason) == (bartek, "Propozycja od: Sady Razem")
    assert (record.email, record.kind) == ("nowy@example.org", "stowarzyszenie")
    proposal = fresh(proposal)
    assert (proposal.status, proposal.decided_by, proposal.decision_note, proposal.skipped) == (
        "accepted",
        bartek,
        "OK",
        [],
    )
    assert proposal.decided_at is not None


def test_a_later_change_is_kept_and_listed_as_skipped(django_user_model, shared, a, b, staff_user):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "nowy@example.org", "kind": "stowarzyszenie"}, by=None
    )
    organisation = fresh(shared)
    organisation.email = "biuro@example.org"
    authored(organisation, staff_user).save()

    accept_proposal(proposal=proposal, by=staff_user)

    assert (fresh(shared).email, fresh(shared).kind) == ("biuro@example.org", "stowarzyszenie")
    assert fresh(proposal).skipped == ["email"]


def test_a_later_change_to_the_same_value_is_no_conflict(shared, a, staff_user):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )
    organisation = fresh(shared)
    organisation.email = "n@example.org"
    organisation.save()

    assert proposal.changed_since(fresh(shared)) == []
    accept_proposal(proposal=proposal, by=staff_user)
    assert fresh(proposal).skipped == []


def test_rejecting_leaves_the_organisation_and_a_decision_is_made_once(django_user_model, shared, a, b):
    bartek = coordinator(django_user_model, "bartek", b)
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )

    reject_proposal(proposal=proposal, by=bartek, note="Nie")

    assert fresh(shared).email == "kontakt@wspolna.example.org"
    assert (fresh(proposal).status, fresh(proposal).decision_note) == ("rejected", "Nie")
    with pytest.raises(ValidationError, match="Tę propozycję ktoś już rozpatrzył."):
        accept_proposal(proposal=proposal, by=bartek)
    assert fresh(shared).email == "kontakt@wspolna.example.org"


def test_the_database_refuses_a_decision_without_its_date(shared, a):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationChangeProposal.objects.filter(pk=proposal.pk).update(status="accepted")


def test_who_decides(django_user_model, shared, a, b, staff_user, plain_user):
    c = factories.partnership(name="Partnerstwo Obce")
    ola, bartek, celina = (
        coordinator(django_user_model, "ola", a),
        coordinator(django_user_model, "bartek", b),
        coordinator(django_user_model, "celina", c),
    )
    both = coordinator(django_user_model, "oboje", a, b)
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=ola
    )

    def decides(user, partnership=None):
        return OrganisationChangeProposal.objects.decidable_by(user, partnership).filter(pk=proposal.pk).exists()

    assert decides(staff_user) and decides(staff_user, b)
    assert decides(bartek) and decides(bartek, b) and not decides(bartek, a)
    assert decides(both)  # through B, and since they may edit the organisation directly
    assert not decides(ola) and not decides(ola, a)
    assert not decides(celina) and not decides(celina, c)
    assert not decides(plain_user)
    assert not decides(AnonymousUser())


def test_a_proposal_of_an_organisation_no_longer_shared_goes_to_who_may_now_edit_it(django_user_model, shared, a, b):
    ola, bartek = coordinator(django_user_model, "ola", a), coordinator(django_user_model, "bartek", b)
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=ola
    )
    shared.memberships.filter(partnership=b).update(until=date(2024, 1, 31))

    assert OrganisationChangeProposal.objects.decidable_by(ola, a).filter(pk=proposal.pk).exists()
    assert not OrganisationChangeProposal.objects.decidable_by(bartek).filter(pk=proposal.pk).exists()


def test_accepting_a_proposal_of_a_deleted_organisation_is_refused(shared, a, staff_user):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )
    shared.memberships.all().delete()
    shared.delete()

    with pytest.raises(ValidationError, match="Tej organizacji nie ma już w katalogu"):
        accept_proposal(proposal=proposal, by=staff_user)
    reject_proposal(proposal=proposal, by=staff_user)
    assert fresh(proposal).status == "rejected"


# --- the admin -----------------------------------------------------------------------------------------------------


def change_url(proposal):
    return reverse("admin:members_organisationchangeproposal_change", args=[proposal.pk])


LIST_URL = "/admin/members/organisationchangeproposal/"


def test_staff_see_the_pending_proposals_and_accept_one(staff_client, staff_user, shared, a):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "nowy@example.org", "kind": "stowarzyszenie"}, by=None
    )

    dashboard = staff_client.get("/admin/").content.decode()
    listed = staff_client.get(LIST_URL + "?status__exact=pending").content.decode()
    page = staff_client.get(change_url(proposal)).content.decode()
    response = staff_client.post(change_url(proposal), {"decision": "accept"}, follow=True)

    assert "Propozycje zmian organizacji czekające na decyzję" in dashboard and "1 propozycja zmiany" in dashboard
    assert change_url(proposal) in dashboard and "z partnerstwa „Sady Razem”; pola: rodzaj, e-mail;" in dashboard
    assert "Fundacja Wspólna" in listed and "rodzaj, e-mail" in listed
    assert "<td>kontakt@wspolna.example.org</td>" in page and "<td>nowy@example.org</td>" in page
    assert 'value="accept"' in page and 'value="reject"' in page
    assert "Przyjęto propozycję. Zmienione: rodzaj, e-mail." in response.content.decode()
    assert fresh(shared).email == "nowy@example.org"
    assert shared.history.latest("history_date").history_user == staff_user
    assert "Nic – wszystko w porządku." in staff_client.get("/admin/").content.decode()


def test_staff_reject_with_a_reason_and_bad_input_gets_a_polish_message(staff_client, shared, a):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )

    bad = staff_client.post(change_url(proposal), {"decision": "skasuj", "note": "x\x00"})
    staff_client.post(change_url(proposal), {"decision": "reject", "note": "Adres nie działa."})

    assert bad.status_code == 400
    assert "Wybierz, czy przyjąć, czy odrzucić propozycję" in bad.content.decode()
    assert "To pole może mieć tylko jeden wiersz zwykłego tekstu" in bad.content.decode()
    assert (fresh(proposal).status, fresh(proposal).decision_note) == ("rejected", "Adres nie działa.")
    page = staff_client.get(change_url(proposal)).content.decode()
    assert "Stan: odrzucona." in page and 'value="accept"' not in page


def test_the_admin_pages_are_for_staff_only(client, django_user_model, shared, a, b, plain_user):
    proposal = propose_organisation_change(
        organisation=shared, partnership=a, values={"email": "n@example.org"}, by=None
    )
    bartek = coordinator(django_user_model, "bartek", b)

    for url in (LIST_URL, change_url(proposal)):
        assert client.get(url).status_code == 302  # anonymous: the admin's login
    for user in (plain_user, bartek):
        log_in(client, user)
        for url in (LIST_URL, change_url(proposal)):
            assert client.get(url).status_code == 403
            assert client.post(url, {"decision": "accept"}).status_code == 403
    assert fresh(proposal).status == "pending"


def test_a_wrong_address_in_the_admin_is_404(staff_client):
    assert staff_client.get("/admin/members/organisationchangeproposal/999999/change/").status_code == 404
    assert staff_client.get("/admin/members/organisationchangeproposal/x%00/change/").status_code == 404


def test_the_admin_list_runs_a_fixed_number_of_queries(staff_client, a, b):
    def grow(count):
        for _ in range(count):
            organisation = factories.organisation()
            for partnership in (a, b):
                factories.membership(organisation_obj=organisation, partnership_obj=partnership)
            propose_organisation_change(organisation=organisation, partnership=a, values={"kind": "inny"}, by=None)

    grow(2)
    staff_client.get(LIST_URL)
    small_page, small = count_queries(staff_client, LIST_URL)
    grow(8)
    large_page, large = count_queries(staff_client, LIST_URL)

    assert small_page.status_code == large_page.status_code == 200
    assert len(large) == len(small), (small, large)
    assert Organisation.objects.count() == 10
