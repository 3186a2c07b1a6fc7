"""Staff import a file of members in the admin, in a real browser: a bad row is shown in Polish, the fixed file is
previewed, confirmed, and its members are on the partnership's public page. axe finds nothing on the import pages
(the form, the errors, the preview) nor on the export page."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories

from .conftest import browser_test, describe, log_in_to_admin, run_axe, visit

pytestmark = browser_test

LOGIN = ("pracowniczka", "haslo-testowe-123")


def members_file(*rows):
    lines = ["partnerstwo,organizacja,rola,od", *rows]
    return {"name": "czlonkowie.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}


def upload(page, file):
    page.get_by_label("Plik do importu").set_input_files(file)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Sprawdź plik").click()
    page.wait_for_load_state()


def check_axe(page, found):
    """axe on an import page (its step named by the first h2), without preload (see run_axe)."""
    headings = page.get_by_role("heading", level=2)
    step = headings.first.inner_text() if headings.count() else "formularz"
    if violations := run_axe(page, preload=False):
        found[f"{page.url} :: {step}"] = violations


def test_staff_import_members_fix_a_bad_row_and_see_them_on_the_public_page(axe_page, live_server, small_network):
    page, found = axe_page, {}
    partnership = small_network["Nasze Stegny"]
    factories.organisation(name="Fundacja Stegny Razem", slug="fundacja-stegny-razem", krs="0000123456")
    factories.organisation(name="Biblioteka Publiczna na Stegnach", slug="biblioteka-stegny")
    get_user_model().objects.create_user(LOGIN[0], password=LOGIN[1], is_staff=True, is_superuser=True)
    log_in_to_admin(page, live_server, *LOGIN)

    visit(page, live_server, reverse("admin:members_membership_changelist"))
    page.get_by_role("link", name="Importuj z pliku").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Import z pliku: członkostwa"
    check_axe(page, found)

    upload(page, members_file("nasze-stegny,0000123456,członek,2025-09-01", "nasze-stgny,biblioteka-stegny,członek,"))
    error = page.get_by_role("row").filter(has_text="biblioteka-stegny")
    assert "partnerstwo: Nieznane partnerstwo „nasze-stgny”" in error.inner_text()
    assert page.get_by_role("button", name="Zatwierdź import").count() == 0
    check_axe(page, found)

    upload(page, members_file("nasze-stegny,0000123456,członek,2025-09-01", "nasze-stegny,biblioteka-stegny,członek,"))
    assert page.get_by_text("Nowe wiersze: 2, zmienione: 0, bez zmian: 0.").is_visible()
    check_axe(page, found)
    page.get_by_role("button", name="Zatwierdź import").click()
    page.wait_for_load_state()
    assert "Zaimportowano plik. Nowe: 2, zmienione: 0, bez zmian: 0." in page.locator(".messagelist").inner_text()

    page.get_by_role("link", name="Eksportuj do pliku").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Eksport do pliku: członkostwa"
    check_axe(page, found)

    visit(page, live_server, partnership.get_absolute_url())
    main = page.get_by_role("main")
    assert main.get_by_role("link", name="Fundacja Stegny Razem").first.is_visible()
    assert main.get_by_role("link", name="Biblioteka Publiczna na Stegnach").first.is_visible()
    assert not found, describe(found)
