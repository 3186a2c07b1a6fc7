"""Good practices in the coordinator area: the partnership's list, the form in its fixed shape, sending for
publication (the network's e-mail), publishing where staff allow it, hiding, deleting a draft, photos, and the
partnership's change history."""

import io
import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.forms import version_of
from members.models import PartnershipRole
from network.models import Facts
from partnerships.models import CoordinatorAccess
from practices import services
from practices.models import Photo, Practice, Topic
from tests import factories
from tests.coordinator.test_form_errors import assert_errors_reachable
from tests.utils import count_queries, log_in

pytestmark = pytest.mark.django_db

PASSWORD = "haslo-testowe-123"


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])


@pytest.fixture
def coordinator(django_user_model, partnership):
    user = django_user_model.objects.create_user(username="koordynatorka", password=PASSWORD)
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def other_client(client, django_user_model):
    """A coordinator of another partnership."""
    other = factories.partnership(name="Partnerstwo Wola", districts=["wola"])
    user = django_user_model.objects.create_user(username="koordynator-wola", password=PASSWORD)
    CoordinatorAccess.objects.create(user=user, partnership=other)
    client.force_login(user)
    return client


def url(name, partnership, **kwargs):
    return reverse(f"coordinator:{name}", kwargs={"slug": partnership.slug, **kwargs})


def make_practice(partnership, *, title="Sąsiedzka lodówka", **fields):
    practice = Practice(
        partnership=partnership,
        title=title,
        summary="Dzielimy się jedzeniem zamiast je wyrzucać.",
        problem="Jedzenie się marnowało.",
        steps="1. Znaleźliśmy miejsce.\n2. Postawiliśmy lodówkę.",
        **fields,
    )
    return services.save_practice(practice=practice, by=None, topics=[])


