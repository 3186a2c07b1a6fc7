"""Logs: one JSON line per request on stderr, and the request's id on the response and on every log record of it.

The lines are read from the log handler settings.LOGGING configures (its stream swapped for a buffer), so they
are what production writes, formatter and filter included. tests/wspl_site/test_error_pages.py reads them from
a production process's stderr, with a server error's traceback.
"""

import io
import json
import logging
import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from common.cache import pages as page_cache
from tests import factories
from tests.wspl_site.production import serve

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """The JSON lines the configured stderr handler writes during the test, parsed."""
    [handler] = [handler for handler in logging.getLogger().handlers if handler.get_name() == "console"]
    buffer = io.StringIO()
    stderr = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(stderr)


def access_lines(lines):
    return [line for line in lines if line["logger"] == "wspl.request"]


def test_a_request_writes_one_json_line_with_time_level_id_path_status_and_duration(client, log_lines):
    response = client.get("/health/live", headers={"X-Request-ID": "nginx-7f3a.01_b"})

    [line] = access_lines(log_lines())
    assert set(line) == {"time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms"}
    assert line["request_id"] == response["X-Request-ID"] == "nginx-7f3a.01_b"
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "GET", "/health/live", 200)
    assert line["message"] == "GET /health/live 200"
    assert isinstance(line["duration_ms"], float) and 0 <= line["duration_ms"] < 10_000
    assert datetime.fromisoformat(line["time"]).tzinfo is not None


@pytest.mark.parametrize(
    "sent",
    ["abc\r\nSet-Cookie: sessionid=stolen", "a" * 500, "a" * 65, "two words", "zażółć", "<script>", ""],
    ids=["CR LF", "500 characters", "65 characters", "space", "not ASCII", "markup", "empty"],
)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, log_lines, sent):
    response = client.get("/health/live", headers={"X-Request-ID": sent})

    assert response.status_code == 200
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    assert "Set-Cookie" not in response and not response.cookies
    assert access_lines(log_lines())[0]["request_id"] == response["X-Request-ID"]


def test_a_request_without_an_id_gets_a_new_one_each_time(client):
    first, second = client.get("/health/live")["X-Request-ID"], client.get("/health/live")["X-Request-ID"]

    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second) and first != second


def test_every_log_record_of_a_request_carries_its_id_and_path(client, log_lines):
    client.get("/nie-ma-takiej-strony/", headers={"X-Request-ID": "req-404"})
    logging.getLogger("wspl.test").warning("after the request")

    access, not_found, after = log_lines()  # Django logs a 404 once the middleware has returned it
    assert (not_found["logger"], not_found["level"], not_found["status"]) == ("django.request", "WARNING", 404)
    assert not_found["request_id"] == access["request_id"] == "req-404"
    assert not_found["path"] == access["path"] == "/nie-ma-takiej-strony/"
    assert after["request_id"] is None and "path" not in after  # outside a request


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("cache_on")
def test_a_page_from_the_cache_gets_its_own_request_id_and_the_cache_keeps_none(log_lines):
    page_cache.local_pages.clear()
    factories.partnership(name="Partnerstwo Pod Lipami")
    url = reverse("partnerships:list")

    rendered = Client().get(url, headers={"X-Request-ID": "first-visit"})
    cached = Client().get(url, headers={"X-Request-ID": "second-visit"})

    assert (rendered["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    assert (rendered["X-Request-ID"], cached["X-Request-ID"]) == ("first-visit", "second-visit")
    [(_version, _rendered_at, headers, _content)] = page_cache.local_pages.values()
    assert "x-request-id" not in {name.lower() for name, _value in headers}
    assert [(line["request_id"], line["status"]) for line in access_lines(log_lines())] == [
        ("first-visit", 200),
        ("second-visit", 200),
    ]


def test_plain_text_logs_for_development(tmp_path):
    served = serve("/health/live", headers={"HTTP_X_REQUEST_ID": "dev-1"}, DJANGO_LOG_FORMAT="text")

    [line] = [line for line in served.stderr.splitlines() if "wspl.request" in line]
    assert line.endswith("INFO wspl.request [dev-1] GET /health/live 200")
    assert not line.startswith("{")
