"""Login throttling (django-axes) on the site's and the admin's login, staff unlocking, and the password-reset limit.

Axes is on here as everywhere in the suite; the limits are the settings' own (an account after 5 failures,
an address after 20, for 15 minutes; 5 reset e-mails per address an hour).
"""

import re

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from common.ratelimit import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "haslo-testowe-123"
LOCKED = "Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za 15 minut."


@pytest.fixture
def ola(django_user_model):
    return django_user_model.objects.create_user(username="ola", email="ola@example.org", password=PASSWORD)


@pytest.fixture
def jan(django_user_model):
    return django_user_model.objects.create_user(username="jan", email="jan@example.org", password=PASSWORD)


def log_in(username, password, *, ip="192.0.2.1", url_name="account:login"):
    """A login form sent from the address `ip`: (the client, its response)."""
    client = Client(REMOTE_ADDR=ip)
    return client, client.post(reverse(url_name), {"username": username, "password": password})


def is_logged_in(client):
    return client.get(reverse("coordinator:dashboard")).status_code == 200


def fail(username, times, *, ip="192.0.2.1", url_name="account:login"):
    return [log_in(username, "zle-haslo", ip=ip, url_name=url_name)[1].status_code for _ in range(times)]


def test_site_login_locks_an_account_after_five_failures_from_anywhere(ola):
    # Four failures from four addresses: the form again, with its error; the fifth locks the account.
    statuses = [log_in("ola", "zle-haslo", ip=f"192.0.2.{n}")[1].status_code for n in range(1, 5)]
    client, fifth = log_in("ola", "zle-haslo", ip="192.0.2.5")

    assert statuses == [200, 200, 200, 200]
    assert fifth.status_code == 429
    client, response = log_in("ola", PASSWORD, ip="198.51.100.7")  # the right password, from yet another address
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert re.search(r"<h1[^>]*>\s*Logowanie wstrzymane\s*</h1>", page)  # the account pages' layout and heading
    assert "<footer" in page
    assert 'name="password"' not in page
    assert not is_logged_in(client)


def test_another_account_from_another_address_still_logs_in(ola, jan):
    fail("ola", 5, ip="192.0.2.1")

    client, response = log_in("jan", PASSWORD, ip="198.51.100.2")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_address_is_locked_after_twenty_failures_across_accounts(ola):
    for n in range(20):
        log_in(f"zgadywane-konto-{n}", "zle-haslo", ip="203.0.113.9")

    _, from_there = log_in("ola", PASSWORD, ip="203.0.113.9")
    client, from_elsewhere = log_in("ola", PASSWORD, ip="198.51.100.3")

    assert from_there.status_code == 429
    assert LOCKED in from_there.content.decode()
    assert from_elsewhere.status_code == 302
    assert is_logged_in(client)


def test_admin_login_locks_too_and_says_so_in_the_admins_look(staff_user):
    statuses = fail("pracownik", 5, url_name="admin:login")
    client, response = log_in("pracownik", PASSWORD, url_name="admin:login")

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert 'class="errornote"' in page and 'id="site-name"' in page  # the admin's page, not the site's
    assert 'name="password"' not in page
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to the login


def test_site_and_admin_failures_count_together(staff_user):
    fail("pracownik", 3, url_name="admin:login")
    fail("pracownik", 2)

    assert log_in("pracownik", PASSWORD)[1].status_code == 429


def test_a_successful_login_before_the_limit_forgets_the_accounts_failures(ola):
    fail("ola", 4)
    client, response = log_in("ola", PASSWORD)
    assert response.status_code == 302

    assert not AccessAttempt.objects.filter(username="ola").exists()
    assert fail("ola", 4) == [200, 200, 200, 200]
    assert log_in("ola", PASSWORD)[1].status_code == 302


def test_logging_in_to_ones_own_account_does_not_forget_failures_at_anothers(ola, jan):
    fail("ola", 4, ip="203.0.113.5")
    assert log_in("jan", PASSWORD, ip="203.0.113.5")[1].status_code == 302  # the guesser's own account

    assert fail("ola", 1, ip="203.0.113.5") == [429]


def test_staff_unlock_an_account_by_deleting_its_attempts_in_the_admin(ola, staff_client):
    fail("ola", 5)
    assert log_in("ola", PASSWORD)[1].status_code == 429
    attempt = AccessAttempt.objects.get(username="ola")

    changelist = staff_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "ola" in changelist.content.decode()
    deleted = staff_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert deleted.status_code == 302
    assert not AccessAttempt.objects.filter(username="ola").exists()
    client, response = log_in("ola", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_axes_reset_unlocks_an_account(ola):
    fail("ola", 5)

    assert reset(username="ola") == 1
    assert log_in("ola", PASSWORD)[1].status_code == 302


def test_test_clients_login_works_with_axes_on(client, ola):
    assert client.login(username="ola", password=PASSWORD)
    assert is_logged_in(client)


def test_the_address_behind_the_proxy_is_the_one_it_appended_and_never_the_clients_own_words(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8")

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.8"
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.1"


def test_a_forged_forwarded_address_does_not_escape_the_address_limit(settings, ola):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for n in range(20):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.7").post(
            reverse("account:login"), {"username": f"konto-{n}", "password": "zle-haslo"}
        )

    response = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.18.1.1, 203.0.113.7").post(
        reverse("account:login"), {"username": "ola", "password": PASSWORD}
    )

    assert response.status_code == 429


# --- Password reset: at most 5 requests from one address an hour ----------------------------------------------


@pytest.fixture
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ask_for_reset(django_capture_on_commit_callbacks):
    """Ask for the e-mail from an address; it goes once the request's work is committed (common/mail.py)."""

    def ask_for_reset(email, *, ip="192.0.2.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return Client(REMOTE_ADDR=ip).post(reverse("account:password_reset"), {"email": email})

    return ask_for_reset


def test_password_reset_is_limited_per_address_and_sends_nothing_past_the_limit(empty_cache, ola, ask_for_reset):
    statuses = [ask_for_reset("ola@example.org").status_code for _ in range(settings.PASSWORD_RESET_IP_LIMIT)]
    assert statuses == [302] * 5
    assert len(mail.outbox) == 5

    response = ask_for_reset("ola@example.org")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Zbyt wiele próśb o link do ustawienia hasła z tego adresu. Spróbuj ponownie za 60 minut." in page
    assert "Nie pamiętam hasła" in page  # the account pages' layout and heading
    assert len(mail.outbox) == 5
    assert ask_for_reset("ola@example.org", ip="198.51.100.4").status_code == 302  # another address still may
    assert len(mail.outbox) == 6