def form_data(practice=None, **changes):
    """What the form sends for `practice` (or for a new one), with `changes`."""
    data = {
        "title": "Sąsiedzka lodówka",
        "summary": "Dzielimy się jedzeniem zamiast je wyrzucać.",
        "problem": "Jedzenie się marnowało.",
        "steps": "1. Znaleźliśmy miejsce.\n2. Postawiliśmy lodówkę.",
        "publication": "draft",
    }
    if practice is not None:
        practice = Practice.objects.get(pk=practice.pk)
        data.update(
            version=version_of(practice),
            title=practice.title,
            summary=practice.summary,
            problem=practice.problem,
            steps=practice.steps,
        )
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def image_bytes(image_format="PNG", size=(500, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, image_format)
    return buffer.getvalue()


def text(response):
    return response.content.decode()


# --- the list and the partnership's page -----------------------------------------------------------------------


def test_partnership_page_links_to_its_practices(coordinator_client, partnership):
    page = text(coordinator_client.get(url("partnership", partnership)))

    assert f'href="{url("practice_list", partnership)}"' in page
    assert f'href="{url("practice_add", partnership)}"' in page
    assert "Opisz dobrą praktykę" in page


def test_list_marks_drafts_waiting_and_published_practices(coordinator_client, partnership):
    make_practice(partnership, title="Szkic praktyki")
    waiting = make_practice(partnership, title="Wysłana praktyka")
    services.submit_practice(practice=waiting, by=None)
    published = make_practice(partnership, title="Opublikowana praktyka")
    published.is_published = True
    published.save()
    make_practice(factories.partnership(name="Inne"), title="Praktyka innego partnerstwa")

    page = text(coordinator_client.get(url("practice_list", partnership)))

    assert "Szkic praktyki" in page and "Wysłana praktyka" in page and "Opublikowana praktyka" in page
    assert "Praktyka innego partnerstwa" not in page
    assert '<span class="badge-warn">szkic</span>' in page
    assert "czeka na publikację (wysłana " in page
    assert '<span class="badge-soft">opublikowana</span>' in page
    assert "Opisz dobrą praktykę" in page
    # Without the right to publish: "Wyślij do publikacji", never "Opublikuj".
    assert "Wyślij do publikacji" in page and url("practice_publish", partnership, pk=waiting.pk) not in page
    assert url("practice_hide", partnership, pk=published.pk) in page


def test_list_offers_publish_when_the_partnership_publishes_itself(coordinator_client, partnership):
    partnership.publishes_practices = True
    partnership.save()
    practice = make_practice(partnership)

    page = text(coordinator_client.get(url("practice_list", partnership)))

    assert url("practice_publish", partnership, pk=practice.pk) in page
    assert url("practice_submit", partnership, pk=practice.pk) not in page


# --- the form ---------------------------------------------------------------------------------------------------


def test_form_shows_fieldsets_help_texts_checkboxes_and_radio_buttons(coordinator_client, partnership):
    page = text(coordinator_client.get(url("practice_add", partnership)))

    for legend in ("O praktyce", "Problem i działania", "Kto wziął udział", "Czego było trzeba", "Jak poszło"):
        assert f'<legend class="h4">{legend}</legend>' in page
    assert "Jedno zdanie: co zrobiliście i po co." in page  # the model's help text
    assert len(re.findall(r'type="checkbox"[^>]* name="topics"', page)) == Topic.objects.count()
    assert re.search(r'type="radio"[^>]* name="money_needed" value="small"', page)
    assert "nie podajemy" in page
    assert '<button type="submit" name="publication" value="draft"' in page
    assert 'value="publish"' not in page  # staff publish this partnership's practices


def test_organisations_offer_members_first_and_contacts_are_the_current_team(coordinator_client, partnership):
    member = factories.organisation(name="Zielona Fundacja")
    factories.membership(organisation_obj=member, partnership_obj=partnership)
    factories.organisation(name="Akademia Sąsiedzka")
    factories.organisation(name="Ukryta Fundacja", is_published=False)
    current = factories.team_role(partnership_obj=partnership, person_obj=factories.person(last_name="Obecna"))
    former = factories.team_role(
        partnership_obj=partnership, person_obj=factories.person(last_name="Dawna"), until="2020-01-01"
    )

    page = text(coordinator_client.get(url("practice_add", partnership)))

    ours, others = page.index('<optgroup label="Członkowie partnerstwa">'), page.index("Inne organizacje z katalogu")
    assert ours < page.index("Zielona Fundacja") < others < page.index("Akademia Sąsiedzka")
    assert "Ukryta Fundacja" not in page
    assert current.person.full_name in page and former.person.full_name not in page
    assert isinstance(former, PartnershipRole)


def test_coordinator_describes_a_practice_as_a_draft(coordinator_client, coordinator, partnership):
    member = factories.organisation(name="Zielona Fundacja")
    factories.membership(organisation_obj=member, partnership_obj=partnership)
    role = factories.team_role(partnership_obj=partnership)
    partner = factories.partnership(name="Partnerstwo Bemowo")
    topics = list(Topic.objects.all()[:2])

    response = coordinator_client.post(
        url("practice_add", partnership),
        form_data(
            topics=[t.pk for t in topics],
            organisations=[member.pk],
            partner_partnerships=[partner.pk],
            money_needed="small",
            contact_person=role.person.pk,
            started_on="2024-03-01",
            ended_on="2024-09-30",
        ),
    )

    assert response.status_code == 302 and response["Location"] == url("practice_list", partnership)
    practice = Practice.objects.get()
    assert (practice.partnership, practice.title, practice.slug) == (
        partnership,
        "Sąsiedzka lodówka",
        "sasiedzka-lodowka",
    )
    assert not practice.is_published and practice.submitted_at is None
    assert set(practice.topics.all()) == set(topics)
    assert list(practice.organisations.all()) == [member]
    assert list(practice.partner_partnerships.all()) == [partner]
    assert (practice.money_needed, practice.contact_person) == ("small", role.person)
    assert practice.history.latest().history_user == coordinator
    page = text(coordinator_client.get(response["Location"]))
    assert "Zapisano szkic. Kiedy będzie gotowy, wyślij go do publikacji." in page


def test_editing_keeps_a_draft_a_draft_and_a_published_practice_published(coordinator_client, partnership):
    draft = make_practice(partnership, title="Szkic")
    published = make_practice(partnership, title="Na stronie")
    published.is_published = True
    published.save()

    coordinator_client.post(url("practice_edit", partnership, pk=draft.pk), form_data(draft, title="Szkic 2"))
    coordinator_client.post(
        url("practice_edit", partnership, pk=published.pk),
        form_data(published, title="Na stronie 2", publication="publish"),
    )

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.title, draft.is_published) == ("Szkic 2", False)
    assert (published.title, published.is_published) == ("Na stronie 2", True)
    page = text(coordinator_client.get(url("practice_edit", partnership, pk=published.pk)))
    assert '<button type="submit" name="publication" value="publish" class="btn btn-primary">Zapisz</button>' in page
    assert 'value="draft" class="btn btn-outline-primary">Ukryj</button>' in page


