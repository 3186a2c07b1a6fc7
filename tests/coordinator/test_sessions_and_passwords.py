"""Passwords of 12 characters or more; staff sessions end after 30 idle minutes or 12 hours, coordinators' in 14 days.

Time passes by moving the times kept in the session (coordinator/sessions.py) and the account's last login back.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.urls import reverse

from coordinator.sessions import LOGIN_AT, SEEN_AT
from partnerships import services
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db

TOO_SHORT = "To hasło jest za krótkie. Musi zawierać co najmniej 12 znaków."
HELP_TEXT = "Twoje hasło musi zawierać co najmniej 12 znaków."
EXPIRED = "Sesja wygasła – zaloguj się ponownie."
FOURTEEN_DAYS = 14 * 24 * 60 * 60


@pytest.fixture
def invitation_link(staff_user, django_capture_on_commit_callbacks):
    partnership = factories.partnership(name="Partnerstwo Jelonki")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_coordinator(
            email="ola@example.org",
            partnership=partnership,
            by=staff_user,
            url_for=lambda path: f"http://testserver{path}",
        )
    return re.search(r"http://testserver(/konto/zaproszenie/[^\s]+/)", mail.outbox[0].body).group(1)


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    factories.coordinator_access(user=user, partnership_obj=factories.partnership(name="Partnerstwo Sady"))
    return user


def pass_time(client, user, minutes):
    """As if `minutes` passed: the times kept in the client's session and the user's last login move back."""
    session = client.session
    for key in (LOGIN_AT, SEEN_AT):
        if key in session:
            session[key] -= minutes * 60
    session.save()
    type(user).objects.filter(pk=user.pk).update(last_login=F("last_login") - timedelta(minutes=minutes))


def logged_in(client):
    return "_auth_user_id" in client.session


# --- passwords ----------------------------------------------------------------------------


def test_invitation_refuses_an_eleven_character_password_in_polish(client, invitation_link):
    page = client.get(invitation_link).content.decode()
    response = client.post(invitation_link, {"password1": "Kawa-Jelonk", "password2": "Kawa-Jelonk"})

    assert HELP_TEXT in page
    assert response.status_code == 200
    assert TOO_SHORT in response.content.decode()
    assert not logged_in(client)


def test_invitation_accepts_a_good_twelve_character_password(client, invitation_link, django_user_model):
    response = client.post(invitation_link, {"password1": "Kawa-Jelonki", "password2": "Kawa-Jelonki"}, follow=True)

    assert "Witamy! Możesz teraz edytować partnerstwo „Partnerstwo Jelonki”." in response.content.decode()
    assert django_user_model.objects.get(email="ola@example.org").check_password("Kawa-Jelonki")


def test_password_change_refuses_a_short_password_and_says_twelve(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("account:password_change")).content.decode()
    response = client.post(
        reverse("account:password_change"),
        {"old_password": "haslo-testowe-123", "new_password1": "Kawa-Jelonk", "new_password2": "Kawa-Jelonk"},
    )

    assert HELP_TEXT in page
    assert TOO_SHORT in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password("haslo-testowe-123")


def test_password_reset_refuses_a_short_password_and_says_twelve(
    client, coordinator, django_capture_on_commit_callbacks
):
    coordinator.email = "ola@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": "ola@example.org"})
    link = re.search(r"http://testserver(/konto/haslo/reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Kawa-Jelonk", "new_password2": "Kawa-Jelonk"}
    )

    assert HELP_TEXT in form_page.content.decode()
    assert TOO_SHORT in response.content.decode()


def test_an_existing_short_password_still_logs_in(client, django_user_model):
    django_user_model.objects.create_user(username="stara", password="krotkie1")

    response = client.post(reverse("account:login"), {"username": "stara", "password": "krotkie1"})

    assert response.status_code == 302 and logged_in(client)


# --- sessions -----------------------------------------------------------------------------


def test_staff_session_idle_for_31_minutes_ends_with_a_polish_message(staff_client, staff_user):
    assert staff_client.get(reverse("admin:index")).status_code == 200
    pass_time(staff_client, staff_user, 31)

    response = staff_client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[0] == (f"{reverse('account:login')}?next={reverse('admin:index')}", 302)
    assert EXPIRED in response.content.decode()
    assert not logged_in(staff_client)


def test_staff_session_idle_for_29_minutes_goes_on_and_expires_with_the_limits(staff_client, staff_user):
    staff_client.get(reverse("admin:index"))
    pass_time(staff_client, staff_user, 29)

    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200 and logged_in(staff_client)
    # The browser forgets the cookie 30 minutes after the session's end (30 idle minutes from now).
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 60 * 60


def test_staff_requests_within_a_minute_do_not_write_the_session(staff_client, staff_user):
    staff_client.get(reverse("admin:index"))
    pass_time(staff_client, staff_user, 2)
    written = staff_client.get(reverse("admin:index"))
    kept = staff_client.get(reverse("admin:index"))

    assert settings.SESSION_COOKIE_NAME in written.cookies
    assert settings.SESSION_COOKIE_NAME not in kept.cookies
    assert LOGIN_AT in staff_client.session and SEEN_AT in staff_client.session


def test_staff_session_active_every_10_minutes_ends_12_hours_after_login(staff_client, staff_user):
    staff_client.get(reverse("coordinator:dashboard"))
    for _step in range(12 * 6 - 1):  # a request every 10 minutes up to 11 h 50 min after login
        pass_time(staff_client, staff_user, 10)
        assert staff_client.get(reverse("coordinator:dashboard")).status_code == 200
    pass_time(staff_client, staff_user, 10)

    response = staff_client.get(reverse("coordinator:dashboard"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account:login"))
    assert EXPIRED in response.content.decode()
    assert not logged_in(staff_client)


def test_coordinator_session_survives_31_idle_minutes_and_lasts_14_days(client, coordinator):
    login = client.post(reverse("account:login"), {"username": "koordynatorka", "password": "haslo-testowe-123"})
    pass_time(client, coordinator, 31)

    response = client.get(reverse("coordinator:dashboard"))

    assert login.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == FOURTEEN_DAYS
    assert response.status_code == 200 and "Partnerstwo Sady" in response.content.decode()
    assert logged_in(client) and client.session.get_expiry_age() == FOURTEEN_DAYS
    assert EXPIRED not in response.content.decode()


def test_anonymous_visit_of_a_public_page_gets_no_session_cookie(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not client.cookies


def test_a_staff_session_does_not_come_back_to_life_when_the_account_logs_in_elsewhere(client, staff_user):
    """Used only in its first minute, then left: a newer login elsewhere does not renew the old session."""
    log_in(client, staff_user)
    assert client.get(reverse("admin:index")).status_code == 200
    pass_time(client, staff_user, 40)
    elsewhere = type(client)()
    log_in(elsewhere, staff_user)  # the account's last login is now

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and not logged_in(client)
    assert elsewhere.get(reverse("admin:index")).status_code == 200
