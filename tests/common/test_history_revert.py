"""Undoing one change field by field (common/history.py), in the admin and on a coordinator's history page; history
never shows a change nobody made."""

import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from common.history import authored
from partnerships import services
from partnerships.models import Partnership
from tests import factories
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db


def upload(name="logo.png", size=(400, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", summary="Stary skrót", goals="Cel pierwszy\nCel drugi")


@pytest.fixture
def ola(django_user_model, partnership):
    """A coordinator of the partnership."""
    user = django_user_model.objects.create_user(
        username="ola", first_name="Ola", last_name="Koordynatorka", password="haslo-testowe-123"
    )
    factories.coordinator_access(user=user, partnership_obj=partnership)
    return user


@pytest.fixture
def bartek(django_user_model, partnership):
    """Another coordinator of the same partnership."""
    user = django_user_model.objects.create_user(username="bartek", first_name="Bartek", last_name="Drugi")
    factories.coordinator_access(user=user, partnership_obj=partnership)
    return user


def change(obj, by, **values):
    obj = fresh(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    authored(obj, by).save()
    return obj.history.latest("history_date")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def version_url(obj, record):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id])


def texts(response):
    return [str(message) for message in response.wsgi_request._messages]


# --- the admin: "Cofnij tę zmianę" on a change's page --------------------------------------------------------------


def test_undoing_a_summary_change_keeps_a_later_logo_and_verification(
    staff_client, staff_user, partnership, ola, bartek, django_capture_on_commit_callbacks
):
    summary_change = change(partnership, ola, summary="Nowy skrót od Oli")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_partnership_images(partnership=fresh(partnership), uploads={"logo": upload()}, by=bartek)
    services.confirm_partnership_data(partnership=fresh(partnership), by=bartek)
    before = fresh(partnership)

    page = staff_client.get(version_url(partnership, summary_change)).content.decode()
    response = staff_client.post(version_url(partnership, summary_change), follow=True)

    assert "W skrócie:</strong> Stary skrót&nbsp;&rarr;&nbsp;&nbsp;Nowy skrót od Oli" in page
    assert 'value="Cofnij tę zmianę"' in page
    after = fresh(partnership)
    assert after.summary == "Stary skrót"
    assert (after.logo.name, after.logo_width, after.last_verified_on) == (
        before.logo.name,
        400,
        timezone.localdate(),
    )
    assert default_storage.exists(after.logo.name)
    undo = after.history.latest("history_date")
    assert undo.history_user == staff_user
    assert undo.history_change_reason.startswith("Cofnięto zmianę z ")
    assert texts(response) == ["Cofnięto: w skrócie."]
    assert response.redirect_chain[-1][0] == reverse("admin:partnerships_partnership_history", args=[partnership.pk])


def test_a_field_changed_later_by_someone_else_stays_and_is_named(staff_client, partnership, ola, bartek):
    first = change(partnership, ola, summary="Skrót Oli", area="Osiedle Sady")
    change(partnership, bartek, summary="Skrót Bartka")
    saved = partnership.history.count()

    response = staff_client.post(version_url(partnership, first), follow=True)

    after = fresh(partnership)
    assert (after.summary, after.area) == ("Skrót Bartka", "")
    assert texts(response) == [
        "Cofnięto: obszar działania.",
        "Nie cofnięto: w skrócie – zmienione później przez: Bartek Drugi.",
    ]
    assert partnership.history.count() == saved + 1


def test_nothing_is_written_when_every_field_was_changed_later(staff_client, partnership, ola, bartek):
    first = change(partnership, ola, summary="Skrót Oli")
    change(partnership, bartek, summary="Skrót Bartka")
    saved = partnership.history.count()

    response = staff_client.post(version_url(partnership, first), follow=True)

    assert texts(response) == [
        "Niczego nie cofnięto.",
        "Nie cofnięto: w skrócie – zmienione później przez: Bartek Drugi.",
    ]
    assert partnership.history.count() == saved


def test_a_logo_comes_back_only_while_its_old_file_is_stored(
    staff_client, partnership, ola, bartek, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_partnership_images(partnership=partnership, uploads={"logo": upload("a.png")}, by=ola)
    first_logo = fresh(partnership).logo.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_partnership_images(
            partnership=fresh(partnership), uploads={"logo": upload("b.png", (300, 100))}, by=bartek
        )
    replaced = partnership.history.latest("history_date")
    second_logo = fresh(partnership).logo.name
    assert not default_storage.exists(first_logo)  # the pipeline deletes a replaced file

    response = staff_client.post(version_url(partnership, replaced), follow=True)

    assert fresh(partnership).logo.name == second_logo
    assert texts(response) == [
        "Niczego nie cofnięto.",
        "Nie cofnięto: logo – dawnego pliku już nie ma, wgraj go ponownie.",
    ]


def test_undoing_an_added_logo_removes_it_with_its_file(
    staff_client, partnership, ola, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_partnership_images(partnership=partnership, uploads={"logo": upload()}, by=ola)
    added = partnership.history.latest("history_date")
    logo = fresh(partnership).logo.name

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(version_url(partnership, added))

    after = fresh(partnership)
    assert (after.logo.name, after.logo_width) == ("", None)
    assert not default_storage.exists(logo)


def test_an_undo_that_would_break_a_rule_is_refused_and_writes_nothing(staff_client, ola, bartek, partnership):
    change(partnership, ola, formal_status=Partnership.FormalStatus.DECLARATION, declaration_signed_on=date(2020, 5, 1))
    first = change(partnership, ola, formal_status=Partnership.FormalStatus.INFORMAL, declaration_signed_on=None)
    change(partnership, bartek, formal_status=Partnership.FormalStatus.REGISTERED)
    saved = partnership.history.count()

    response = staff_client.post(version_url(partnership, first), follow=True)

    assert texts(response) == ["Datę deklaracji podaje się tylko przy podpisanej deklaracji."]
    after = fresh(partnership)
    assert (after.formal_status, after.declaration_signed_on) == (Partnership.FormalStatus.REGISTERED, None)
    assert partnership.history.count() == saved


def test_an_addition_cannot_be_undone_and_says_so(staff_client, partnership):
    added = partnership.history.earliest("history_date")

    page = staff_client.get(version_url(partnership, added)).content.decode()
    response = staff_client.post(version_url(partnership, added), follow=True)

    assert 'value="Cofnij tę zmianę"' not in page
    assert texts(response) == ["Cofnąć można tylko zmianę – nie dodanie ani usunięcie."]


def test_a_change_page_is_for_staff_only(client, django_user_model, partnership, ola):
    record = change(partnership, ola, summary="Skrót Oli")
    url = version_url(partnership, record)
    viewer = django_user_model.objects.create_user(username="podglad", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partnership"))

    assert client.get(url).status_code == 302  # anonymous: the admin's login
    assert client.post(url).status_code == 302
    client.force_login(ola)  # a coordinator is no staff member
    assert client.post(url).status_code == 403
    log_in(client, viewer)
    page = client.get(url)
    assert page.status_code == 200 and 'value="Cofnij tę zmianę"' not in page.content.decode()
    assert client.post(url).status_code == 403
    assert fresh(partnership).summary == "Skrót Oli"


@pytest.mark.parametrize("object_id, version", [("x", "1"), ("1", "x"), (None, "999999")])
def test_a_wrong_address_of_a_change_is_404(staff_client, partnership, object_id, version):
    url = reverse("admin:partnerships_partnership_simple_history", args=[object_id or partnership.pk, version])

    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url).status_code == 404


# --- the coordinator's history page: "Cofnij tę zmianę" ----------------------------------------------------------


def history_url(partnership):
    return reverse("coordinator:partnership_history", kwargs={"slug": partnership.slug})


def undo_url(partnership, record, kind="partnership"):
    return reverse("coordinator:change_undo", kwargs={"slug": partnership.slug, "kind": kind, "pk": record.history_id})


def test_coordinator_undoes_her_own_change_and_a_later_verification_stays(client, partnership, ola, bartek):
    mine = change(partnership, ola, summary="Skrót Oli")
    services.confirm_partnership_data(partnership=fresh(partnership), by=bartek)
    client.force_login(ola)

    page = client.get(history_url(partnership)).content.decode()
    response = client.post(undo_url(partnership, mine), follow=True)

    assert f'action="{undo_url(partnership, mine)}"' in page
    after = fresh(partnership)
    assert (after.summary, after.last_verified_on) == ("Stary skrót", timezone.localdate())
    assert after.history.latest("history_date").history_user == ola
    assert texts(response) == ["Cofnięto: w skrócie."]
    assert response.redirect_chain[-1][0] == history_url(partnership)
    assert "w skrócie: „Skrót Oli” → „Stary skrót”" in response.content.decode()


def test_undo_is_404_for_another_partnership_and_login_for_anonymous(client, partnership, ola, django_user_model):
    other = factories.partnership(name="Partnerstwo Obce")
    theirs = change(other, None, summary="Ich skrót")
    mine = change(partnership, ola, summary="Skrót Oli")

    assert client.post(undo_url(partnership, mine)).status_code == 302  # anonymous: to the login page
    assert "/konto/" in client.post(undo_url(partnership, mine))["Location"]
    client.force_login(ola)
    assert client.post(undo_url(other, theirs)).status_code == 404
    assert client.post(undo_url(partnership, theirs)).status_code == 404  # someone else's change under my address
    assert client.post(undo_url(partnership, mine, kind="user")).status_code == 404
    assert client.get(undo_url(partnership, mine)).status_code == 405
    assert fresh(other).summary == "Ich skrót" and fresh(partnership).summary == "Skrót Oli"


def test_no_undo_of_what_only_staff_change(client, staff_user, partnership, ola):
    hidden = change(partnership, staff_user, is_published=False)
    shared = factories.organisation(name="Fundacja Wspólna")
    factories.membership(organisation_obj=shared, partnership_obj=partnership)
    factories.membership(organisation_obj=shared, partnership_obj=factories.partnership())
    renamed = change(shared, staff_user, name="Fundacja Wspólna i Spółka")
    client.force_login(ola)

    page = client.get(history_url(partnership)).content.decode()

    assert "Fundacja Wspólna i Spółka" in page and "opublikowane: „tak” → „nie”" in page
    assert "Cofnij tę zmianę" not in page
    assert client.post(undo_url(partnership, renamed, kind="organisation")).status_code == 404
    response = client.post(undo_url(partnership, hidden), follow=True)
    assert texts(response) == ["Ta zmiana nie ma pól, które można cofnąć."]
    assert fresh(partnership).is_published is False


def test_staff_may_undo_on_the_coordinator_page_too(staff_client, partnership, ola):
    mine = change(partnership, ola, summary="Skrót Oli")

    staff_client.post(undo_url(partnership, mine))

    assert fresh(partnership).summary == "Stary skrót"


# --- history never shows a change nobody made --------------------------------------------------------------------


def test_a_save_from_a_browser_form_changes_no_goals(client, staff_client, partnership, ola):
    """A browser sends a textarea's lines with "\\r\\n": "Cele: X → X" was shown although nobody changed them."""
    same_goals = change(partnership, ola, goals="Cel pierwszy\r\nCel drugi")

    admin = staff_client.get(reverse("admin:partnerships_partnership_history", args=[partnership.pk])).content.decode()
    version = staff_client.get(version_url(partnership, same_goals)).content.decode()
    client.force_login(ola)
    page = client.get(history_url(partnership)).content.decode()

    assert "cele:" not in page and "Cel pierwszy" not in page
    assert "Cele:" not in admin and "Cel pierwszy" not in admin
    assert "Ten zapis niczego nie zmienił." in version and 'value="Cofnij tę zmianę"' not in version


def test_a_long_text_change_shows_where_it_differs(client, partnership, ola):
    start = "Długi wstęp o partnerstwie. " * 10
    change(partnership, ola, goals=start + "Stary koniec.")
    change(partnership, ola, goals=start + "Nowy koniec.")
    client.force_login(ola)

    page = client.get(history_url(partnership)).content.decode()

    assert "Stary koniec.” → „" in page and "Nowy koniec.”" in page


def test_history_page_queries_stay_flat_with_more_changes(client, partnership, ola):
    def grow(count):
        for i in range(count):
            change(partnership, ola, summary=f"Skrót {i}", goals=f"Cel {i}")
            fresh(partnership).districts.add(factories.district(["wola", "mokotow", "ochota"][i % 3]))
            membership = factories.membership(partnership_obj=partnership)
            change(membership, ola, note=f"Uwaga {i}")
            place = factories.place()
            fresh(partnership).places.add(place)
            change(place, ola, street_address=f"ul. Nowa {i}")
            event = factories.event(organisers=[partnership], place=place)
            change(event, ola, title=f"Spotkanie {i}")
            role = factories.team_role(partnership_obj=partnership)
            change(role.person, ola, bio=f"Bio {i}")

    client.force_login(ola)
    grow(2)
    small_page, small = count_queries(client, history_url(partnership))
    grow(8)
    large_page, large = count_queries(client, history_url(partnership))

    assert small_page.status_code == large_page.status_code == 200
    assert large_page.content.decode().count("Cofnij tę zmianę<") > small_page.content.decode().count(
        "Cofnij tę zmianę<"
    )
    assert len(large) == len(small), (small, large)


def test_admin_history_queries_stay_flat_with_more_versions(staff_client, partnership, ola):
    districts = ["wola", "mokotow", "ochota", "bemowo"]

    def grow(count):
        for i in range(count):
            change(partnership, ola, summary=f"Skrót {i}")
            fresh(partnership).districts.set([factories.district(districts[i % 4])])
            fresh(partnership).places.add(factories.place())

    url = reverse("admin:partnerships_partnership_history", args=[partnership.pk])
    grow(2)
    staff_client.get(url)  # the admin keeps content types in a cache after the first page
    small_page, small = count_queries(staff_client, url)
    grow(8)
    large_page, large = count_queries(staff_client, url)

    assert small_page.status_code == large_page.status_code == 200
    assert "Dzielnice:</strong>" in large_page.content.decode()
    assert len(large) == len(small), (small, large)
