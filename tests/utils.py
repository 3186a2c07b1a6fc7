"""Assertions shared by the page tests."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def count_queries(client, url):
    """Fetch `url` and return (response, list of SQL strings run for it)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def assert_flat_query_count(client, url_for, *, small=2, large=12):
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
    assert len(small_queries) <= MAX_PUBLIC_QUERIES, small_queries
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
