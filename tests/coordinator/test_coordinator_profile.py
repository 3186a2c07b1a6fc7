"""A coordinator keeps the partnership's profile current: texts, contact, conditions, images, verification."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from common.forms import version_of
from partnerships.models import CoordinatorAccess, Partnership
from tests import factories
from tests.utils import assert_flat_query_count, count_queries, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"], contact_email="sady@example.org")


@pytest.fixture
def coordinator(django_user_model, partnership):
    user = django_user_model.objects.create_user(
        username="koordynatorka", email="koordynatorka@example.org", password="haslo-testowe-123"
    )
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, partnership):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug})


def profile_data(partnership, **changes):
    """What the profile form would post for the partnership as it is now, with `changes`."""
    data = {
        "version": version_of(Partnership.objects.get(pk=partnership.pk)),
        "summary": partnership.summary,
        "description": partnership.description,
        "goals": partnership.goals,
        "status": partnership.status,
        "founded_year": partnership.founded_year or "",
        "formal_status": partnership.formal_status,
        "districts": [d.pk for d in partnership.districts.all()],
        "area": partnership.area,
        "contact_name": partnership.contact_name,
        "contact_email": partnership.contact_email,
        "contact_phone": partnership.contact_phone,
        "website": partnership.website,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def image_bytes(image_format="PNG", size=(500, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, image_format)
    return buffer.getvalue()


# --- "Moje partnerstwa" ---------------------------------------------------------------------


def test_login_lands_on_my_partnerships_with_what_needs_attention(client, coordinator, partnership):
    response = client.post(
        reverse("account:login"), {"username": "koordynatorka", "password": "haslo-testowe-123"}, follow=True
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("coordinator:dashboard")
    assert "<h1>Moje partnerstwa</h1>" in page
    assert "Partnerstwo Sady" in page
    for point in ("brak zapowiedzianych wydarzeń", "dane nigdy nie zostały potwierdzone", "brak logo"):
        assert point in page
    assert "nieopisane warunki: Animator i zespół koordynujący" in page


def test_dashboard_stops_asking_once_things_are_done(coordinator_client, partnership):
    partnership.last_verified_on = timezone.localdate()
    partnership.description = "Opis"
    partnership.save()
    factories.event(organisers=[partnership])

    page = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()

    assert "brak zapowiedzianych wydarzeń" not in page
    assert "dane nigdy nie zostały potwierdzone" not in page
    assert "brak opisu" not in page


def test_dashboard_flags_data_not_verified_for_half_a_year(coordinator_client, partnership):
    partnership.last_verified_on = timezone.localdate() - timedelta(days=200)
    partnership.save()

    page = coordinator_client.get(reverse("coordinator:dashboard")).content.decode()

    assert "dane niepotwierdzone od ponad pół roku" in page


def test_partnership_page_links_to_every_edit_screen(coordinator_client, partnership):
    membership = factories.membership(partnership_obj=partnership)
    role = factories.team_role(partnership_obj=partnership)
    place = factories.place()
    partnership.places.add(place)
    event = factories.event(organisers=[partnership], place=place)

    page = coordinator_client.get(url("partnership", partnership)).content.decode()

    for name, kwargs in [
        ("partnership_edit", {}),
        ("partnership_images", {}),
        ("partnership_history", {}),
        ("partnership_verify", {}),
        ("membership_add", {}),
        ("membership_add_new", {}),
        ("membership_edit", {"pk": membership.pk}),
        ("membership_end", {"pk": membership.pk}),
        ("organisation_edit", {"pk": membership.organisation.pk}),
        ("team_add", {}),
        ("role_edit", {"pk": role.pk}),
        ("role_end", {"pk": role.pk}),
        ("person_edit", {"pk": role.person.pk}),
        ("place_add", {}),
        ("place_edit", {"pk": place.pk}),
        ("event_add", {}),
        ("event_edit", {"pk": event.pk}),
        ("event_cancel", {"pk": event.pk}),
        ("event_duplicate", {"pk": event.pk}),
    ]:
        assert reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs}) in page, name


# --- the profile form -----------------------------------------------------------------------


def test_coordinator_saves_the_profile_and_the_public_page_shows_it(coordinator_client, partnership):
    data = profile_data(
        partnership,
        description="Działamy na **Sadach Żoliborskich**.",
        area="Sady Żoliborskie",
        contact_phone="22 123 45 67",
        districts=[factories.district("zoliborz").pk, factories.district("bielany").pk],
        condition_space="on",
        condition_space_note="Dom sąsiedzki przy ul. Przykładowej",
    )

    response = coordinator_client.post(url("partnership_edit", partnership), data, follow=True)

    assert "Zapisano profil partnerstwa." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.area == "Sady Żoliborskie"
    assert partnership.condition_space is True
    assert sorted(d.slug for d in partnership.districts.all()) == ["bielany", "zoliborz"]
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert "Działamy na <strong>Sadach Żoliborskich</strong>." in public
    assert "Dom sąsiedzki przy ul. Przykładowej" in public


def test_coordinator_adds_a_sign_language_video_shown_as_a_captioned_link(coordinator_client, partnership):
    data = profile_data(partnership, sign_language_video_url="https://www.youtube.com/watch?v=pjm-wspl")

    coordinator_client.post(url("partnership_edit", partnership), data, follow=True)

    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert 'href="https://www.youtube.com/watch?v=pjm-wspl"' in public
    assert "Obejrzyj film o partnerstwie w polskim języku migowym (PJM)" in public
    assert "<figcaption" in public and "otworzy się w serwisie youtube.com." in public


def test_preview_renders_sanitised_markdown_without_saving(coordinator_client, partnership):
    data = profile_data(
        partnership, description="## Kim jesteśmy\n\n<script>alert(1)</script>**Sąsiedzi**", preview="1"
    )

    response = coordinator_client.post(url("partnership_edit", partnership), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Podgląd – jeszcze nie zapisano" in page
    assert "<h4>Kim jesteśmy</h4>" in page and "<strong>Sąsiedzi</strong>" in page
    assert "<script>alert(1)</script>" not in page
    partnership.refresh_from_db()
    assert partnership.description == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "nie-ma-malpy", "Podaj poprawny adres e-mail, np. kontakt@example.org."),
        ("website", "http://", "Podaj poprawny adres strony, np. https://example.org."),
        ("facebook_url", "to nie jest adres", "Podaj poprawny adres strony, np. https://example.org."),
        ("contact_phone", "zadzwoń do nas", "Podaj numer telefonu cyframi, np. 22 123 45 67 albo +48 600 100 200."),
        ("description", "x" * 100_000, "Ten tekst jest za długi: najwyżej 20000 znaków (teraz ma 100000)."),
        ("founded_year", "1800", "Rok powstania nie może być wcześniejszy niż 1990."),
        ("sign_language_video_url", "javascript:alert(1)", "Podaj poprawny adres strony, np. https://example.org."),
        (
            "declaration_signed_on",
            "2020-05-01",
            "Datę podpisania deklaracji podaje się tylko przy formie „podpisana deklaracja partnerska”.",
        ),
    ],
)
def test_bad_profile_input_gets_a_specific_polish_message(coordinator_client, partnership, field, value, message):
    response = coordinator_client.post(
        url("partnership_edit", partnership), profile_data(partnership, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    before = partnership.updated_at
    partnership.refresh_from_db()
    assert partnership.updated_at == before


def test_stale_form_is_refused_with_the_current_values(coordinator_client, partnership):
    stale = profile_data(partnership, area="Wersja koordynatorki")
    # Meanwhile someone else (staff, another coordinator) changes the partnership.
    other = Partnership.objects.get(pk=partnership.pk)
    other.area = "Wersja pracownika BORIS"
    other.save()

    response = coordinator_client.post(url("partnership_edit", partnership), stale)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ktoś zmienił te dane w międzyczasie" in page
    assert "Aktualne wartości w bazie" in page and "Wersja pracownika BORIS" in page
    assert 'value="Wersja koordynatorki"' in page  # the user's own text is not lost
    partnership.refresh_from_db()
    assert partnership.area == "Wersja pracownika BORIS"


def test_after_seeing_the_current_values_saving_again_is_a_conscious_overwrite(coordinator_client, partnership):
    stale = profile_data(partnership, area="Wersja koordynatorki")
    other = Partnership.objects.get(pk=partnership.pk)
    other.area = "Wersja pracownika BORIS"
    other.save()
    refused = coordinator_client.post(url("partnership_edit", partnership), stale)
    new_version = refused.context["form"]["version"].value()

    response = coordinator_client.post(url("partnership_edit", partnership), {**stale, "version": new_version})

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.area == "Wersja koordynatorki"


def test_confirming_the_data_stamps_today_and_the_public_page_shows_it(coordinator_client, partnership):
    response = coordinator_client.post(url("partnership_verify", partnership), follow=True)

    assert "Dane partnerstwa są potwierdzone na dziś." in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.last_verified_on == timezone.localdate()
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">' in public


# --- logo and cover -------------------------------------------------------------------------


def test_logo_upload_is_reencoded_with_copies_and_shown_with_srcset(coordinator_client, partnership):
    response = coordinator_client.post(
        url("partnership_images", partnership),
        {
            "version": version_of(partnership),
            "logo_file": SimpleUploadedFile("logo.png", image_bytes(size=(800, 400)), "image/png"),
            "logo_alt": "Logo: zielony dom",
            "cover_alt": "",
        },
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.logo.name.startswith("partnerships/logos/") and partnership.logo.name.endswith(".png")
    assert default_storage.exists(partnership.logo.name.replace(".png", ".w160.png"))
    public = coordinator_client.get(partnership.get_absolute_url()).content.decode()
    assert "srcset=" in public and 'alt="Logo: zielony dom"' in public


def test_alt_text_is_required_with_an_image(coordinator_client, partnership):
    response = coordinator_client.post(
        url("partnership_images", partnership),
        {
            "version": version_of(partnership),
            "cover_file": SimpleUploadedFile("zdjecie.jpg", image_bytes("JPEG"), "image/jpeg"),
            "cover_alt": " ",
        },
    )

    assert "tekst alternatywny" in response.content.decode()
    partnership.refresh_from_db()
    assert not partnership.cover
    assert not default_storage.exists("partnerships/covers") or not default_storage.listdir("partnerships/covers")[1]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.jpg", b"zwykly tekst" * 50, "nie jest obrazem JPEG, PNG ani WebP"),
        ("logo.png", b"<html><body onload='x()'>strona</body></html>", "nie jest obrazem JPEG, PNG ani WebP"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "nie jest obrazem JPEG, PNG ani WebP"),
    ],
)
def test_files_that_are_not_images_are_refused_and_nothing_is_stored(
    coordinator_client, partnership, name, content, message
):
    response = coordinator_client.post(
        url("partnership_images", partnership),
        {"version": version_of(partnership), "logo_file": SimpleUploadedFile(name, content), "logo_alt": "Logo"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    partnership.refresh_from_db()
    assert not partnership.logo
    assert not default_storage.exists("partnerships/logos")


def test_replacing_a_logo_deletes_the_old_files(coordinator_client, partnership, django_capture_on_commit_callbacks):
    def send(size):
        current = Partnership.objects.get(pk=partnership.pk)
        with django_capture_on_commit_callbacks(execute=True):
            return coordinator_client.post(
                url("partnership_images", partnership),
                {
                    "version": version_of(current),
                    "logo_file": SimpleUploadedFile("logo.png", image_bytes(size=size), "image/png"),
                    "logo_alt": "Logo",
                },
            )

    send((600, 300))
    partnership.refresh_from_db()
    old = partnership.logo.name
    send((700, 300))
    partnership.refresh_from_db()

    assert partnership.logo.name != old
    assert not default_storage.exists(old)
    assert not default_storage.exists(old.replace(".png", ".w160.png"))
    assert default_storage.exists(partnership.logo.name)


# --- the "Edytuj" link on public pages ---------------------------------------------------------


def test_edit_link_is_shown_only_to_those_who_may_edit(client, coordinator, partnership, plain_user, staff_user):
    other = factories.partnership(name="Partnerstwo Inne")
    edit_url = url("partnership", partnership)

    anonymous = client.get(partnership.get_absolute_url()).content.decode()
    client.force_login(plain_user)
    plain = client.get(partnership.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    own = client.get(partnership.get_absolute_url()).content.decode()
    foreign = client.get(other.get_absolute_url()).content.decode()
    log_in(client, staff_user)
    staff = client.get(other.get_absolute_url()).content.decode()

    assert edit_url not in anonymous and "Edytuj" not in anonymous
    assert "Edytuj" not in plain
    assert f'href="{edit_url}"' in own and "Edytuj<span" in own
    assert "Edytuj" not in foreign
    assert url("partnership", other) in staff


def test_edit_links_on_place_event_and_organisation_pages_lead_to_their_forms(coordinator_client, partnership):
    place = factories.place(name="Dom sąsiedzki Sady")
    partnership.places.add(place)
    event = factories.event(organisers=[partnership], place=place)
    organisation = factories.membership(partnership_obj=partnership).organisation
    foreign_event = factories.event(organisers=[factories.partnership()])

    for obj, name in [(place, "place_edit"), (event, "event_edit"), (organisation, "organisation_edit")]:
        page = coordinator_client.get(obj.get_absolute_url()).content.decode()
        assert reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, "pk": obj.pk}) in page, name
    assert "Edytuj" not in coordinator_client.get(foreign_event.get_absolute_url()).content.decode()


def test_edit_link_adds_no_query_for_anonymous_visitors(client):
    factories.network(2)
    partnership = Partnership.objects.order_by("pk").first()

    _response, queries = count_queries(client, partnership.get_absolute_url())

    assert not any("auth_user" in sql or "django_session" in sql or "coordinator" in sql for sql in queries)
    assert_flat_query_count(client, lambda partnerships: partnerships[0].get_absolute_url())


# --- history ----------------------------------------------------------------------------------


def test_change_log_shows_who_changed_which_field(coordinator_client, coordinator, partnership):
    coordinator.first_name, coordinator.last_name = "Ola", "Koordynatorka"
    coordinator.save()
    coordinator_client.post(url("partnership_edit", partnership), profile_data(partnership, area="Nowy obszar"))

    page = coordinator_client.get(url("partnership_history", partnership)).content.decode()

    assert "Ola Koordynatorka" in page
    assert "obszar działania: „–” → „Nowy obszar”" in page


def test_change_log_records_a_change_of_districts(coordinator_client, partnership):
    wola = factories.district("wola")
    districts = [d.pk for d in partnership.districts.all()] + [wola.pk]
    coordinator_client.post(url("partnership_edit", partnership), profile_data(partnership, districts=districts))

    assert wola in partnership.districts.all()
    page = coordinator_client.get(url("partnership_history", partnership)).content.decode()
    assert "dzielnice: „Żoliborz” → „Wola, Żoliborz”" in page


def test_change_log_covers_members_and_events_of_the_partnership(coordinator_client, partnership):
    membership = factories.membership(partnership_obj=partnership, since=date(2020, 1, 1))
    coordinator_client.post(
        reverse("coordinator:membership_end", kwargs={"slug": partnership.slug, "pk": membership.pk}),
        {"until": "2024-06-30"},
    )

    page = coordinator_client.get(url("partnership_history", partnership)).content.decode()

    assert membership.organisation.name in page
    assert "do: „–” → „2024-06-30”" in page
