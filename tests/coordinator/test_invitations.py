"""Staff invite coordinators by e-mail; the one-time link gives edit rights to one partnership only."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerships import services
from partnerships.models import CoordinatorAccess, Invitation
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Sasiedzka-Kawa-2026"


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Jelonki")


@pytest.fixture
def invite(staff_client, django_capture_on_commit_callbacks):
    """Invite through the staff page; its e-mail goes once the invitation is committed (common/mail.py)."""

    def invite(partnership, email="nowa.koordynatorka@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                reverse("coordinator:access_list"), {"email": email, "partnership": partnership.pk}, follow=True
            )
        assert f"Wysłano zaproszenie na adres {email}" in response.content.decode()
        return invitation_link(mail.outbox[-1].body)

    return invite


def invitation_link(body):
    return re.search(r"https?://[^\s]+/konto/zaproszenie/[^\s]+/", body).group(0)


def path_of(link):
    return link.split("testserver", 1)[1]


def test_staff_invitation_sends_a_polish_email_with_a_one_time_link(partnership, invite):
    link = invite(partnership)

    message = mail.outbox[0]
    assert message.to == ["nowa.koordynatorka@example.org"]
    assert message.subject == "Zaproszenie do edycji strony partnerstwa „Partnerstwo Jelonki”"
    assert "Link działa jeden raz i jest ważny przez 7 dni." in message.body
    invitation = Invitation.objects.get()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only a hash of the token is stored
    assert invitation.invited_by.username == "pracownik"


def test_invited_person_sets_a_password_and_may_edit_only_that_partnership(
    client, staff_user, partnership, django_capture_on_commit_callbacks
):
    other = factories.partnership(name="Partnerstwo Inne")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coordinator(
            email="ola@example.org",
            partnership=partnership,
            by=staff_user,
            url_for=lambda path: f"http://testserver{path}",
        )
    link = path_of(invitation_link(mail.outbox[0].body))

    page = client.get(link).content.decode()
    response = client.post(
        link,
        {"first_name": "Ola", "last_name": "Nowa", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert "adresem e-mail <strong>ola@example.org</strong>, który widzisz tylko Ty" in page
    assert "Witamy! Możesz teraz edytować partnerstwo „Partnerstwo Jelonki”." in response.content.decode()
    assert "Twój login: ola.nowa. Możesz też logować się adresem e-mail." in response.content.decode()
    assert "ola@example.org" not in response.content.decode()
    user = get_user_model().objects.get(email="ola@example.org")
    assert user.username == "ola.nowa" and user.check_password(PASSWORD)
    assert [a.partnership for a in CoordinatorAccess.objects.filter(user=user)] == [partnership]
    assert client.get(reverse("coordinator:partnership", kwargs={"slug": partnership.slug})).status_code == 200
    assert client.get(reverse("coordinator:partnership", kwargs={"slug": other.slug})).status_code == 404
    client.logout()
    assert client.login(username="ola.nowa", password=PASSWORD)
    client.logout()
    assert client.login(username="OLA@example.org", password=PASSWORD)


def test_invitation_link_works_only_once(client, staff_client, partnership, invite):
    link = path_of(invite(partnership))
    staff_client.logout()
    client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "To zaproszenie zostało już wykorzystane." in response.content.decode()
    assert client.post(link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert get_user_model().objects.filter(email="nowa.koordynatorka@example.org").count() == 1


def test_expired_and_revoked_invitations_do_not_work(client, staff_client, partnership, invite):
    link = path_of(invite(partnership))
    invitation = Invitation.objects.get()
    staff_client.logout()

    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    revoked = client.get(link)

    assert "To zaproszenie wygasło. Poproś BORIS o nowe." in expired.content.decode()
    assert "To zaproszenie zostało wycofane." in revoked.content.decode()
    assert not CoordinatorAccess.objects.exists()


def test_unknown_token_gives_a_polish_404(client):
    response = client.get(reverse("account:invitation", kwargs={"token": "x" * 40}))

    assert response.status_code == 404
    assert "Ten link zaproszenia jest nieprawidłowy." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password1": PASSWORD, "password2": PASSWORD + "x"}, "Hasła się różnią."),
        ({"password1": "12345678", "password2": "12345678"}, "To hasło jest zbyt powszechne."),
        ({"password1": "", "password2": ""}, "Ustaw hasło."),
    ],
)
def test_weak_or_mismatched_password_is_refused(client, staff_client, partnership, data, message, invite):
    link = path_of(invite(partnership))
    staff_client.logout()

    response = client.post(link, data)

    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email="nowa.koordynatorka@example.org").exists()


LOGIN_REFUSED = "Login może mieć 3–40 znaków: litery, cyfry, kropki, myślniki i podkreślenia (bez @)."


@pytest.mark.parametrize(
    ("login", "message"),
    [
        ("nowa.koordynatorka@example.org", LOGIN_REFUSED),
        ("ab", LOGIN_REFUSED),
        ("a" * 41, LOGIN_REFUSED),
        ("ala\x00ma", LOGIN_REFUSED),
        ("ala ma kota", LOGIN_REFUSED),
        ("<script>", LOGIN_REFUSED),
        ("PRACOWNIK", "Ten login jest już zajęty. Wybierz inny."),
    ],
)
def test_a_login_that_is_an_address_malformed_or_taken_is_refused(
    client, staff_client, partnership, invite, login, message
):
    link = path_of(invite(partnership))
    staff_client.logout()

    response = client.post(link, {"login": login, "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email="nowa.koordynatorka@example.org").exists()


def test_a_chosen_login_is_kept_and_names_repeat_with_a_number(client, staff_client, partnership, invite):
    links = [path_of(invite(partnership, email=f"osoba{number}@example.org")) for number in range(3)]
    staff_client.logout()
    named = {"first_name": "Żaneta", "last_name": "Łąka", "password1": PASSWORD, "password2": PASSWORD}

    Client().post(links[0], {"login": "Żaneta_K", "password1": PASSWORD, "password2": PASSWORD})
    Client().post(links[1], named)
    Client().post(links[2], named)

    logins = get_user_model().objects.filter(is_staff=False).order_by("pk").values_list("username", flat=True)
    assert list(logins) == ["Żaneta_K", "zaneta.laka", "zaneta.laka2"]


def test_someone_with_an_account_logs_in_and_accepts(
    client, staff_user, partnership, django_user_model, django_capture_on_commit_callbacks
):
    existing = django_user_model.objects.create_user(
        username="stara-koordynatorka", email="Ola@Example.org", password=PASSWORD
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coordinator(
            email="ola@example.org",
            partnership=partnership,
            by=staff_user,
            url_for=lambda path: f"http://testserver{path}",
        )
    link = path_of(invitation_link(mail.outbox[0].body))

    anonymous = client.get(link).content.decode()
    refused = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 200 and not CoordinatorAccess.objects.exists()
    client.force_login(existing)
    accepted = client.post(link, follow=True)

    assert "Masz już konto z adresem ola@example.org" in anonymous
    assert "Witamy!" in accepted.content.decode()
    assert CoordinatorAccess.objects.get().user == existing
    granted = CoordinatorAccess.history.get()
    assert (granted.history_type, granted.history_user) == ("+", existing)  # the person who accepted the invitation


def test_staff_withdraw_rights(staff_client, partnership, django_user_model):
    user = django_user_model.objects.create_user(username="koordynator", email="k@example.org")
    access = CoordinatorAccess.objects.create(user=user, partnership=partnership)

    response = staff_client.post(reverse("coordinator:access_revoke", kwargs={"pk": access.pk}), follow=True)

    assert "Odebrano uprawnienia do edycji." in response.content.decode()
    assert not CoordinatorAccess.objects.exists()
    withdrawn = CoordinatorAccess.history.get(history_type="-")
    assert (withdrawn.user, withdrawn.partnership, withdrawn.history_user.username) == (user, partnership, "pracownik")
    trail = response.content.decode().split('id="historia-uprawnien"')[1].split("</section>")[0]
    assert "odebrano: koordynator → " + partnership.name in " ".join(trail.split())
    assert "kto: pracownik" in trail


def test_staff_revoke_a_pending_invitation(client, staff_client, partnership, invite):
    link = path_of(invite(partnership))

    staff_client.post(reverse("coordinator:invitation_revoke", kwargs={"pk": Invitation.objects.get().pk}))
    staff_client.logout()

    assert client.get(link).status_code == 410
    assert Invitation.objects.get().revoked_by.username == "pracownik"


def test_invalid_email_in_the_invitation_form_gets_a_polish_message(staff_client, partnership):
    response = staff_client.post(reverse("coordinator:access_list"), {"email": "ola", "partnership": partnership.pk})

    assert "Podaj poprawny adres e-mail, np. kontakt@example.org." in response.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()


def test_a_failing_mail_server_keeps_the_invitation_and_logs_the_failure(
    staff_client, partnership, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens on 9

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("coordinator:access_list"), {"email": "ola@example.org", "partnership": partnership.pk}
        )

    # The immediate backend of the tests does not retry (the worker does: tests/common/test_mail.py).
    assert response.status_code == 302
    assert Invitation.objects.get().email == "ola@example.org"
    assert not mail.outbox
    failure = next(record for record in caplog.records if record.name == "django_tasks")
    assert "common.mail.send_email_task state=FAILED" in failure.getMessage()
    assert "ConnectionRefusedError" in failure.exc_text


# --- the admin ------------------------------------------------------------------------------


def test_admin_invitation_add_form_sends_the_email(staff_client, partnership, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:partnerships_invitation_add"), {"email": "adm@example.org", "partnership": partnership.pk}
        )

    assert response.status_code == 302
    assert Invitation.objects.get().email == "adm@example.org"
    assert mail.outbox[0].to == ["adm@example.org"] and "/konto/zaproszenie/" in mail.outbox[0].body


def test_admin_action_on_partnerships_opens_the_invitation_form(staff_client, partnership):
    response = staff_client.post(
        reverse("admin:partnerships_partnership_changelist"),
        {"action": "invite_coordinator", "_selected_action": [partnership.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:partnerships_invitation_add')}?partnership={partnership.pk}"


def test_admin_action_withdraws_coordinator_rights(staff_client, partnership, django_user_model):
    user = django_user_model.objects.create_user(username="koordynator", email="k@example.org")
    access = CoordinatorAccess.objects.create(user=user, partnership=partnership)

    response = staff_client.post(
        reverse("admin:partnerships_coordinatoraccess_changelist"),
        {"action": "revoke_selected", "_selected_action": [access.pk]},
        follow=True,
    )

    assert "Odebrano uprawnienia. Liczba kont: 1." in response.content.decode()
    assert not CoordinatorAccess.objects.exists()


def test_staff_see_history_and_can_revert_in_the_admin(staff_client, partnership):
    partnership.area = "Pierwsza wersja"
    partnership.save()
    partnership.area = "Druga wersja"
    partnership.save()
    first = partnership.history.order_by("history_id")[1]

    history = staff_client.get(reverse("admin:partnerships_partnership_history", args=[partnership.pk]))
    revert_url = reverse("admin:partnerships_partnership_simple_history", args=[partnership.pk, first.history_id])
    form = staff_client.get(revert_url)

    assert history.status_code == 200 and revert_url in history.content.decode()
    assert form.status_code == 200 and "Pierwsza wersja" in form.content.decode()


# --- accounts -------------------------------------------------------------------------------


def test_account_pages_are_polish_and_in_the_site_layout(client):
    for name, heading in [
        ("account:login", "Logowanie"),
        ("account:password_reset", "Nie pamiętam hasła"),
        ("account:password_reset_done", "Sprawdź pocztę"),
    ]:
        page = client.get(reverse(name)).content.decode()
        assert f"<h1>{heading}</h1>" in page and 'class="site-header"' in page, name


def test_wrong_password_gets_a_polish_message(client, plain_user):
    response = client.post(reverse("account:login"), {"username": "mieszkaniec", "password": "zle"})

    assert "Login albo hasło są niepoprawne." in response.content.decode()


def test_logout_is_a_post_and_returns_home(client, plain_user):
    client.force_login(plain_user)

    response = client.post(reverse("account:logout"))

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("coordinator:dashboard")).status_code == 302


def test_forgotten_password_is_reset_through_an_emailed_link(
    client, django_user_model, django_capture_on_commit_callbacks
):
    django_user_model.objects.create_user(username="ola", email="ola@example.org", password="stare-haslo-2020")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": "ola@example.org"})
    message = mail.outbox[0]
    link = re.search(r"http://testserver(/konto/haslo/reset/[^\s]+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )

    assert message.subject == "Nowe hasło do katalogu WSPL"
    assert "<h1>Hasło ustawione</h1>" in response.content.decode()
    assert client.login(username="ola", password=PASSWORD)


def test_password_reset_talks_to_no_mail_server_during_the_request_known_address_or_not(
    client, django_user_model, settings, mail_server, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}  # as in production
    mail_server.start()
    mail_server.use_in(settings)
    django_user_model.objects.create_user(username="ola", email="ola@example.org", password="stare-haslo-2020")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account:password_reset"), {"email": "ola@example.org"})
        unknown = client.post(reverse("account:password_reset"), {"email": "nikt@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert mail_server.sessions == 0 and not mail_server.messages
    [queued] = DBTaskResult.objects.all()  # for the known address only, sent later by the worker
    message = queued.args_kwargs["kwargs"]
    assert message["to"] == ["ola@example.org"] and message["subject"] == "Nowe hasło do katalogu WSPL"
    assert re.search(r"http://testserver/konto/haslo/reset/[^\s]+/", message["body"])


def test_password_change_for_a_logged_in_coordinator(client, plain_user):
    client.force_login(plain_user)

    response = client.post(
        reverse("account:password_change"),
        {"old_password": "haslo-testowe-123", "new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )

    assert "<h1>Hasło zmienione</h1>" in response.content.decode()
    plain_user.refresh_from_db()
    assert plain_user.check_password(PASSWORD)


def test_logout_button_on_coordinator_pages_carries_a_working_csrf_token(plain_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(plain_user)
    page = client.get(reverse("coordinator:dashboard")).content.decode()
    logout_form = page.split(f'action="{reverse("account:logout")}"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', logout_form).group(1)

    response = client.post(reverse("account:logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_every_page_links_to_the_coordinators_login(client):
    page = client.get(reverse("home")).content.decode()

    assert f'<a href="{reverse("account:login")}">Logowanie dla koordynatorów partnerstw</a>' in page


def test_logged_in_coordinator_following_the_login_link_lands_on_my_partnerships(client, plain_user):
    client.force_login(plain_user)

    response = client.get(reverse("account:login"))

    assert response.status_code == 302 and response["Location"] == reverse("coordinator:dashboard")


def test_accounts_whose_login_was_an_address_get_one_made_of_their_name(client, django_user_model):
    rename_logins = import_module("partnerships.migrations.0010_logins_are_not_addresses").rename_logins
    django_user_model.objects.create_user("jan@example.org", "jan@example.org", "x", first_name="Jan", last_name="Kos")
    django_user_model.objects.create_user(username="jan.kos")
    django_user_model.objects.create_user(username="bez.imienia@example.org")

    rename_logins(django_apps, None)

    logins = django_user_model.objects.order_by("pk").values_list("username", flat=True)
    assert list(logins) == ["jan.kos2", "jan.kos", "koordynator"]
    assert client.login(username="jan@example.org", password="x")  # the address still signs in
