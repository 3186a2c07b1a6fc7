"""A coordinator on a phone saves the profile with a bad e-mail: the error summary is on screen and has focus,
and its link takes them to the field (templates/includes/form_errors.html, static/js/form-errors.js)."""

from django.urls import reverse

from partnerships.models import CoordinatorAccess

from .conftest import PHONE, browser_test, describe, log_in, new_page, run_axe, visit

pytestmark = browser_test


def test_bad_email_on_a_phone_shows_the_focused_summary_that_leads_to_the_field(
    browser, axe_source, live_server, django_user_model
):
    from tests import factories

    partnership = factories.partnership(
        name="Sady Żoliborskie", districts=["zoliborz"], contact_email="sady@example.org"
    )
    user = django_user_model.objects.create_user(username="koordynatorka", password="haslo-testowe-123")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    page = new_page(browser, viewport=PHONE, init_script=axe_source)
    try:
        log_in(page, live_server, "koordynatorka", "haslo-testowe-123")
        visit(page, live_server, reverse("coordinator:partnership_edit", kwargs={"slug": partnership.slug}))
        page.locator("#id_contact_email").fill("sady(at)example.org")
        page.get_by_role("button", name="Zapisz", exact=True).click()
        page.wait_for_load_state()

        assert page.title().startswith("Błąd: ")
        violations = run_axe(page)
        assert violations == [], describe({"the profile form with an error": violations})
        summary = page.get_by_role("alert").filter(has_text="Formularz zawiera błąd (1)")
        assert summary.is_visible()
        assert summary.evaluate("el => el === document.activeElement")
        box = summary.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box

        summary.get_by_role(
            "link", name="E-mail kontaktowy: Podaj poprawny adres e-mail, np. kontakt@example.org."
        ).click()
        field = page.locator("#id_contact_email")
        assert field.evaluate("el => el === document.activeElement")
        assert field.get_attribute("aria-invalid") == "true"
        label = page.locator("label[for=id_contact_email]").bounding_box()
        assert label["y"] > -1 and field.bounding_box()["y"] + field.bounding_box()["height"] <= PHONE["height"]
    finally:
        page.context.close()
