"""Assertions shared by the page tests, and logging a test client in."""

import django_otp
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import factories

MAX_PUBLIC_QUERIES = 10

# The standard ids of an accessibility statement (the Ministry's template), each once on the statement's page.
A11Y_IDS = [
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
]


def log_in(client, user):
    """Log `client` in as `user`, as after the login page and, for staff, the code of their authenticator app.

    A staff account gets a confirmed app (django-otp's TOTPDevice) and the session is verified the way django-otp
    keeps it (DEVICE_ID_SESSION_KEY): the second factor passed, as every staff session that reaches the admin.
    Anyone else is logged in as by `force_login` alone.
    """
    client.force_login(user)
    if user.is_staff:
        pass_second_factor(client, user)
    return client


def pass_second_factor(client, user):
    """The session of `client` has passed `user`'s second factor with their (first, or a new) authenticator app."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="aplikacja uwierzytelniająca", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def count_queries(client, url):
    """Fetch `url` and return (response, list of SQL strings run for it)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def assert_flat_query_count(client, url_for, *, small=2, large=12, most=MAX_PUBLIC_QUERIES):
    """The page runs the same, bounded number of queries at two data sizes.

    `url_for(partnerships)` returns the URL to fetch given the partnerships
    built so far (so detail pages can point at the first one). Anonymous
    pages must not touch sessions or users.
    """
    partnerships = factories.network(small)
    response, small_queries = count_queries(client, url_for(partnerships))
    assert response.status_code == 200, url_for(partnerships)
    partnerships += factories.network(large - small)
    response, large_queries = count_queries(client, url_for(partnerships))
    assert response.status_code == 200
    assert len(small_queries) <= most, small_queries
    assert len(large_queries) == len(small_queries), (small_queries, large_queries)
    for sql in large_queries:
        assert "django_session" not in sql and "auth_user" not in sql, sql
    return response


def admin_models():
    """Every model the admin site has an admin for, through the site's public API, by "app_label.model_name"."""
    found = []
    for model in apps.get_models():
        try:
            admin.site.get_model_admin(model)
        except NotRegistered:
            continue
        found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)
