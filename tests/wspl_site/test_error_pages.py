"""When something breaks, a visitor gets the site's Polish page and never a traceback; the operator gets the traceback
in the log. Run in a production process of its own (debug off), with a database where nothing listens."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from coordinator.errors import server_error
from tests.wspl_site.production import UNREACHABLE_DATABASE, serve


def assert_no_traceback(body):
    for leak in ("Traceback", "OperationalError", "psycopg", 'File "', "127.0.0.1:1"):
        assert leak not in body, leak


def test_a_database_out_of_reach_gives_the_polish_503_page_and_the_traceback_goes_to_the_log(tmp_path):
    served = serve(
        "/partnerstwa/dla-rudawki-i-zatrasia/",
        headers={"HTTP_X_REQUEST_ID": "nginx-req-42"},
        DATABASE_URL=UNREACHABLE_DATABASE,
        DJANGO_MEDIA_ROOT=str(tmp_path),
    )

    assert served.status == 503
    assert served.headers["Retry-After"] == "60"
    assert served.headers["X-Request-ID"] == "nginx-req-42"
    assert '<html lang="pl">' in served.body
    assert "<h1>Serwis jest chwilowo niedostępny</h1>" in served.body
    assert "To nie Twoja wina" in served.body
    assert_no_traceback(served.body)
    [error] = [line for line in served.log if line["logger"] == "django.request"]
    assert error["level"] == "ERROR" and error["status"] == 503
    assert error["request_id"] == "nginx-req-42" and error["path"] == "/partnerstwa/dla-rudawki-i-zatrasia/"
    assert "Traceback" in error["exc_info"] and "OperationalError" in error["exc_info"]


def test_any_other_server_error_gives_the_polish_500_page_without_the_database(tmp_path):
    # A release whose `collectstatic` did not run: every {% static %} fails. The database is out of reach as well,
    # so the page (the search page without a query reads no data) proves the error page needs neither.
    served = serve(
        "/szukaj/",
        DATABASE_URL=UNREACHABLE_DATABASE,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )

    assert served.status == 500
    assert "<h1>Coś poszło nie tak</h1>" in served.body and "Wróć na stronę główną" in served.body
    assert "Serwis jest chwilowo niedostępny" not in served.body
    assert_no_traceback(served.body)
    error = next(line for line in served.log if line["logger"] == "django.request" and line["level"] == "ERROR")
    assert "staticfiles manifest" in error["exc_info"]


@pytest.mark.parametrize(
    ("error", "status", "heading"),
    [
        (OperationalError("connection to server at 127.0.0.1 failed"), 503, "Serwis jest chwilowo niedostępny"),
        (ValueError("a bug"), 500, "Coś poszło nie tak"),
    ],
)
def test_the_error_page_follows_the_error_being_handled(error, status, heading):
    # No django_db mark: a query would fail the test.
    try:
        raise error
    except Exception:  # noqa: BLE001 - Django calls handler500 while handling the error, as here
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.content.decode()