def test_the_form_refuses_publishing_without_the_right(coordinator_client, partnership):
    response = coordinator_client.post(url("practice_add", partnership), form_data(publication="publish"))

    assert "Dobre praktyki tego partnerstwa publikują pracownicy BORIS" in text(response)
    assert not Practice.objects.exists()


def test_the_form_publishes_where_the_partnership_publishes_itself(coordinator_client, partnership):
    partnership.publishes_practices = True
    partnership.save()

    coordinator_client.post(url("practice_add", partnership), form_data(publication="publish"))

    practice = Practice.objects.get()
    assert practice.is_published and practice.published_at is not None


def test_required_fields_and_dates_have_polish_messages(coordinator_client, partnership):
    response = coordinator_client.post(
        url("practice_add", partnership),
        form_data(title="", summary="", problem="", steps="", started_on="2024-05-01", ended_on="2024-01-01"),
    )

    page, items = assert_errors_reachable(response, expected=5)
    messages = " ".join(message for _href, message in items)
    assert "Podaj tytuł praktyki." in messages
    assert "Napisz w jednym zdaniu, co zrobiliście i po co." in messages
    assert "Koniec nie może być przed początkiem." in messages
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "x" * 5000}, "co najwyżej 200 znaków"),
        ({"steps": "y" * 20_000}, "co najwyżej 10000 znaków"),
        ({"title": "Lodówka\x00"}, "tylko jeden wiersz zwykłego tekstu"),
        ({"steps": "Kroki\x00"}, "niewidoczne znaki sterujące"),
        ({"topics": ["abc"]}, "Wybierz tematy z listy."),
        ({"organisations": ["999999"]}, "Wybierz organizacje z listy katalogu."),
        ({"partner_partnerships": ["%00"]}, "Wybierz partnerstwa z listy opublikowanych partnerstw."),
        ({"contact_person": "99999999999999999999999"}, "musi należeć do obecnego zespołu partnerstwa"),
        ({"money_needed": "milion"}, "Wybierz jedną z możliwości."),
        ({"started_on": "wczoraj"}, "RRRR-MM-DD"),
        ({"started_on": "1200-01-01"}, "2000"),
        ({"publication": "\x00"}, "Wybierz, czy zapisać szkic, czy opublikować"),
    ],
)
def test_garbage_huge_and_nul_input_gets_a_polish_message_and_saves_nothing(
    coordinator_client, partnership, changes, message
):
    response = coordinator_client.post(url("practice_add", partnership), form_data(**changes))

    assert response.status_code == 200
    assert message in text(response)
    assert not Practice.objects.exists()


