"""A real browser for the tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium is started per test session and shared; every test gets a fresh browser context
(no cookies carried over). axe-core comes from node_modules and is added to the pages by the
test, never served by the site. Requests to other hosts (map tiles) are refused, so the tests
never depend on the network. Without Chromium the browser tests are skipped with a notice,
unless REQUIRE_BROWSER=1 (CI), where a missing browser or test tool is a failure.

Every page runs under the site's Content-Security-Policy: a violation anywhere (a blocked inline script or
style, an image from a host the policy does not name) fails the test that caused it (no_csp_violations).

Browser tests are transactional (the live server runs in another thread), so each one starts
from the migrated database (districts included, via serialized_rollback) and loads its data.
"""

import os
import re
import time
from base64 import b32decode, b32encode
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

# Playwright's sync API keeps an event loop in the main thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# Requests leaving the test machine are refused: the tests must not depend on the network.
OUTSIDE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]|data:|blob:|about:)")

# Content-Security-Policy violations. Chromium logs each on the console ("… violates the following Content Security
# Policy directive …", formerly "Refused to …"); the securitypolicyviolation event, reported by an init script in
# every document, catches them whatever the wording.
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                  + ` (${event.sourceFile || document.URL}:${event.lineNumber})`);
}, true);"""
CSP_MESSAGE = re.compile(r"^CSP violation: |^Refused to |Content Security Policy directive")
csp_violations = []

browser_test = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def missing(reason):
    """Skip the test with `reason`, or fail it when CI demands the browser toolchain."""
    if os.environ.get("REQUIRE_BROWSER", "") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain http, static files from the finders.

    Middleware reads these settings once, when the live server starts, so the per-test
    overrides in tests/conftest.py come too late for them.
    """
    with override_settings(SECURE_SSL_REDIRECT=False, WHITENOISE_AUTOREFRESH=True, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        missing(f"browser tests skipped: no Chromium at {CHROMIUM}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # From here on an event loop runs in this thread, so Django keeps its connections per
        # context: the new connection objects need the snapshot that serialized_rollback restores.
        for alias, contents in snapshots.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
        connections.close_all()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        missing(f"axe-core missing at {AXE_JS}: run `npm ci`")
    return AXE_JS.read_text(encoding="utf-8")


def new_page(browser, *, viewport=DESKTOP, locale="pl-PL", init_script=None, **options):
    context = browser.new_context(viewport=viewport, locale=locale, reduced_motion="reduce", **options)
    context.set_default_timeout(15_000)
    context.route(OUTSIDE, lambda route: route.abort())
    context.add_init_script(script=CSP_REPORTER)
    context.on("console", record_csp_violation)
    if init_script:
        context.add_init_script(script=init_script)
    return context.new_page()


def record_csp_violation(message):
    if CSP_MESSAGE.search(message.text):
        csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violations():
    """After each browser test (its pages closed): no page broke the Content-Security-Policy."""
    csp_violations.clear()
    yield
    found, csp_violations[:] = list(csp_violations), []
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def axe_page(browser, axe_source):
    """A desktop page with axe-core added to every document it opens."""
    page = new_page(browser, init_script=axe_source)
    yield page
    page.context.close()


@pytest.fixture
def narrow_page(browser):
    """The smallest width WCAG 1.4.10 (reflow) asks for: 320 CSS pixels."""
    page = new_page(browser, viewport={"width": 320, "height": 640})
    yield page
    page.context.close()


def visit(page, live_server, path):
    """Open `path` on the live server; return the HTTP status."""
    return page.goto(live_server.url + path).status


def log_in(page, live_server, username, password):
    """Log in through the site's own login form, as a person would (staff then type their app's code)."""
    from django.urls import reverse

    visit(page, live_server, reverse("account:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "logowanie" not in page.url, "the login did not succeed"
    pass_second_factor(page, username)


def log_in_to_admin(page, live_server, username, password):
    """Log in through the admin's login form, as BORIS staff do, then the code of their authenticator app; lands on
    the admin's start page."""
    from django.urls import reverse

    visit(page, live_server, reverse("admin:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    pass_second_factor(page, username)
    assert page.url == live_server.url + reverse("admin:index")


def pass_second_factor(page, username):
    """After the password, when the site asks for it: the code of the account's authenticator app, as the app on the
    phone shows it. The demo's staff account has the app of the demo's secret (demo/data/accounts.toml); an account
    without an app sets one up from the secret on the page and goes on past its recovery codes."""
    from urllib.parse import urlsplit

    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from demo.loader import STAFF_LOGIN, STAFF_TOTP_SECRET

    path = urlsplit(page.url).path
    if path == reverse("account:second_factor_setup"):
        secret = page.locator(".otp-secret").inner_text()
        page.locator("#id_code").fill(authenticator_code(secret))
        page.locator("main form:has(#id_code) button[type=submit]").click()
        page.wait_for_load_state()
        page.locator("main a.btn-primary").click()  # the recovery codes are written down: on to the page asked for
        page.wait_for_load_state()
    elif path == reverse("account:second_factor"):
        app = TOTPDevice.objects.get(user__username=username, confirmed=True)
        secret = STAFF_TOTP_SECRET if username == STAFF_LOGIN[0] else b32encode(app.bin_key).decode()
        page.locator("#id_code").fill(authenticator_code(secret, used_up_to=app.last_t))
        page.locator("main form:has(#id_code) button[type=submit]").click()
        page.wait_for_load_state()
    assert "weryfikacja" not in page.url, "the second step of the login did not succeed"


def authenticator_code(secret, *, used_up_to=-1):
    """The code an authenticator app shows for `secret` (base32, spaces allowed). A code is accepted once, so when the
    current period's was used (a second login within 30 seconds), the next period's, which the site still accepts;
    when that one was used too, after waiting for the next period."""
    from django_otp.oath import hotp

    key = b32decode(secret.replace(" ", "").upper())
    while used_up_to >= int(time.time()) // 30 + 1:
        time.sleep(1)
    return f"{hotp(key, max(int(time.time()) // 30, used_up_to + 1)):06d}"


def run_axe(page, *, preload=True):
    """axe-core's WCAG 2.0/2.1 A and AA violations on the loaded page, as short readable dicts.

    `preload=False` for pages whose style sheets @import others (the admin's forms.css): axe's preload copies such
    rules into an inline <style>, which the site's Content-Security-Policy refuses; only the experimental
    css-orientation-lock rule, which these tags do not run, reads what it loads.
    """
    return page.evaluate(
        """async ([tags, preload]) => {
            const result = await axe.run(
                document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }""",
        [AXE_TAGS, preload],
    )


def describe(found):
    """{page: [violation, …]} as lines a person can act on."""
    lines = []
    for where, violations in found.items():
        lines.append(where)
        for violation in violations:
            lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"      {node}" for node in violation["nodes"])
    return "\n".join(lines)


def shoot(page, name):
    """A full-page screenshot in test-artifacts/screenshots/<name>.png; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def has_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")


def widest_elements(page, limit=5):
    """The elements sticking out to the right of the viewport: what to fix when a page scrolls sideways.

    Elements inside a box that clips its content (a map, a scrolling table) do not count.
    """
    return page.evaluate(
        """(limit) => {
            const width = document.documentElement.clientWidth;
            const clipped = (el) => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== 'visible') return true;
                }
                return false;
            };
            return [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 1 && !clipped(el))
                .slice(-limit)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                           + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '')
                           + ' right=' + Math.round(el.getBoundingClientRect().right)
                           + ' "' + (el.textContent || '').trim().slice(0, 30) + '"');
        }""",
        limit,
    )


EASY_READ_SUMMARY = (
    "To jest forum. W forum są ludzie i organizacje.\n"
    "Pomagamy osobom z niepełnosprawnością intelektualną.\n"
    "Spotykamy się raz w miesiącu. Możesz przyjść."
)


@pytest.fixture
def demo_network(db):
    """The demo network (realistic names and text lengths); the thematic forum gets easy-to-read content.

    Returns the forum, a partnership whose page shows every optional section.
    """
    from demo.loader import load_demo
    from partnerships.models import Partnership

    load_demo()
    forum = Partnership.objects.filter(kind=Partnership.Kind.THEMATIC).order_by("pk").first()
    forum.easy_read_summary = EASY_READ_SUMMARY
    forum.sign_language_video_url = "https://video.example.org/wspl/forum-pjm"
    forum.save()
    return forum


@pytest.fixture
def small_network(db):
    """A few partnerships in two districts, with events: enough for the keyboard journeys, quick to build."""
    from tests import factories

    partnerships = {
        "Sady Żoliborskie": "zoliborz",
        "Dla Rudawki i Zatrasia": "zoliborz",
        "Moje Wierzbno": "mokotow",
        "Nasze Stegny": "mokotow",
    }
    built = {}
    for name, district in partnerships.items():
        built[name] = factories.partnership(name=name, districts=[district], contact_email="kontakt@example.org")
        factories.event(organisers=[built[name]], place=factories.place(district_slug=district))
    return built
