"""Test settings live here, not in a second settings module."""

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from .mail_server import MailServer
from .utils import log_in


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # Static files come from the finders in tests: no collectstatic needed.
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Each test starts with an empty cache: local memory outlives the settings, and counters such as the password
    # reset's limit per address would otherwise carry over from earlier tests.
    cache.clear()
    settings.LANGUAGE_CODE = "pl"
    # Background tasks run in the process that queues them, once its transaction is committed, as in development
    # (inside a test's transaction: under django_capture_on_commit_callbacks). The worker's tests use the database.
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


class AxesClient(Client):
    """The test client whose login() gives authenticate() a request, as django-axes' backend requires.

    Axes stays on in every test; its documentation's advice for tests is a blank HttpRequest.
    """

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return super().login(**credentials)


@pytest.fixture
def client():
    return AxesClient()


@pytest.fixture
def cache_on(settings):
    """The page and fragment caches on (with the local-memory cache), empty before and after the test.

    They stay off inside a transaction, so tests using them need committed data:
    `pytest.mark.django_db(transaction=True)`.
    """
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="pracownik", password="haslo-testowe-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user(username="mieszkaniec", password="haslo-testowe-123")


@pytest.fixture
def staff_client(client, staff_user):
    """A staff session that has passed its second factor (an authenticator app), as every staff session in the admin."""
    return log_in(client, staff_user)


@pytest.fixture
def mail_server():
    """A real SMTP server on 127.0.0.1, not started yet: `mail_server.start()` (tests/mail_server.py)."""
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture
def coordinator_client(client, django_user_model, partnership):
    """A client logged in as the coordinator of `partnership`, which the test module gives as a fixture."""
    from partnerships.models import CoordinatorAccess

    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    client.force_login(user)
    return client
