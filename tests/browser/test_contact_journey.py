"""A resident on a phone writes to a partnership: "Dołącz / Skontaktuj się" on its page, the form, the confirmation."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from partnerships.models import ContactMessage

from .conftest import PHONE, browser_test, describe, has_horizontal_scroll, new_page, run_axe, shoot, visit

pytestmark = browser_test


@pytest.fixture
def phone_page(browser, axe_source):
    """A 375-pixel-wide page with axe-core in every document it opens."""
    page = new_page(browser, viewport=PHONE, init_script=axe_source, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def test_a_resident_on_a_phone_writes_to_the_partnership_and_sees_it_was_sent(phone_page, live_server, small_network):
    cache.clear()  # the form's rate limit counts in the default cache
    page = phone_page
    partnership = small_network["Sady Żoliborskie"]
    visit(page, live_server, partnership.get_absolute_url())

    contact = page.locator("section", has=page.get_by_role("heading", name="Kontakt"))
    contact.get_by_role("link", name="Dołącz / Skontaktuj się").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + reverse("partnerships:contact", kwargs={"slug": partnership.slug})
    assert page.get_by_role("heading", level=1).inner_text() == "Dołącz / Skontaktuj się"
    trap = page.get_by_label("Nie wypełniaj tego pola").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # the robots' field is out of sight
    found = {"the form": run_axe(page)}

    page.get_by_role("button", name="Wyślij wiadomość").click()  # nothing filled in: the errors, named
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "Formularz zawiera błędy (5)" in summary.inner_text()
    assert page.title().startswith("Błąd:")
    found["the form with errors"] = run_axe(page)
    shoot(page, "contact-form-errors-375")

    page.get_by_label("Imię i nazwisko").fill("Zofia Mieszkańska")
    page.get_by_label("Twój e-mail").fill("zofia@example.org")
    page.get_by_label("chcę dołączyć jako mieszkaniec/ka").check()
    page.get_by_label("Wiadomość", exact=False).first.fill("Dzień dobry, chcę pomagać przy pikniku sąsiedzkim.")
    page.get_by_label("Zgadzam się na przekazanie moich danych").check()
    assert not has_horizontal_scroll(page)
    shoot(page, "contact-form-375")
    page.get_by_role("button", name="Wyślij wiadomość").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == "Wiadomość wysłana"
    assert "Co dalej?" in page.get_by_role("main").inner_text()
    assert "@" not in page.get_by_role("main").inner_text()  # no address of anyone
    found["the confirmation"] = run_axe(page)
    shoot(page, "contact-sent-375")
    stored = ContactMessage.objects.get()
    assert (stored.partnership, stored.name, stored.reason) == (partnership, "Zofia Mieszkańska", "resident")
    assert not any(found.values()), describe(found)
