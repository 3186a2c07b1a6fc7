"""`manage.py check --deploy` refuses a production set-up that cannot work, each with its own id and a hint.

wspl.E003/E004 the database, E005/E006 the trusted origins, E007 the media; E001 is tested in test_settings.py,
E002 (the page cache without a shared cache) in tests/common/test_cache_failures.py.
"""

import pytest
from django.core.checks import run_checks

from tests.wspl_site.production import manage
from wspl_site.checks import check_database, check_media_storage, check_trusted_origins

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


def ids(errors):
    return [error.id for error in errors]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["wspl.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://wspl.example.org"]
    settings.CSRF_COOKIE_SECURE = True
    settings.APP_SERVERS = 1
    settings.MEDIA_STORAGE = "local"
    return settings


@pytest.fixture
def engine(settings, monkeypatch):
    """Sets the engine the checks read, without touching the test database's connection."""
    return lambda name: monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", name)


# --- the database --------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("production")
def test_sqlite_without_database_url_is_refused(engine, monkeypatch):
    engine(SQLITE)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    [error] = check_database(None)

    assert error.id == "wspl.E003"
    assert "DATABASE_URL is not set" in error.msg and "postgres://" in error.hint and "sqlite:////" in error.hint


@pytest.mark.usefixtures("production")
def test_sqlite_named_on_purpose_serves_one_machine_only(engine, monkeypatch, settings):
    engine(SQLITE)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////var/lib/wspl/db.sqlite3")

    assert check_database(None) == []
    settings.APP_SERVERS = 2
    assert ids(check_database(None)) == ["wspl.E004"]


@pytest.mark.usefixtures("production")
def test_postgresql_passes_the_database_check(engine, monkeypatch, settings):
    engine(POSTGRESQL)
    monkeypatch.setenv("DATABASE_URL", "postgres://wspl@127.0.0.1:5432/wspl")
    settings.APP_SERVERS = 3

    assert check_database(None) == []


def test_debug_may_use_the_default_sqlite(engine, monkeypatch, settings):
    settings.DEBUG = True
    engine(SQLITE)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert check_database(None) == []


# --- hosts and trusted origins -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allowed_hosts", "origins"),
    [
        (["wspl.example.org"], ["https://wspl.example.org"]),
        (["wspl.example.org"], ["https://wspl.example.org:8443"]),
        (["wspl.example.org", "www.wspl.example.org"], ["https://wspl.example.org", "https://www.wspl.example.org"]),
        ([".example.org"], ["https://wspl.example.org", "https://example.org", "https://*.example.org"]),
        (["*"], ["https://anything.example.net"]),
        (["wspl.example.org"], []),
    ],
)
def test_origins_of_the_sites_own_hosts_pass(production, allowed_hosts, origins):
    production.ALLOWED_HOSTS = allowed_hosts
    production.CSRF_TRUSTED_ORIGINS = origins

    assert check_trusted_origins(None) == []


@pytest.mark.parametrize(
    ("allowed_hosts", "origin"),
    [
        (["wspl.example.org"], "https://wspl.example.com"),
        (["wspl.example.org"], "https://www.wspl.example.org"),
        (["wspl.example.org"], "https://*.example.org"),
        ([".wspl.example.org"], "https://example.org"),
        ([], "https://wspl.example.org"),
    ],
)
def test_an_origin_whose_host_is_not_allowed_is_refused(production, allowed_hosts, origin):
    production.ALLOWED_HOSTS = allowed_hosts
    production.CSRF_TRUSTED_ORIGINS = [origin]

    [error] = check_trusted_origins(None)

    assert error.id == "wspl.E005"
    assert origin in error.msg and "DJANGO_ALLOWED_HOSTS" in error.msg and "DJANGO_ALLOWED_HOSTS" in error.hint


def test_an_http_origin_of_an_https_site_is_refused(production):
    production.CSRF_TRUSTED_ORIGINS = ["http://wspl.example.org"]

    [error] = check_trusted_origins(None)

    assert error.id == "wspl.E006"
    assert "https://wspl.example.org" in error.hint

    production.CSRF_COOKIE_SECURE = False  # a site served over http (debug on a laptop)
    assert check_trusted_origins(None) == []


def test_an_origin_without_a_scheme_is_refused_by_djangos_own_check(production):
    production.CSRF_TRUSTED_ORIGINS = ["wspl.example.org"]

    assert check_trusted_origins(None) == []  # not twice
    assert "4_0.E001" in ids(run_checks(include_deployment_checks=True))


# --- media ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("storage", "servers", "refused"),
    [("local", 1, False), ("local", 2, True), ("s3", 2, False), ("s3", 1, False)],
)
def test_local_media_is_refused_when_several_machines_serve_the_site(production, storage, servers, refused):
    production.MEDIA_STORAGE = storage
    production.APP_SERVERS = servers

    errors = check_media_storage(None)

    assert ids(errors) == (["wspl.E007"] if refused else [])
    if refused:
        assert "DJANGO_APP_SERVERS=2" in errors[0].msg and "DJANGO_MEDIA_STORAGE=s3" in errors[0].hint


def test_the_checks_are_deployment_checks(production):
    production.CSRF_TRUSTED_ORIGINS = ["http://wspl.example.net"]
    production.APP_SERVERS = 2

    assert {"wspl.E005", "wspl.E006", "wspl.E007"} <= set(ids(run_checks(include_deployment_checks=True)))
    assert not {"wspl.E005", "wspl.E006", "wspl.E007"} & set(ids(run_checks()))  # not on every `runserver`


# --- the command itself ----------------------------------------------------------------------------------------------


def deploy_check(**env):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_refuses_a_production_set_up_without_database_url():
    status, output = deploy_check(REDIS_URL="redis://127.0.0.1:6379/10")

    assert status != 0
    assert "wspl.E003" in output and "DATABASE_URL is not set" in output


def test_check_deploy_refuses_sqlite_and_local_media_on_two_machines_and_a_foreign_origin():
    status, output = deploy_check(
        DATABASE_URL="sqlite:////var/lib/wspl/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/10",
        DJANGO_APP_SERVERS="2",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://wspl.example.org,http://wspl.example.net",
    )

    assert status != 0
    for error_id in ("wspl.E004", "wspl.E005", "wspl.E006", "wspl.E007"):
        assert error_id in output, error_id
    assert "wspl.E003" not in output


def test_check_deploy_passes_a_correct_production_set_up():
    # What .ci/run passes: PostgreSQL and Redis named (the checks connect to neither).
    status, output = deploy_check(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/wspl", REDIS_URL="redis://127.0.0.1:6379/10"
    )

    assert status == 0, output
