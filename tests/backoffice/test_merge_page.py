"""The staff page merging two organisations (OrganisationAdmin.merge_view): who may open it, what it shows, the
confirmation, bad input, its links from the organisation list and the dashboard, and the public pages right after."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from members.admin import merge_url
from members.models import Membership, Organisation, PreviousAddress
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:members_organisation_changelist")


@pytest.fixture
def pair():
    """Two organisations that look like one, both members of Stegny; the second also of Wierzbno, with a team role."""
    stegny, wierzbno = factories.partnership(name="Nasze Stegny"), factories.partnership(name="Moje Wierzbno")
    keep = factories.organisation(name="Fundacja Sąsiedzi", phone="22 123 45 67")
    remove = factories.organisation(name="Sąsiedzi", description="Działamy od 2010 roku.")
    factories.membership(organisation_obj=keep, partnership_obj=stegny)
    factories.membership(organisation_obj=remove, partnership_obj=stegny, role=Membership.Role.COORDINATOR)
    factories.membership(organisation_obj=remove, partnership_obj=wierzbno)
    factories.team_role(partnership_obj=wierzbno, organisation=remove)
    return keep, remove


def account(django_user_model, username, *permissions, **fields):
    user = django_user_model.objects.create_user(username=username, **fields)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


def unchanged(keep, remove):
    """Both organisations as they were: the pair fixture's rows, nothing merged."""
    assert Organisation.objects.filter(pk__in=[keep.pk, remove.pk]).count() == 2
    assert remove.memberships.count() == 2
    assert remove.people_roles.count() == 1
    assert not PreviousAddress.objects.exists()
    return True