def test_a_contact_who_left_the_team_is_refused(coordinator_client, partnership):
    role = factories.team_role(partnership_obj=partnership, until="2020-01-01")

    response = coordinator_client.post(url("practice_add", partnership), form_data(contact_person=role.person.pk))

    assert "musi należeć do obecnego zespołu partnerstwa" in text(response)
    assert not Practice.objects.exists()


def test_a_stale_form_is_refused(coordinator_client, partnership):
    practice = make_practice(partnership)
    data = form_data(practice, title="Moja wersja")
    Practice.objects.filter(pk=practice.pk).update(title="Wersja kogoś innego")

    response = coordinator_client.post(url("practice_edit", partnership, pk=practice.pk), data)

    assert "Ktoś zmienił te dane w międzyczasie" in text(response)
    practice.refresh_from_db()
    assert practice.title == "Wersja kogoś innego"


# --- sending, publishing, hiding, deleting ----------------------------------------------------------------------


def test_sending_for_publication_emails_the_network_with_the_link(
    coordinator_client, partnership, django_capture_on_commit_callbacks
):
    Facts.objects.create(contact_email="siec@example.org")
    practice = make_practice(partnership)

    assert "BORIS" in text(coordinator_client.get(url("practice_submit", partnership, pk=practice.pk)))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("practice_submit", partnership, pk=practice.pk))

    assert response["Location"] == url("practice_list", partnership)
    practice.refresh_from_db()
    assert practice.submitted_at is not None and not practice.is_published
    assert list(Practice.objects.waiting()) == [practice]
    [message] = mail.outbox
    assert message.to == ["siec@example.org"]
    assert message.subject == "Dobra praktyka do publikacji: Sąsiedzka lodówka – Partnerstwo Sady"
    assert f"http://testserver{services.admin_path(practice)}" in message.body
    assert "Dzielimy się jedzeniem" in message.body


def test_without_the_networks_address_sending_mails_nothing(coordinator_client, partnership):
    practice = make_practice(partnership)

    coordinator_client.post(url("practice_submit", partnership, pk=practice.pk))

    practice.refresh_from_db()
    assert practice.submitted_at is not None
    assert mail.outbox == []


def test_publishing_is_refused_unless_the_partnership_publishes_itself(coordinator_client, partnership):
    practice = make_practice(partnership)
    publish = url("practice_publish", partnership, pk=practice.pk)

    assert coordinator_client.get(publish).status_code == 404
    assert coordinator_client.post(publish).status_code == 404
    practice.refresh_from_db()
    assert not practice.is_published

    partnership.publishes_practices = True
    partnership.save()
    assert coordinator_client.get(publish).status_code == 200
    response = coordinator_client.post(publish)

    assert response["Location"] == url("practice_list", partnership)
    practice.refresh_from_db()
    assert practice.is_published and practice.published_at is not None


def test_staff_publish_any_practice(client, staff_user, partnership):
    practice = make_practice(partnership)
    log_in(client, staff_user)

    client.post(url("practice_publish", partnership, pk=practice.pk))

    practice.refresh_from_db()
    assert practice.is_published


def test_hiding_takes_a_published_practice_back_to_the_drafts(coordinator_client, partnership):
    practice = make_practice(partnership)
    services.submit_practice(practice=practice, by=None)
    practice.is_published = True
    practice.save()

    response = coordinator_client.post(url("practice_hide", partnership, pk=practice.pk))

    assert response["Location"] == url("practice_list", partnership)
    practice.refresh_from_db()
    assert not practice.is_published and practice.submitted_at is None
    # Hiding it again says it is not published.
    response = coordinator_client.post(url("practice_hide", partnership, pk=practice.pk), follow=True)
    assert "Ta praktyka nie jest opublikowana." in text(response)


