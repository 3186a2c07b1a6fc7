"""Where server errors are reported: the e-mail addresses of DJANGO_ADMINS, and Sentry or a self-hosted GlitchTip when
SENTRY_DSN is set (initialised then only, without personal data). Each in a fresh process, as the site starts."""

import gzip
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.wspl_site.production import ROOT, UNREACHABLE_DATABASE, production_environment, serve
from wspl_site.settings import env_addresses

SENTRY_STATE = """
import django, json
django.setup()
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
client = sentry_sdk.get_client()
options = {key: client.options[key] for key in ("send_default_pii", "release", "environment", "traces_sample_rate")}
print(json.dumps({
    "initialized": sentry_sdk.is_initialized(),
    "django": client.get_integration(DjangoIntegration) is not None,
    **(options if sentry_sdk.is_initialized() else {}),
}))
"""


def sentry_state(**env):
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_STATE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "wspl_site.settings", **production_environment(**env)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- Sentry / GlitchTip ---------------------------------------------------------------------------------------------


def test_sentry_is_off_without_a_dsn():
    assert sentry_state()["initialized"] is False


def test_sentry_starts_with_a_dsn_without_personal_data_and_with_the_release():
    # Nothing listens on port 1: nothing is sent anywhere.
    state = sentry_state(SENTRY_DSN="http://key@127.0.0.1:1/1", WSPL_RELEASE="2026.12.1")

    assert state == {
        "initialized": True,
        "django": True,
        "send_default_pii": False,
        "release": "2026.12.1",
        "environment": "production",
        "traces_sample_rate": 0.0,
    }


def test_sentrys_environment_and_trace_sampling_come_from_the_environment():
    state = sentry_state(
        SENTRY_DSN="http://key@127.0.0.1:1/1", SENTRY_ENVIRONMENT="staging", SENTRY_TRACES_SAMPLE_RATE="0.25"
    )

    assert (state["environment"], state["traces_sample_rate"]) == ("staging", 0.25)


class Collector(BaseHTTPRequestHandler):
    """A stand-in for GlitchTip's ingestion endpoint: keeps what it is sent."""

    received = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append((self.path, body.decode()))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def glitchtip():
    Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://public-key@127.0.0.1:{server.server_address[1]}/7", Collector.received
    server.shutdown()
    server.server_close()


def test_a_server_error_reaches_glitchtip_without_the_visitors_cookies_or_address(glitchtip, tmp_path):
    dsn, received = glitchtip

    served = serve(
        "/partnerstwa/dla-rudawki-i-zatrasia/",
        headers={"HTTP_COOKIE": "sessionid=secret-session-key", "REMOTE_ADDR": "203.0.113.9"},
        DATABASE_URL=UNREACHABLE_DATABASE,
        DJANGO_MEDIA_ROOT=str(tmp_path),
        SENTRY_DSN=dsn,
    )

    assert served.status == 503
    envelopes = [body for path, body in received if path == "/api/7/envelope/"]
    items = [json.loads(line) for body in envelopes for line in body.splitlines() if line.startswith("{")]
    events = [item for item in items if "exception" in item]
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "OperationalError"
    assert (event["release"], event["environment"]) == ("test", "production")
    assert not any("vars" in frame for frame in event["exception"]["values"][-1]["stacktrace"]["frames"])
    assert event["request"]["url"].endswith("/partnerstwa/dla-rudawki-i-zatrasia/")
    everything_sent = "".join(envelopes)
    assert "secret-session-key" not in everything_sent and "203.0.113.9" not in everything_sent


# --- DJANGO_ADMINS --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "admins"),
    [
        ("", []),
        ("Jan Kowalski <jan@example.org>", [("Jan Kowalski", "jan@example.org")]),
        (
            "Jan Kowalski <jan@example.org>, ops@example.org",
            [("Jan Kowalski", "jan@example.org"), ("ops@example.org", "ops@example.org")],
        ),
        ('"Nowak, Anna" <anna@example.org>', [("Nowak, Anna", "anna@example.org")]),
    ],
)
def test_admins_are_read_from_django_admins(monkeypatch, value, admins):
    monkeypatch.setenv("DJANGO_ADMINS", value)

    assert env_addresses("DJANGO_ADMINS") == admins


def test_admins_that_are_not_addresses_are_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMINS", "Jan Kowalski")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_ADMINS must be e-mail addresses"):
        env_addresses("DJANGO_ADMINS")


def test_the_site_mails_its_admins_from_django_admins():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.ADMINS, s.SERVER_EMAIL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "DJANGO_SETTINGS_MODULE": "wspl_site.settings",
            **production_environment(
                DJANGO_ADMINS="Jan Kowalski <jan@example.org>, ops@example.org",
                DJANGO_DEFAULT_FROM_EMAIL="WSPL <wspl@example.org>",
            ),
        },
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "[('Jan Kowalski', 'jan@example.org'), ('ops@example.org', 'ops@example.org')] WSPL <wspl@example.org>"
    )
