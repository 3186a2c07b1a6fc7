"""Two-step verification: staff, and coordinators who turn it on, confirm their login with a code.

A session with the password only gets nothing more than an anonymous visitor: every admin page and every page of
the coordinator area sends it to the code page (or, for an account without an app, to the setup), and it sees no
drafts and no edit links. Codes are real TOTP codes computed from the device's key (django_otp.oath), and recovery
codes are django-otp's own.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coordinator import urls as coordinator_urls
from partnerships.models import CoordinatorAccess
from tests import factories
from tests.utils import log_in, pass_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "haslo-testowe-123"
CODE_PAGE = reverse("account:second_factor")
SETUP_PAGE = reverse("account:second_factor_setup")
SETTINGS_PAGE = reverse("account:second_factor_settings")
WRONG = "Ten kod się nie zgadza albo już wygasł."


def code_of(device, steps_ahead=0):
    """The code the authenticator app shows now (or `steps_ahead` periods later) for `device`."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=steps_ahead):06d}"


def wrong_code_for(device):
    return next(code for code in ("000000", "111111", "222222") if code != code_of(device))


def with_app(user):
    return TOTPDevice.objects.create(user=user, name="aplikacja", confirmed=True)


def with_recovery_codes(user, *codes):
    device = StaticDevice.objects.create(user=user, name="kody zapasowe", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def a_minute_later(device):
    """The wait django-otp asks for after a wrong code has passed."""
    failed_at = timezone.now() - timedelta(minutes=1)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=failed_at)


def sent_to(response, page):
    """The response redirects to `page`; the `next` it carries."""
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == page, response["Location"]
    return parse_qs(location.query).get("next", [None])[0]