def test_deleting_a_draft_with_confirmation(coordinator_client, partnership, django_capture_on_commit_callbacks):
    practice = make_practice(partnership)
    photo = services.add_photo(
        practice=practice, image=SimpleUploadedFile("a.png", image_bytes(), "image/png"), alt="Lodówka"
    )
    delete = url("practice_delete", partnership, pk=practice.pk)

    page = text(coordinator_client.get(delete))
    assert "Usunąć szkic „Sąsiedzka lodówka”?" in page and '<button type="submit"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(delete)

    assert response["Location"] == url("practice_list", partnership)
    assert not Practice.objects.exists() and not Photo.objects.exists()
    assert not default_storage.exists(photo.image.name)


def test_a_published_practice_is_not_deleted(coordinator_client, partnership):
    practice = make_practice(partnership)
    practice.is_published = True
    practice.save()

    response = coordinator_client.post(url("practice_delete", partnership, pk=practice.pk), follow=True)

    assert "Opublikowanej praktyki nie usuwa się: najpierw ją ukryj." in text(response)
    assert Practice.objects.filter(pk=practice.pk).exists()


# --- photos -----------------------------------------------------------------------------------------------------


def test_adding_and_removing_a_photo(coordinator_client, partnership, django_capture_on_commit_callbacks):
    practice = make_practice(partnership)
    photos = url("practice_photos", partnership, pk=practice.pk)

    response = coordinator_client.post(
        photos,
        {
            "image_file": SimpleUploadedFile("lodowka.jpg", image_bytes("JPEG"), "image/jpeg"),
            "alt": "Lodówka pod blokiem",
            "caption": "Pierwszy dzień",
        },
    )

    assert response["Location"] == photos
    photo = Photo.objects.get()
    assert (photo.practice, photo.alt, photo.caption, photo.image_width) == (
        practice,
        "Lodówka pod blokiem",
        "Pierwszy dzień",
        500,
    )
    assert photo.image.name.startswith("practices/") and default_storage.exists(photo.image.name)
    page = text(coordinator_client.get(photos))
    assert 'alt="Lodówka pod blokiem"' in page and "Zdjęcia (1 z 8)" in page
    remove = url("practice_photo_remove", partnership, pk=practice.pk, photo=photo.pk)
    assert remove in page

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(remove)

    assert not Photo.objects.exists()
    assert not default_storage.exists(photo.image.name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"image_file": ("a.jpg", b"to nie jest obraz" * 20), "alt": "Coś"}, "nie jest obrazem JPEG, PNG ani WebP"),
        ({"image_file": ("a.png", "png"), "alt": ""}, "Opisz, co widać na zdjęciu (tekst alternatywny)."),
        ({"image_file": ("a.png", "png"), "alt": "Opis\x00"}, "tylko jeden wiersz zwykłego tekstu"),
        ({"image_file": ("a.png", "png"), "alt": "x" * 1000}, "co najwyżej 200 znaków"),
        ({"alt": "Bez pliku"}, "Wybierz plik ze zdjęciem."),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(coordinator_client, partnership, data, message):
    practice = make_practice(partnership)
    data = dict(data)
    if "image_file" in data:
        name, content = data["image_file"]
        data["image_file"] = SimpleUploadedFile(name, image_bytes() if content == "png" else content)

    response = coordinator_client.post(url("practice_photos", partnership, pk=practice.pk), data)

    assert response.status_code == 200
    assert message in text(response)
    assert not Photo.objects.exists()
    assert not default_storage.exists("practices")


def test_at_most_eight_photos(coordinator_client, partnership):
    practice = make_practice(partnership)
    for n in range(services.MAX_PHOTOS):
        Photo.objects.create(practice=practice, image=f"practices/{n}.png", alt=f"Zdjęcie {n}", order=n)

    page = text(coordinator_client.get(url("practice_photos", partnership, pk=practice.pk)))
    assert "Praktyka ma już 8 zdjęć – usuń jedno, żeby dodać nowe." in page
    response = coordinator_client.post(
        url("practice_photos", partnership, pk=practice.pk),
        {"image_file": SimpleUploadedFile("a.png", image_bytes(), "image/png"), "alt": "Dziewiąte"},
    )

    assert "Praktyka ma już 8 zdjęć" in text(response)
    assert practice.photos.count() == services.MAX_PHOTOS


