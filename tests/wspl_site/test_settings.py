"""The production entry points refuse to start without their secrets; tools still run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(code, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


@pytest.mark.parametrize("module", ["wspl_site.wsgi", "wspl_site.asgi"])
def test_site_refuses_to_start_without_secret_key(module):
    result = run(f"import {module}", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="wspl.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_site_refuses_to_start_without_allowed_hosts():
    result = run("import wspl_site.wsgi", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_site_starts_with_production_settings():
    result = run(
        "import wspl_site.wsgi; print('ok')",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="wspl.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_management_commands_that_need_no_secret_run_without_one():
    result = run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='wspl_site.settings'; django.setup();"
        "from django.core.management import call_command; call_command('makemigrations', '--check', '--dry-run')",
        DJANGO_DEBUG="0",
        DATABASE_URL="sqlite://:memory:",
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_reports_the_missing_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": "sqlite://:memory:",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "wspl.E001" in result.stderr + result.stdout