def password_only(client, user):
    """A session that has passed the password and nothing more."""
    client.force_login(user)
    return client


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="pracownica", password=PASSWORD, is_staff=True)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_user(
        username="szefowa", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(username="koordynatorka", password=PASSWORD)
    partnership = factories.partnership(name="Partnerstwo Jelonki", is_published=True)
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


# --- every admin page and every page of the coordinator area --------------------------------------------


def named_patterns(patterns, namespace):
    """(name, pattern) of every named URL pattern under `patterns`, through nested includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from named_patterns(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}", pattern


# Values for the parts of an address: an admin app's label, an object's id, a partnership's slug…
PARTS = {
    "id": "1",
    "app_label": "partnerships",
    "object_id": "1",
    "content_type_id": "1",
    "pk": "1",
    "kind": "place",
    "date": "1",
    "photo": "1",
}


def address(name, pattern, **parts):
    values = {**PARTS, **parts}
    regex = pattern.pattern.regex
    if regex.groupindex:
        return reverse(name, kwargs={key: values[key] for key in regex.groupindex})
    return reverse(name, args=["1"] * regex.groups)  # unnamed parts (simple_history's pages): ids


ADMIN_NOT_BEHIND_THE_CHECK = {"admin:login", "admin:logout"}  # the login page, and leaving


def admin_pages():
    pages = [
        address(name, pattern)
        for name, pattern in named_patterns(admin.site.get_urls(), "admin")
        if name not in ADMIN_NOT_BEHIND_THE_CHECK
    ]
    return sorted(set(pages))


def test_every_admin_page_is_walked():
    """The walk reaches the custom pages too: the report, import/export, merging, a person's data."""
    pages = admin_pages()
    for name in ("admin:index", "admin:report", "admin:report_xlsx", "admin:members_organisation_merge"):
        assert reverse(name) in pages
    assert reverse("admin:members_organisation_import") in pages
    assert reverse("admin:members_person_data", args=["1"]) in pages
    for model in apps.get_models():
        if admin.site.is_registered(model):
            meta = model._meta
            assert reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") in pages


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_a_staff_session_with_the_password_only_gets_no_admin_page(client, request, who):
    user = request.getfixturevalue(who)
    with_app(user)
    password_only(client, user)

    for page in admin_pages():
        response = client.get(page)
        assert sent_to(response, CODE_PAGE) == page, page
    assert sent_to(client.post(reverse("admin:members_organisation_changelist")), CODE_PAGE)


def test_a_staff_account_without_an_app_is_sent_on_to_the_setup_with_the_page_it_asked_for(client, superuser):
    password_only(client, superuser)

    asked = reverse("admin:report") + "?rok=2024"
    next_page = sent_to(client.get(asked), CODE_PAGE)
    assert next_page == asked
    assert sent_to(client.get(CODE_PAGE, {"next": next_page}), SETUP_PAGE) == asked


def coordinator_pages(partnership):
    patterns = named_patterns(coordinator_urls.urlpatterns, "coordinator")
    return [address(name, pattern, slug=partnership.slug) for name, pattern in patterns]


def test_a_staff_session_with_the_password_only_gets_no_page_of_the_coordinator_area(client, superuser):
    partnership = factories.partnership(name="Partnerstwo Bemowo")
    with_app(superuser)
    password_only(client, superuser)

    pages = coordinator_pages(partnership)
    assert len(pages) == len(coordinator_urls.urlpatterns)
    for page in pages:
        assert sent_to(client.get(page), CODE_PAGE) == page
    assert sent_to(client.get(SETTINGS_PAGE), CODE_PAGE) == SETTINGS_PAGE


def test_a_password_only_staff_session_sees_the_public_pages_as_a_visitor(client, superuser):
    draft = factories.partnership(name="Partnerstwo w przygotowaniu", is_published=False)
    published = factories.partnership(name="Partnerstwo Wola", is_published=True)
    with_app(superuser)
    edit_link = reverse("coordinator:partnership", kwargs={"slug": published.slug})

    password_only(client, superuser)
    assert client.get(draft.get_absolute_url()).status_code == 404
    page = client.get(published.get_absolute_url()).content.decode()
    assert edit_link not in page and "Zalogowano jako" not in page

    log_in(client, superuser)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert edit_link in client.get(published.get_absolute_url()).content.decode()


# --- setting up the app at the first login --------------------------------------------------------------


def test_staff_set_up_their_app_at_the_first_login_and_get_recovery_codes_once(client, staff):
    login = client.post(reverse("account:login"), {"username": "pracownica", "password": PASSWORD})
    assert login.status_code == 302
    admin_index = reverse("admin:index")
    next_page = sent_to(client.get(admin_index), CODE_PAGE)
    assert sent_to(client.get(CODE_PAGE, {"next": next_page}), SETUP_PAGE) == admin_index

    setup = client.get(SETUP_PAGE, {"next": admin_index})
    page = setup.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    config_url = device.config_url
    assert config_url.startswith("otpauth://totp/WSPL%3Apracownica?secret=") and "issuer=WSPL" in config_url
    secret = parse_qs(urlsplit(config_url).query)["secret"][0]
    assert " ".join(re.findall(".{1,4}", secret)) in page  # the secret in groups of four
    assert f'href="{config_url.replace("&", "&amp;")}"' in page
    assert re.search(r'<svg class="qr-code" aria-hidden="true" focusable="false" [^>]*viewBox', page)
    assert "<img" not in page.split("<main")[1]
    assert re.search(r'<label\s+for="id_code"[^>]*>\s*Kod z aplikacji', page)
    assert client.get(SETUP_PAGE).content.decode().count(secret) >= 1  # the same secret on a reload
    assert TOTPDevice.objects.filter(user=staff).count() == 1

    session_before = client.session.session_key
    done = client.post(SETUP_PAGE, {"code": code_of(device), "next": admin_index})

    assert done.status_code == 200
    page = done.content.decode()
    codes = list(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(codes) == 10 and all(f"<li>{code}</li>" in page for code in codes)
    assert "ta strona pokazuje je tylko teraz" in page
    assert f'href="{admin_index}"' in page
    assert done["Cache-Control"] == "no-store"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != session_before
    assert client.get(admin_index).status_code == 200
    assert sent_to(client.get(SETUP_PAGE), SETTINGS_PAGE) is None  # nothing more to set up; codes not shown again


def test_a_wrong_code_while_setting_up_says_so_and_sets_up_nothing(client, staff):
    password_only(client, staff)
    client.get(SETUP_PAGE)
    device = TOTPDevice.objects.get(user=staff)

    for code, message in [
        (wrong_code_for(device), "Ten kod się nie zgadza. Sprawdź, czy aplikacja ma konto „WSPL”"),
        ("12ab", "Kod z aplikacji to sześć cyfr, np. 123456."),
        ("", "Wpisz sześciocyfrowy kod, który pokazuje aplikacja."),
        ("12\x0034", "Kod z aplikacji: Znaki null są niedozwolone."),
        ("1" * 10_000, "Kod z aplikacji: Upewnij się, że ta wartość ma co najwyżej 20 znaków (obecnie ma 10000)."),
        ("<b>12</b>", "Kod z aplikacji to sześć cyfr, np. 123456."),
    ]:
        response = client.post(SETUP_PAGE, {"code": code})
        assert response.status_code == 200
        assert message in response.content.decode(), code[:20]
        assert "<b>12</b>" not in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not StaticDevice.objects.exists()
    assert sent_to(client.get(reverse("admin:index")), CODE_PAGE)


def test_a_session_with_the_password_only_cannot_replace_the_accounts_app(client, staff):
    device = with_app(staff)
    password_only(client, staff)

    assert sent_to(client.get(SETUP_PAGE), CODE_PAGE) is None
    assert sent_to(client.post(SETUP_PAGE, {"code": "123456"}), CODE_PAGE) is None
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


# --- the code after the password ------------------------------------------------------------------------


def test_the_right_code_leads_to_the_page_asked_for_under_a_new_session_key(client, superuser):
    device = with_app(superuser)
    password_only(client, superuser)
    asked = reverse("admin:members_organisation_changelist")
    page = client.get(CODE_PAGE, {"next": asked}).content.decode()
    assert "Kod z aplikacji uwierzytelniającej albo kod zapasowy" in page
    assert f'name="next" value="{asked}"' in page
    before = client.session.session_key

    response = client.post(CODE_PAGE, {"code": code_of(device), "next": asked})

    assert response.status_code == 302 and response["Location"] == asked
    assert client.session.session_key != before
    assert client.get(asked).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_counts_as_a_failed_login(client, staff):
    device = with_app(staff)
    password_only(client, staff)

    response = client.post(CODE_PAGE, {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert sent_to(client.get(reverse("admin:index")), CODE_PAGE)
    assert AccessAttempt.objects.get(username="pracownica").failures_since_start == 1
    empty = client.post(CODE_PAGE, {"code": "  "})
    assert "Wpisz kod z aplikacji albo jeden z kodów zapasowych." in empty.content.decode()


def test_after_wrong_codes_the_page_says_when_to_try_again(client, staff):
    device = with_app(staff)
    failed_at = timezone.now()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=5, throttling_failure_timestamp=failed_at)
    password_only(client, staff)

    response = client.post(CODE_PAGE, {"code": code_of(device)})  # the right code, too soon

    until = time_format(timezone.localtime(failed_at + timedelta(seconds=16)), "H:i:s")
    assert response.status_code == 200
    assert f"Za dużo błędnych kodów. Spróbuj ponownie o {until}." in response.content.decode()
    assert sent_to(client.get(reverse("admin:index")), CODE_PAGE)


def test_a_recovery_code_works_once(client, staff, django_user_model):
    with_app(staff)
    with_recovery_codes(staff, "abcd2345", "efgh6789")
    password_only(client, staff)

    response = client.post(CODE_PAGE, {"code": "ABCD 2345"})

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert "Zostało kodów zapasowych: 1." in client.get(reverse("admin:index")).content.decode()
    again = password_only(type(client)(), staff)
    refused = again.post(CODE_PAGE, {"code": "abcd2345"})
    assert WRONG in refused.content.decode()
    assert sent_to(again.get(reverse("admin:index")), CODE_PAGE)


@pytest.mark.parametrize(
    "next_page",
    ["https://example.com/admin/", "//example.com/", "http://testserver.example.com/", "javascript:alert(1)"],
)
def test_next_to_another_site_is_not_followed(client, staff, next_page):
    device = with_app(staff)
    password_only(client, staff)

    response = client.post(CODE_PAGE, {"code": code_of(device), "next": next_page})

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_locked_account_does_not_get_in_with_the_right_code(client, staff):
    device = with_app(staff)
    password_only(client, staff)
    AccessAttempt.objects.create(
        username="pracownica",
        ip_address="203.0.113.9",
        user_agent="Mozilla/5.0",
        path_info="/konto/logowanie/",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )

    response = client.post(CODE_PAGE, {"code": code_of(device)})

    assert response.status_code == 429
    assert "Zbyt wiele nieudanych prób logowania." in response.content.decode()
    assert sent_to(client.get(reverse("admin:index")), CODE_PAGE)
    device.refresh_from_db()
    assert device.last_t == -1  # the code was not even checked


def test_the_code_pages_offer_logging_out_and_not_the_accounts_other_links(client, staff):
    with_app(staff)
    password_only(client, staff)
    page = client.get(CODE_PAGE).content.decode()

    assert f'action="{reverse("account:logout")}"' in page
    for other in ("Panel administracyjny", "Moje partnerstwa", "Zmień hasło", "Zalogowano jako"):
        assert other not in page
    client.post(reverse("account:logout"))
    assert sent_to(client.get(CODE_PAGE), reverse("account:login")) == CODE_PAGE


# --- coordinators -----------------------------------------------------------------------------------------


def test_a_coordinator_without_an_app_logs_in_with_the_password_alone(client, coordinator):
    password_only(client, coordinator)

    assert client.get(reverse("coordinator:dashboard")).status_code == 200
    assert sent_to(client.get(CODE_PAGE), reverse("coordinator:dashboard")) is None
    page = client.get(SETTINGS_PAGE).content.decode()
    assert "Wyłączona." in page and f'href="{SETUP_PAGE}?next=' in page


def test_a_coordinator_turns_it_on_and_then_needs_the_code(client, coordinator):
    password_only(client, coordinator)
    client.get(SETUP_PAGE, {"next": SETTINGS_PAGE})
    device = TOTPDevice.objects.get(user=coordinator)

    done = client.post(SETUP_PAGE, {"code": code_of(device), "next": SETTINGS_PAGE})

    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert f'href="{SETTINGS_PAGE}"' in done.content.decode()
    assert "Włączona." in client.get(SETTINGS_PAGE).content.decode()
    later = password_only(type(client)(), coordinator)
    dashboard = reverse("coordinator:dashboard")
    assert sent_to(later.get(dashboard), CODE_PAGE) == dashboard
    response = later.post(CODE_PAGE, {"code": code_of(device, steps_ahead=1), "next": dashboard})
    assert response["Location"] == dashboard and later.get(dashboard).status_code == 200


def test_a_coordinator_turns_it_off_with_a_current_code(client, coordinator):
    device = with_app(coordinator)
    with_recovery_codes(coordinator, "abcd2345")
    log_in(client, coordinator)
    pass_second_factor(client, coordinator)

    refused = client.post(SETTINGS_PAGE, {"code": wrong_code_for(device)})
    assert "Weryfikacja dwuetapowa jest nadal włączona." in refused.content.decode()
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    a_minute_later(device)

    response = client.post(SETTINGS_PAGE, {"code": code_of(device)}, follow=True)
    assert "Weryfikacja dwuetapowa jest wyłączona." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert password_only(type(client)(), coordinator).get(reverse("coordinator:dashboard")).status_code == 200


def test_staff_cannot_turn_it_off(client, staff):
    log_in(client, staff)
    device = TOTPDevice.objects.get(user=staff)

    page = client.get(SETTINGS_PAGE).content.decode()
    response = client.post(SETTINGS_PAGE, {"code": code_of(device)})

    assert "Pracownicy BORIS muszą mieć ją włączoną." in page and "Wyłącz weryfikację" not in page
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=staff).exists()


# --- staff see who has it and remove a lost phone's app ------------------------------------------------


def test_staff_see_who_has_it_and_remove_a_lost_app(staff_client, staff, coordinator):
    with_app(staff)
    with_recovery_codes(staff, "abcd2345")
    changelist = reverse("admin:auth_user_changelist")

    page = staff_client.get(changelist).content.decode()
    on = staff_client.get(changelist, {"weryfikacja": "tak"}).content.decode()
    off = staff_client.get(changelist, {"weryfikacja": "nie"}).content.decode()
    assert "weryfikacja dwuetapowa" in page.lower()
    assert "pracownica" in on and "koordynatorka" not in on
    assert "koordynatorka" in off and "pracownica" not in off

    response = staff_client.post(
        changelist, {"action": "remove_second_factor", "_selected_action": [staff.pk]}, follow=True
    )

    assert "Usunięto weryfikację dwuetapową kont: 1." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists() and not StaticDevice.objects.filter(user=staff).exists()
    assert TOTPDevice.objects.filter(user__username="pracownik").exists()  # the one who removed it keeps theirs
    again = password_only(type(staff_client)(), staff)
    assert sent_to(again.get(CODE_PAGE), SETUP_PAGE) is None


def test_django_otps_english_lists_of_devices_are_not_in_the_admin(staff_client):
    for model in (TOTPDevice, StaticDevice):
        assert not admin.site.is_registered(model)
    assert admin.site.is_registered(get_user_model())
