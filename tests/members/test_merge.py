"""Merging a duplicate organisation into another (members.services.merge_organisations): what moves, how
overlapping memberships become one, what the kept organisation takes, the old address and the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Membership, Organisation, PartnershipRole, PreviousAddress
from members.services import merge_organisations
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="scalajaca", first_name="Ewa", is_staff=True)


def detail_url(slug):
    return reverse("members:organisation_detail", kwargs={"slug": slug})


def references_to(organisation_id):
    """{relation: rows} of every row of any model that points at the organisation (its foreign keys, found from the
    model, so a relation added later is checked too)."""
    found = {}
    for relation in Organisation._meta.related_objects:
        rows = relation.related_model._default_manager.filter(**{relation.field.name: organisation_id}).count()
        if rows:
            found[relation.name] = rows
    return found


def test_every_row_pointing_at_the_removed_organisation_moves_to_the_one_that_stays(staff):
    keep = factories.organisation(name="Fundacja Sąsiedzi")
    remove = factories.organisation(name="Sąsiedzi")
    stegny, wierzbno = factories.partnership(), factories.partnership()
    factories.membership(organisation_obj=remove, partnership_obj=stegny)
    factories.membership(organisation_obj=remove, partnership_obj=wierzbno, since=date(2018, 1, 1))
    role = factories.team_role(partnership_obj=stegny, organisation=remove)
    earlier = factories.organisation(name="Sasiedzi Mokotow")
    merge_organisations(keep=remove, remove=earlier, by=staff)
    assert set(references_to(remove.pk)) == {"memberships", "people_roles", "previous_addresses"}

    merge_organisations(keep=keep, remove=remove, by=staff)

    assert not Organisation.objects.filter(pk=remove.pk).exists()
    assert references_to(remove.pk) == {}
    assert references_to(keep.pk) == {"memberships": 2, "people_roles": 1, "previous_addresses": 2}
    assert PartnershipRole.objects.get(pk=role.pk).organisation == keep
    assert set(keep.memberships.values_list("partnership", flat=True)) == {stegny.pk, wierzbno.pk}


def test_overlapping_memberships_in_one_partnership_become_one(staff):
    keep, remove = factories.organisation(), factories.organisation()
    stegny = factories.partnership()
    kept = factories.membership(organisation_obj=keep, partnership_obj=stegny, since=date(2022, 3, 1), note="Z listy.")
    factories.membership(
        organisation_obj=remove,
        partnership_obj=stegny,
        role=Membership.Role.COORDINATOR,
        since=date(2019, 5, 1),
        until=date(2023, 1, 31),
        signed_declaration=True,
        note="Deklaracja w segregatorze.",
    )

    merge_organisations(keep=keep, remove=remove, by=staff)

    (merged,) = Membership.objects.filter(partnership=stegny)
    assert merged.pk == kept.pk
    assert (merged.organisation, merged.since, merged.until) == (keep, date(2019, 5, 1), None)
    assert merged.role == Membership.Role.COORDINATOR
    assert merged.signed_declaration
    assert merged.note == "Z listy.; Deklaracja w segregatorze."


def test_a_membership_bridging_two_periods_makes_one_of_all_three(staff):
    keep, remove = factories.organisation(), factories.organisation()
    stegny = factories.partnership()
    for since, until in [(date(2015, 1, 1), date(2016, 12, 31)), (date(2019, 1, 1), date(2020, 6, 30))]:
        factories.membership(organisation_obj=keep, partnership_obj=stegny, since=since, until=until)
    factories.membership(
        organisation_obj=remove,
        partnership_obj=stegny,
        role=Membership.Role.SUPPORTER,
        since=date(2016, 6, 1),
        until=date(2019, 3, 1),
    )

    merge_organisations(keep=keep, remove=remove, by=staff)

    (merged,) = Membership.objects.filter(partnership=stegny)
    assert (merged.since, merged.until, merged.role) == (date(2015, 1, 1), date(2020, 6, 30), Membership.Role.MEMBER)


def test_memberships_in_different_periods_stay_two(staff):
    keep, remove = factories.organisation(), factories.organisation()
    stegny = factories.partnership()
    factories.membership(organisation_obj=keep, partnership_obj=stegny, since=date(2015, 1, 1), until=date(2017, 1, 1))
    factories.membership(organisation_obj=remove, partnership_obj=stegny, since=date(2020, 1, 1))

    merge_organisations(keep=keep, remove=remove, by=staff)

    periods = list(keep.memberships.order_by("since").values_list("since", "until"))
    assert periods == [(date(2015, 1, 1), date(2017, 1, 1)), (date(2020, 1, 1), None)]


def test_the_kept_organisation_takes_what_it_lacks_and_keeps_what_it_has(staff):
    keep = factories.organisation(
        name="Sąsiedzi",
        postal_code="01-234",
        phone="22 123 45 67",
        is_published=True,
    )
    remove = factories.organisation(
        name="Fundacja Sąsiedzi",
        kind="fundacja",
        description="Działamy na Stegnach od 2010 roku.",
        street_address="ul. Idzikowskiego 4",
        postal_code="02-710",
        district_slug="mokotow",
        phone="600 100 200",
        krs="0000123456",
        logo="organisations/logos/sasiedzi.png",
        logo_width=800,
        logo_alt="Dwa domy",
        is_published=False,
    )

    merge_organisations(keep=keep, remove=remove, by=staff)

    keep.refresh_from_db()
    assert (keep.name, keep.slug, keep.is_published) == ("Sąsiedzi", "sasiedzi", True)
    assert (keep.kind, keep.description, keep.krs) == ("fundacja", "Działamy na Stegnach od 2010 roku.", "0000123456")
    assert keep.district.slug == "mokotow"
    assert (keep.logo.name, keep.logo_width, keep.logo_alt) == ("organisations/logos/sasiedzi.png", 800, "Dwa domy")
    # Filled fields stay; an address is taken only whole (street and postal code), so a half-filled one stays too.
    assert (keep.phone, keep.postal_code, keep.street_address) == ("22 123 45 67", "01-234", "")
    assert "dzialamy na stegnach" in keep.search_text


def test_the_removed_address_redirects_for_good_also_after_a_second_merge(client, staff):
    first, second, third = (factories.organisation(name=name) for name in ("Ala", "Fundacja Ala", "Ala Mokotów"))

    merge_organisations(keep=second, remove=first, by=staff)
    response = client.get(detail_url("ala"))
    assert response.status_code == 301
    assert response["Location"] == detail_url("fundacja-ala")

    merge_organisations(keep=third, remove=second, by=staff)
    for slug in ("ala", "fundacja-ala"):
        response = client.get(detail_url(slug))
        assert (response.status_code, response["Location"]) == (301, detail_url("ala-mokotow")), slug
    assert client.get(detail_url("ala-mokotow")).status_code == 200
    assert client.get(detail_url("nigdy-nie-bylo")).status_code == 404


def test_an_address_taken_again_by_a_new_organisation_then_merged_redirects_to_the_latest(client, staff):
    """A merged organisation's address may be given to a new one (its page wins); merging that one too moves the
    redirect to the organisation that stays now."""
    ala, fundacja = factories.organisation(name="Ala"), factories.organisation(name="Fundacja Ala")
    merge_organisations(keep=fundacja, remove=ala, by=staff)
    again = factories.organisation(name="Ala", slug="ala")
    assert client.get(detail_url("ala")).status_code == 200

    other = factories.organisation(name="Stowarzyszenie Ala")
    merge_organisations(keep=other, remove=again, by=staff)

    assert PreviousAddress.objects.get(slug="ala").organisation == other
    assert client.get(detail_url("ala"))["Location"] == detail_url("stowarzyszenie-ala")


def test_an_unpublished_kept_organisation_is_not_revealed_by_the_old_address(client, staff):
    keep = factories.organisation(name="Ukryta", is_published=False)
    remove = factories.organisation(name="Widoczna")

    merge_organisations(keep=keep, remove=remove, by=staff)

    assert client.get(detail_url("widoczna")).status_code == 404
    log_in(client, staff)
    assert client.get(detail_url("widoczna"))["Location"] == detail_url("ukryta")


def test_history_names_the_merge_and_who_made_it_and_keeps_the_removed_organisations_records(staff):
    keep = factories.organisation(name="Sąsiedzi")
    remove = factories.organisation(name="Fundacja Sąsiedzi")
    moved = factories.membership(organisation_obj=remove)
    removed_id = remove.pk

    merge_organisations(keep=keep, remove=remove, by=staff)

    latest = keep.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        staff,
        "Połączono z: Fundacja Sąsiedzi",
    )
    removed = Organisation.history.filter(id=removed_id).order_by("history_date")
    assert [record.history_type for record in removed] == ["+", "-"]
    assert removed.last().history_user == staff
    assert removed.last().history_change_reason == "Połączono z: Sąsiedzi"
    assert PreviousAddress.objects.get(organisation=keep).merged_id == removed_id
    membership_record = Membership.history.filter(id=moved.pk).latest()
    assert (membership_record.organisation_id, membership_record.history_user) == (keep.pk, staff)
    assert membership_record.history_change_reason == "Połączono z: Fundacja Sąsiedzi"


def test_an_organisation_cannot_be_merged_with_itself(staff):
    organisation = factories.organisation()
    factories.membership(organisation_obj=organisation)

    with pytest.raises(ValidationError, match="nie można połączyć z nią samą"):
        merge_organisations(keep=organisation, remove=organisation, by=staff)

    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert organisation.memberships.count() == 1
    assert not PreviousAddress.objects.exists()


def test_an_organisation_deleted_meanwhile_stops_the_merge_with_nothing_changed(staff):
    keep, remove = factories.organisation(), factories.organisation()
    factories.membership(organisation_obj=keep)
    Organisation.objects.filter(pk=remove.pk).delete()

    with pytest.raises(ValidationError, match="nie ma już w katalogu"):
        merge_organisations(keep=keep, remove=remove, by=staff)

    assert keep.history.count() == 1
    assert not PreviousAddress.objects.exists()