# --- who may open it -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_admin_login(client, pair):
    response = client.get(merge_url(*(row.pk for row in pair)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_coordinators_are_refused_and_merge_nothing(client, django_user_model, pair):
    keep, remove = pair
    coordinator = account(django_user_model, "koordynatorka")
    factories.coordinator_access(user=coordinator, partnership_obj=keep.memberships.get().partnership)
    client.force_login(coordinator)

    for response in (
        client.get(merge_url(keep.pk, remove.pk)),
        client.post(merge_url(keep.pk, remove.pk), {"keep": keep.pk}),
    ):
        assert response.status_code == 403
    assert unchanged(keep, remove)


@pytest.mark.parametrize(
    ("permissions", "status"),
    [
        ((), 403),
        (("view_organisation", "change_organisation"), 403),  # merging deletes one: both rights are needed
        (("change_organisation", "delete_organisation"), 200),
    ],
    ids=["no rights", "change only", "change and delete"],
)
def test_staff_need_the_rights_to_change_and_delete_organisations(client, django_user_model, pair, permissions, status):
    keep, remove = pair
    log_in(client, account(django_user_model, "pracownica", *permissions, is_staff=True))

    assert client.get(merge_url(keep.pk, remove.pk)).status_code == status
    if status == 403:
        assert client.post(merge_url(keep.pk, remove.pk), {"keep": keep.pk}).status_code == 403
        assert unchanged(keep, remove)


# --- what it shows and does -------------------------------------------------------------------------


def test_staff_see_both_organisations_side_by_side_with_what_would_move(staff_client, pair):
    keep, remove = pair

    response = staff_client.get(merge_url(keep.pk, remove.pk))

    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Połącz organizacje</h1>" in content
    for organisation in pair:
        assert f'<a href="{reverse("admin:members_organisation_change", args=[organisation.pk])}">' in content
        assert f'value="{organisation.pk}"' in content
    assert "Działamy od 2010 roku." in content
    assert "Moje Wierzbno – członek" in content
    assert "Nasze Stegny – organizacja koordynująca" in content
    assert "Obie organizacje są (lub były) członkami: Nasze Stegny." in content
    roles_row = content.split("Role osób w zespołach (z ramienia organizacji)</th>")[1].split("</tr>")[0]
    assert roles_row.split() == ["<td>0</td><td>1</td>"]


def test_confirming_merges_and_opens_the_kept_organisation_with_a_message(staff_client, pair):
    keep, remove = pair

    response = staff_client.post(merge_url(keep.pk, remove.pk), {"keep": keep.pk}, follow=True)

    assert response.redirect_chain == [(reverse("admin:members_organisation_change", args=[keep.pk]), 302)]
    content = response.content.decode()
    assert escape("Połączono organizacje: „Sąsiedzi” jest teraz częścią „Fundacja Sąsiedzi”") in content
    assert not Organisation.objects.filter(pk=remove.pk).exists()
    assert keep.memberships.count() == 2
    assert keep.people_roles.count() == 1
    # The kept organisation's page lists the address of the merged one, with the way to its history.
    assert "sasiedzi" in content
    assert reverse("admin:members_organisation_history", args=[remove.pk]) in content


def test_the_second_organisation_may_be_the_one_that_stays(staff_client, pair):
    first, second = pair

    staff_client.post(merge_url(first.pk, second.pk), {"keep": second.pk})

    assert list(Organisation.objects.values_list("name", flat=True)) == ["Sąsiedzi"]
    assert PreviousAddress.objects.get().slug == "fundacja-sasiedzi"


def test_the_form_needs_the_csrf_token(django_user_model, pair):
    keep, remove = pair
    client = Client(enforce_csrf_checks=True)
    log_in(client, account(django_user_model, "szefowa", is_staff=True, is_superuser=True))

    assert client.post(merge_url(keep.pk, remove.pk), {"keep": keep.pk}).status_code == 403
    assert unchanged(keep, remove)


def test_the_page_runs_as_many_queries_for_many_memberships_as_for_few(staff_client):
    keep, remove = factories.organisation(), factories.organisation()

    def grow(count):
        for _n in range(count):
            partnership = factories.partnership()
            factories.membership(organisation_obj=keep, partnership_obj=partnership)
            factories.membership(organisation_obj=remove, partnership_obj=partnership)
            factories.team_role(partnership_obj=partnership, organisation=remove)
        factories.network(count)

    grow(2)
    response, small = count_queries(staff_client, merge_url(keep.pk, remove.pk))
    assert response.status_code == 200
    grow(10)
    response, large = count_queries(staff_client, merge_url(keep.pk, remove.pk))

    assert response.status_code == 200
    assert response.content.decode().count("<li>Partnerstwo testowe") == 24
    assert len(large) == len(small) <= 8, large


# --- bad input ----------------------------------------------------------------------------------


def test_the_same_organisation_twice_is_explained_and_nothing_is_merged(staff_client, pair):
    keep, remove = pair

    for response in (
        staff_client.get(merge_url(keep.pk, keep.pk)),
        staff_client.post(merge_url(keep.pk, keep.pk), {"keep": keep.pk}),
    ):
        assert response.status_code == 200
        content = response.content.decode()
        assert "Ta sama organizacja została podana dwa razy" in content
        assert '<form method="post"' not in content
    assert unchanged(keep, remove)


@pytest.mark.parametrize(
    "query",
    ["", "?a=1", "?a=abc&b=2", "?a=1&b=-", "?a=1&b=99999999", "?a=1&b=999999999999999999999999"],
    ids=["none", "one", "letters", "dash", "unknown", "too large"],
)
def test_missing_garbage_or_unknown_ids_answer_not_found(staff_client, pair, query):
    keep, remove = pair
    query = query.replace("a=1", f"a={keep.pk}")

    assert staff_client.get(reverse("admin:members_organisation_merge") + query).status_code == 404
    assert staff_client.post(reverse("admin:members_organisation_merge") + query, {"keep": keep.pk}).status_code == 404
    assert unchanged(keep, remove)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Wybierz organizację, która zostaje."),
        ({"keep": "abc"}, "Wybierz jedną z dwóch porównywanych organizacji."),
        ({"keep": "other"}, "Wybierz jedną z dwóch porównywanych organizacji."),
    ],
    ids=["no choice", "garbage", "a third organisation"],
)
def test_a_missing_or_wrong_choice_is_explained_and_nothing_is_merged(staff_client, pair, data, message):
    keep, remove = pair
    if data.get("keep") == "other":
        data = {"keep": factories.organisation().pk}

    response = staff_client.post(merge_url(keep.pk, remove.pk), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert unchanged(keep, remove)


# --- the ways to the page -------------------------------------------------------------------------


def select(client, *organisations):
    data = {"action": "merge_selected", "_selected_action": [row.pk for row in organisations], "index": 0}
    return client.post(CHANGELIST, data)


def test_the_organisation_list_action_opens_the_page_for_exactly_two(staff_client, pair):
    keep, remove = pair

    response = select(staff_client, keep, remove)

    assert response.status_code == 302
    # In Polish order: "Fundacja Sąsiedzi" before "Sąsiedzi".
    assert response["Location"] == merge_url(keep.pk, remove.pk)


def test_the_action_with_one_or_three_selected_says_to_select_two(staff_client, pair):
    third = factories.organisation()

    for selected in ([pair[0]], [*pair, third]):
        response = select(staff_client, *selected)
        assert response.status_code == 302
        assert response["Location"].startswith(CHANGELIST)
        messages = staff_client.get(response["Location"]).content.decode()
        assert "Aby połączyć organizacje, zaznacz dokładnie dwie." in messages
    assert Organisation.objects.count() == 3


def test_the_dashboard_links_each_pair_of_duplicates_to_the_merge_page(staff_client):
    for name, slug in [("Fundacja Ala", "fundacja-ala"), ("Ala", "ala"), ("ALA", "ala-2")]:
        factories.organisation(name=name, slug=slug)

    content = staff_client.get(reverse("admin:index")).content.decode()

    head, *others = Organisation.objects.order_by("sort_name", "pk")
    assert len(others) == 2
    for other in others:
        link = escape(merge_url(head.pk, other.pk))
        assert f'<a href="{link}">połącz „{escape(head.name)}” i „{escape(other.name)}”</a>' in content
        assert staff_client.get(merge_url(head.pk, other.pk)).status_code == 200


# --- the public pages right after -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("cache_on")
def test_public_pages_from_the_page_cache_show_the_merge_at_once(staff_client, pair):
    keep, remove = pair
    wierzbno = remove.memberships.get(partnership__name="Moje Wierzbno").partnership
    anonymous = Client()
    pages = [wierzbno.get_absolute_url(), reverse("members:organisation_list"), keep.get_absolute_url()]
    for url in pages:
        anonymous.get(url)
        assert anonymous.get(url)["X-Page-Cache"] == "hit", url
    assert remove.get_absolute_url() in anonymous.get(wierzbno.get_absolute_url()).content.decode()

    staff_client.post(merge_url(keep.pk, remove.pk), {"keep": keep.pk})

    partnership_page, directory, kept_page = (anonymous.get(url) for url in pages)
    for response in (partnership_page, directory):
        content = response.content.decode()
        assert remove.get_absolute_url() not in content
        assert keep.get_absolute_url() in content
    assert "Moje Wierzbno" in kept_page.content.decode()
    assert "Działamy od 2010 roku." in kept_page.content.decode()
    old_address = anonymous.get(remove.get_absolute_url())
    assert (old_address.status_code, old_address["Location"]) == (301, keep.get_absolute_url())
