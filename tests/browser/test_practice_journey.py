"""A good practice's way from a coordinator to residents, in a real browser on the demo network: the coordinator
writes it and sends it for publication, BORIS staff publish it from the admin's dashboard, and a resident finds it
on the list by its topic and in the site search by words typed without Polish letters. axe-core finds no WCAG 2.1
AA violation on the pages on the way."""

from django.urls import reverse

from demo.loader import COORDINATOR_LOGIN, STAFF_LOGIN
from partnerships.models import CoordinatorAccess
from practices.models import Practice

from .conftest import browser_test, describe, log_in, log_in_to_admin, new_page, run_axe

pytestmark = browser_test

TITLE = "Kawiarenka dla seniorów w bibliotece"
SUMMARY = "Raz w tygodniu seniorzy z osiedla spotykają się przy kawie w bibliotece i planują wycieczki."


def test_coordinator_writes_a_practice_staff_publish_it_and_a_resident_finds_it(
    browser, axe_source, live_server, demo_network
):
    username, password = COORDINATOR_LOGIN
    partnership = CoordinatorAccess.objects.select_related("partnership").get(user__username=username).partnership
    found = {}

    # The coordinator writes the practice and sends it for publication.
    coordinator = new_page(browser, init_script=axe_source)
    log_in(coordinator, live_server, username, password)
    coordinator.goto(live_server.url + reverse("coordinator:partnership", kwargs={"slug": partnership.slug}))
    coordinator.get_by_role("link", name="Opisz dobrą praktykę").click()
    coordinator.wait_for_load_state()
    coordinator.locator("[name=title]").fill(TITLE)
    coordinator.locator("[name=summary]").fill(SUMMARY)
    coordinator.get_by_label("seniorzy", exact=True).check()
    coordinator.locator("[name=problem]").fill("Starsi sąsiedzi rzadko wychodzili z domu i nie znali się nawzajem.")
    coordinator.locator("[name=steps]").fill("1. Umowa z biblioteką.\n2. Ulotki na klatkach.\n3. Co czwartek.")
    if violations := run_axe(coordinator):
        found["formularz praktyki"] = violations
    coordinator.get_by_role("button", name="Zapisz jako szkic").click()
    coordinator.wait_for_load_state()
    assert coordinator.get_by_text("Zapisano szkic.", exact=False).is_visible()
    practice = Practice.objects.get(title=TITLE)
    assert not practice.is_published and practice.submitted_at is None

    coordinator.goto(live_server.url + reverse("coordinator:practice_list", kwargs={"slug": partnership.slug}))
    coordinator.locator("main li", has_text=TITLE).get_by_role("link", name="Wyślij do publikacji").click()
    coordinator.wait_for_load_state()
    coordinator.locator("main form").get_by_role("button", name="Wyślij do publikacji").click()
    coordinator.wait_for_load_state()
    assert coordinator.get_by_text("Wysłano do publikacji.", exact=False).is_visible()
    assert coordinator.get_by_text("czeka na publikację", exact=False).first.is_visible()
    if violations := run_axe(coordinator):
        found["dobre praktyki partnerstwa"] = violations
    coordinator.context.close()

    # Nobody else sees it yet.
    resident = new_page(browser, init_script=axe_source)
    assert resident.goto(live_server.url + practice.get_absolute_url()).status == 404

    # Staff publish it from the dashboard's list of what waits for them.
    staff = new_page(browser, init_script=axe_source)
    log_in_to_admin(staff, live_server, *STAFF_LOGIN)
    staff.get_by_role("link", name="Dobre praktyki czekające na publikację", exact=False).click()
    staff.wait_for_load_state()
    row = staff.locator("#result_list tr", has_text=TITLE)
    assert staff.locator("#result_list tbody tr").count() == Practice.objects.waiting().count()
    row.locator("input.action-select").check()
    staff.locator("select[name=action]").select_option("publish_selected")
    staff.locator("button[name=index]").click()
    staff.wait_for_load_state()
    practice.refresh_from_db()
    assert practice.is_published and practice.published_at is not None
    assert practice.history.first().history_user.username == STAFF_LOGIN[0]
    staff.context.close()

    # A resident finds it by its topic…
    resident.goto(live_server.url + reverse("practices:list"))
    resident.get_by_label("Temat").select_option(label="seniorzy (" + str(_count("seniorzy")) + ")")
    resident.locator("main form").get_by_role("button", name="Filtruj").click()
    resident.wait_for_load_state()
    assert "temat=seniorzy" in resident.url
    resident.get_by_role("link", name=TITLE).click()
    resident.wait_for_load_state()
    assert resident.get_by_role("heading", level=1).inner_text() == TITLE
    assert resident.get_by_text("Umowa z biblioteką.").is_visible()
    if violations := run_axe(resident):
        found["dobra praktyka"] = violations

    # …and in the site search, typed without Polish letters.
    resident.goto(live_server.url + reverse("search") + "?q=kawiarenka+seniorow")
    results = resident.get_by_role("region", name="Dobre praktyki")
    assert results.get_by_role("link", name=TITLE).is_visible()
    if violations := run_axe(resident):
        found["wyszukiwarka"] = violations
    resident.context.close()
    assert not found, describe(found)


def _count(topic_name):
    return Practice.objects.public().filter(topics__name=topic_name).count()