# --- another partnership's coordinator ------------------------------------------------------------------------


def test_a_coordinator_of_another_partnership_gets_404_everywhere(other_client, partnership):
    practice = make_practice(partnership)
    photo = services.add_photo(
        practice=practice, image=SimpleUploadedFile("a.png", image_bytes(), "image/png"), alt="Lodówka"
    )
    urls = [
        url("practice_list", partnership),
        url("practice_add", partnership),
        *(
            url(name, partnership, pk=practice.pk)
            for name in ("practice_edit", "practice_submit", "practice_publish", "practice_hide", "practice_delete")
        ),
        url("practice_photos", partnership, pk=practice.pk),
        url("practice_photo_remove", partnership, pk=practice.pk, photo=photo.pk),
    ]

    for address in urls:
        assert other_client.get(address).status_code == 404, address
        assert other_client.post(address, form_data(practice)).status_code == 404, address

    practice.refresh_from_db()
    assert practice.title == "Sąsiedzka lodówka" and practice.submitted_at is None
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_a_photo_of_another_practice_is_404(coordinator_client, partnership):
    mine = make_practice(partnership, title="Moja")
    theirs = make_practice(factories.partnership(name="Cudze"), title="Cudza")
    photo = Photo.objects.create(practice=theirs, image="practices/x.png", alt="Cudze zdjęcie")

    response = coordinator_client.post(url("practice_photo_remove", partnership, pk=mine.pk, photo=photo.pk))

    assert response.status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()


# --- the change history -------------------------------------------------------------------------------------------


def test_history_shows_practices_and_photos_and_undoes_a_practice_change(coordinator_client, coordinator, partnership):
    coordinator_client.post(url("practice_add", partnership), form_data())
    practice = Practice.objects.get()
    coordinator_client.post(url("practice_edit", partnership, pk=practice.pk), form_data(practice, title="Lodówka 2"))
    services.add_photo(
        practice=practice, image=SimpleUploadedFile("a.png", image_bytes(), "image/png"), alt="Lodówka", by=coordinator
    )

    response = coordinator_client.get(url("partnership_history", partnership))

    page = text(response)
    assert "dobra praktyka: <strong>Lodówka 2</strong>" in page
    assert "Tytuł: „Sąsiedzka lodówka” → „Lodówka 2”" in page or "tytuł: „Sąsiedzka lodówka” → „Lodówka 2”" in page
    assert "zdjęcie dobrej praktyki: <strong>Lodówka</strong>" in page
    undo = next(entry.undo_url for entry in response.context["entries"] if "Lodówka 2" in entry.name)
    coordinator_client.post(undo)
    practice.refresh_from_db()
    assert practice.title == "Sąsiedzka lodówka"


# --- queries ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["practice_list", "practice_add", "partnership_history"])
def test_pages_run_as_many_queries_with_many_practices(coordinator_client, coordinator, partnership, name):
    def grow(count):
        for n in range(count):
            member = factories.organisation(name=f"Fundacja {n} {Practice.objects.count()}")
            factories.membership(organisation_obj=member, partnership_obj=partnership)
            factories.team_role(partnership_obj=partnership)
            practice = make_practice(partnership, title=f"Praktyka {n} {Practice.objects.count()}")
            services.save_practice(
                practice=practice, by=coordinator, topics=Topic.objects.all()[:2], organisations=[member]
            )
            Photo.objects.create(practice=practice, image=f"practices/{practice.pk}.png", alt=f"Zdjęcie {n}")

    grow(2)
    response, small = count_queries(coordinator_client, url(name, partnership))
    assert response.status_code == 200
    grow(8)
    response, large = count_queries(coordinator_client, url(name, partnership))

    assert response.status_code == 200
    assert len(large) == len(small), (small, large)
