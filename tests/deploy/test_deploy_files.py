"""The deployment kit (deploy/) agrees with the code it deploys.

What nginx, gunicorn and systemd do with these files is checked for real by `make prod-smoke`
(deploy/smoke.py, in CI); these tests hold the files to the settings and addresses of the site.
"""

import re
import runpy
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# os.environ.get("X"…), os.environ["X"], os.getenv("X"…) and the settings' helpers env_bool("X"…), env_list(…), ….
READS_ENVIRONMENT = re.compile(r"""(?:environ\.get\(|environ\[|os\.getenv\(|\benv_\w+\()\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read():
    """Every variable the site's code (the packages of pyproject.toml's layers) and gunicorn's settings read."""
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
    files = [DEPLOY / "gunicorn.conf.py", *(path for name in packages for path in (ROOT / name).rglob("*.py"))]
    found = set()
    for path in files:
        text = path.read_text()
        found |= set(READS_ENVIRONMENT.findall(text))
        if "dj_database_url.config(" in text:
            found.add("DATABASE_URL")  # dj-database-url reads it itself
    return found


def variables_listed():
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_site_and_gunicorn_read():
    read = variables_read()
    assert "DJANGO_SECRET_KEY" in read and "GUNICORN_WORKERS" in read
    assert read - variables_listed() == set(), "add these to deploy/env.example"
    assert variables_listed() - read == set(), "deploy/env.example names variables nothing reads"


def test_env_example_reads_the_same_through_the_shell_as_systemd_reads_it():
    # deploy/manage.sh sources the file; a value with a space or < > must be quoted for both readers.
    done = subprocess.run(
        ["bash", "-c", 'set -euo pipefail; set -a; . "$1"; set +a; env', "-", DEPLOY / "env.example"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert done.stderr == ""
    assert values["DJANGO_DEFAULT_FROM_EMAIL"] == "WSPL <wspl@example.org>"
    assert values["DJANGO_DEBUG"] == "0"
    assert values["DJANGO_MEDIA_ROOT"] == "/var/lib/wspl/media"
    assert "GUNICORN_WORKERS" not in values  # commented out: the default applies


def gunicorn_settings(monkeypatch, **env):
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_ACCESS_LOG", "GUNICORN_FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_runs_twice_the_cores_and_one_behind_the_local_nginx(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 4)
    conf = gunicorn_settings(monkeypatch)
    assert conf["workers"] == 9
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["accesslog"] is None
    assert conf["wsgi_app"] == "wspl_site.wsgi"
    assert Path(conf["chdir"]) == ROOT


def test_gunicorn_takes_its_workers_address_and_access_log_from_the_environment(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="10.0.0.12:8000, 127.0.0.1:8000", GUNICORN_ACCESS_LOG="1"
    )
    assert conf["workers"] == 3
    assert conf["bind"] == ["10.0.0.12:8000", "127.0.0.1:8000"]
    assert conf["accesslog"] == "-"
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert conf["graceful_timeout"] >= 1


def never_cached():
    """The pattern of wspl-locations.conf's location that bypasses the microcache."""
    text = (DEPLOY / "nginx" / "wspl-locations.conf").read_text()
    patterns = re.findall(r"^location ~ (\S+) \{\n    proxy_pass http://wspl_app;\n\}", text, flags=re.MULTILINE)
    assert len(patterns) == 1
    return re.compile(patterns[0])


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("name", ["admin:index", "coordinator:dashboard", "account:login", "account:password_reset"])
def test_the_admin_coordinator_area_and_accounts_never_come_from_the_microcache(language, name):
    with translation.override(language):
        path = reverse(name)
    assert never_cached().match(path), path


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("name", ["home", "partnerships:list", "events:list", "search"])
def test_public_pages_may_come_from_the_microcache(language, name):
    with translation.override(language):
        path = reverse(name)
    assert not never_cached().match(path), path
