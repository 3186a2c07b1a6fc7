"""Two-step verification in a real browser: a new staff member sets up the app at the first login, a returning one
types the code, a coordinator turns it on; axe-core finds no WCAG 2.1 AA violation on any of its pages, with errors
shown too, and the QR code is drawn without breaking the Content-Security-Policy."""

import time

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.models import CoordinatorAccess
from tests import factories

from .conftest import authenticator_code, browser_test, describe, log_in_to_admin, new_page, run_axe, visit

pytestmark = browser_test

PASSWORD = "haslo-testowe-123"


def submit_code(page, code):
    page.locator("#id_code").fill(code)
    page.locator("main form:has(#id_code) button[type=submit]").click()
    page.wait_for_load_state()


def wrong_code(username):
    """A code that is not the one the account's app shows now (nor in the periods around it)."""
    app = TOTPDevice.objects.get(user__username=username, confirmed=True)
    near = {f"{hotp(app.bin_key, int(time.time()) // 30 + step):06d}" for step in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in near)


def log_in_with_password(page, live_server, username):
    visit(page, live_server, reverse("account:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_staff_set_up_the_app_then_type_its_code_and_every_page_passes_axe(axe_page, live_server):
    get_user_model().objects.create_user(username="nowa", password=PASSWORD, is_staff=True, is_superuser=True)
    page, found = axe_page, {}

    log_in_with_password(page, live_server, "nowa")
    assert page.url.startswith(live_server.url + reverse("account:second_factor_setup"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ustaw weryfikację dwuetapową"
    assert page.locator("svg.qr-code").is_visible()
    if violations := run_axe(page):
        found["ustawienie aplikacji"] = violations
    submit_code(page, "12")
    assert page.get_by_text("Kod z aplikacji to sześć cyfr").first.is_visible()
    if violations := run_axe(page):
        found["ustawienie aplikacji z błędem"] = violations

    submit_code(page, authenticator_code(page.locator(".otp-secret").inner_text()))
    assert page.get_by_role("heading", level=1).inner_text() == "Kody zapasowe"
    assert page.locator(".recovery-codes li").count() == 10
    if violations := run_axe(page):
        found["kody zapasowe"] = violations
    page.get_by_role("link", name="Zapisane – dalej").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("coordinator:dashboard")

    page.get_by_role("button", name="Wyloguj się").click()
    page.wait_for_load_state()
    log_in_with_password(page, live_server, "nowa")
    assert page.url.startswith(live_server.url + reverse("account:second_factor"))
    if violations := run_axe(page):
        found["kod po haśle"] = violations
    submit_code(page, wrong_code("nowa"))
    assert page.get_by_text("Ten kod się nie zgadza albo już wygasł.").first.is_visible()
    if violations := run_axe(page):
        found["kod po haśle z błędem"] = violations

    assert not found, describe(found)


def test_the_demo_staff_account_logs_in_to_the_admin_with_the_demo_apps_code(browser, live_server, demo_network):
    from demo.loader import STAFF_LOGIN

    # Twice within 30 seconds, in two browsers: the second login takes the next period's code.
    for _ in range(2):
        page = new_page(browser)
        log_in_to_admin(page, live_server, *STAFF_LOGIN)
        assert page.get_by_role("heading", level=1).is_visible()
        page.context.close()


def test_a_coordinator_turns_it_on_from_the_account_page_and_it_passes_axe(axe_page, live_server):
    user = get_user_model().objects.create_user(username="koordynatorka", password=PASSWORD)
    CoordinatorAccess.objects.create(user=user, partnership=factories.partnership(name="Partnerstwo Jelonki"))
    page, found = axe_page, {}

    log_in_with_password(page, live_server, "koordynatorka")
    page.get_by_role("link", name="Weryfikacja dwuetapowa").click()
    page.wait_for_load_state()
    if violations := run_axe(page):
        found["weryfikacja dwuetapowa: wyłączona"] = violations
    page.get_by_role("link", name="Włącz weryfikację dwuetapową").click()
    page.wait_for_load_state()
    submit_code(page, authenticator_code(page.locator(".otp-secret").inner_text()))
    page.get_by_role("link", name="Zapisane – dalej").click()
    page.wait_for_load_state()
    assert page.get_by_text("Włączona.").is_visible()
    submit_code(page, wrong_code("koordynatorka"))
    assert page.get_by_text("Weryfikacja dwuetapowa jest nadal włączona.").first.is_visible()
    if violations := run_axe(page):
        found["weryfikacja dwuetapowa: włączona, z błędem"] = violations

    assert not found, describe(found)
