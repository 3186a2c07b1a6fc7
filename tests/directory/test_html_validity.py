"""Every public page type is valid HTML: the Nu Html Checker (npm vnu-jar, run with the machine's Java) finds no errors.

The pages are rendered by the test client, written to a temporary folder and checked in one run
of the checker, which keeps the Java start-up to once per test session.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from demo.loader import COORDINATOR_LOGIN, load_demo
from partnerships.models import CoordinatorAccess
from tests.browser.pages import coordinator_pages, public_pages

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(reason):
    if os.environ.get("REQUIRE_BROWSER", "") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


def vnu_errors(files):
    """{file name: [error, …]} for the given HTML files, from one run of the checker."""
    java = shutil.which("java")
    if java is None:
        missing("HTML validity not checked: no Java on PATH (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing(f"HTML validity not checked: no {VNU_JAR} (run `npm ci`)")
    result = subprocess.run(
        [java, "-Xss2m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            where = Path(message.get("url", "?")).name
            line = message.get("lastLine", "?")
            errors.setdefault(where, []).append(f"line {line}: {message['message']} :: {message.get('extract', '')}")
    return errors


@pytest.fixture
def demo_network(db):
    load_demo()


BROKEN_PAGE = (
    '<!DOCTYPE html><html lang="pl"><head><title>x</title></head>'
    '<body><p><div>blok</div></p><a href="/a" href="/b">link</a></body></html>'
)


def test_every_page_type_and_the_coordinator_forms_are_valid_html(client, demo_network, tmp_path):
    files = {}

    def render(label, path):
        response = client.get(path)
        assert response.status_code == (404 if label == "404" else 200), (label, path)
        assert response["Content-Type"].startswith("text/html"), (label, path)
        file = tmp_path / f"{len(files):03d}.html"
        file.write_bytes(response.content)
        files[file.name] = f"{label} {path}"

    for language in ("pl", "en"):
        for label, path in public_pages(language):
            render(label, path)
    access = CoordinatorAccess.objects.select_related("user", "partnership").get(user__username=COORDINATOR_LOGIN[0])
    client.force_login(access.user)
    for label, path in coordinator_pages(access.partnership):
        render(label, path)
    # A broken page in the same run proves the checker runs and reports (one Java start for all).
    (tmp_path / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")

    errors = vnu_errors(sorted(tmp_path.glob("*.html")))

    broken = errors.pop("broken.html", [])
    assert len(broken) == 2 and any("Duplicate attribute" in error for error in broken), broken
    assert len(files) >= 2 * 35 + 8
    assert not errors, "\n".join(f"{files.get(name, name)}:\n  " + "\n  ".join(found) for name, found in errors.items())
