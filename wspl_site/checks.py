"""Deployment checks (`manage.py check --deploy`): a production set-up that cannot work is refused before it serves.

wspl.E001 (a missing secret key or host) is in serving.py, wspl.E002 (the page cache without a shared
cache) in common/checks.py. An origin in DJANGO_CSRF_TRUSTED_ORIGINS without a scheme is refused by
Django itself (4_0.E001).
"""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

# The tag of the checks of where the data lives (`check --deploy --tag production` runs only them). Not Django's
# "database" tag: that one is for checks that query the database, and these only read settings.
PRODUCTION = "production"


def uses_sqlite():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@register(PRODUCTION, deploy=True)
def check_database(app_configs, **kwargs):
    """Production runs on the database DATABASE_URL names. Without it the site would quietly use SQLite in the code's
    own folder, which the next release replaces; SQLite given on purpose serves one machine only."""
    if settings.DEBUG or not uses_sqlite():
        return []
    if not os.environ.get("DATABASE_URL"):
        return [
            Error(
                "DATABASE_URL is not set, so the site would keep its data in SQLite inside the code's folder "
                f"({settings.DATABASES['default']['NAME']}).",
                hint="Set DATABASE_URL to the PostgreSQL database, e.g. postgres://wspl:PASSWORD@127.0.0.1:5432/wspl. "
                "A tiny single-machine install may name an SQLite file outside the code on purpose: "
                "DATABASE_URL=sqlite:////var/lib/wspl/db.sqlite3.",
                id="wspl.E003",
            )
        ]
    if settings.APP_SERVERS > 1:
        return [
            Error(
                f"The database is an SQLite file, which only one machine can use, but DJANGO_APP_SERVERS="
                f"{settings.APP_SERVERS}.",
                hint="Set DATABASE_URL to a PostgreSQL database every machine reaches.",
                id="wspl.E004",
            )
        ]
    return []


def host_allowed(host, allowed_hosts):
    """`host` (from an origin; "*.example.org" for a wildcard origin) is one ALLOWED_HOSTS accepts."""
    for pattern in allowed_hosts:
        pattern = pattern.lower()
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern) or host == "*" + pattern):
            return True
    return False


@register(Tags.security, deploy=True)
def check_trusted_origins(app_configs, **kwargs):
    """Every origin in DJANGO_CSRF_TRUSTED_ORIGINS is one of the site's hosts, over https when the site is https.

    Otherwise the origin is a typo or a leftover: forms sent from it are refused all the same (Django checks the
    host), or the secure CSRF cookie never reaches it.
    """
    errors = []
    for origin in settings.CSRF_TRUSTED_ORIGINS:
        parts = urlsplit(origin)
        if "://" not in origin or not parts.hostname:
            continue  # no scheme: Django's own check (4_0.E001) says so
        if not host_allowed(parts.hostname, settings.ALLOWED_HOSTS):
            errors.append(
                Error(
                    f"The trusted origin {origin} is not a host of the site: {parts.hostname} is not in "
                    f"DJANGO_ALLOWED_HOSTS ({', '.join(settings.ALLOWED_HOSTS) or 'empty'}).",
                    hint="Add the host to DJANGO_ALLOWED_HOSTS, or remove the origin from DJANGO_CSRF_TRUSTED_ORIGINS.",
                    id="wspl.E005",
                )
            )
        if parts.scheme == "http" and settings.CSRF_COOKIE_SECURE:
            errors.append(
                Error(
                    f"The trusted origin {origin} is http, but the site is served over https (its CSRF cookie is "
                    "sent over https only).",
                    hint=f"Write it as https://{parts.netloc} in DJANGO_CSRF_TRUSTED_ORIGINS.",
                    id="wspl.E006",
                )
            )
    return errors


@register(PRODUCTION, deploy=True)
def check_media_storage(app_configs, **kwargs):
    """Uploaded images on one machine's disk are missing on the others when several machines serve the site."""
    if settings.MEDIA_STORAGE != "local" or settings.APP_SERVERS <= 1:
        return []
    return [
        Error(
            f"Uploaded images are kept on this machine's disk (DJANGO_MEDIA_STORAGE={settings.MEDIA_STORAGE}), but "
            f"DJANGO_APP_SERVERS={settings.APP_SERVERS}: an image uploaded through one machine would be missing on "
            "the others.",
            hint="Keep media in an object storage every machine reaches (DJANGO_MEDIA_STORAGE=s3), or serve the "
            "site from one machine (DJANGO_APP_SERVERS=1).",
            id="wspl.E007",
        )
    ]
