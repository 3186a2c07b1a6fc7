"""Keyboard-only use: skip link, visible focus everywhere, no traps, filters operable without a mouse."""

import pytest
from django.urls import reverse

from .conftest import browser_test, visit

pytestmark = browser_test

FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || el.value || '').trim().slice(0, 40),
        inMain: el.closest('main') !== null, inFooter: el.closest('footer') !== null,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        shadow: style.boxShadow !== 'none',
        visible: box.width > 1 && box.height > 1,
    };
}"""


def tab(page):
    page.keyboard.press("Tab")
    return page.evaluate(FOCUS_STATE)


def test_skip_link_comes_first_and_moves_focus_to_the_main_content(page, live_server, small_network):
    visit(page, live_server, reverse("partnerships:list"))

    first = tab(page)
    assert first["text"] == "Przejdź do treści"
    assert first["visible"] and first["outline"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "tresc"
    assert page.url.endswith("#tresc")
    after = tab(page)
    assert after["inMain"], after


def test_focus_is_always_visible_and_tabbing_leaves_no_trap(page, live_server, small_network):
    """Tab through the whole home page and partnership page: every stop shows a focus ring, the end is reachable."""
    for path in (reverse("home"), small_network["Sady Żoliborskie"].get_absolute_url()):
        visit(page, live_server, path)
        stops, invisible = [], []
        for _ in range(300):
            state = tab(page)
            if state["tag"] == "body":
                break  # past the last control: back to the browser, so no trap
            stops.append(state)
            if not (state["visible"] and (state["outline"] or state["shadow"])):
                invisible.append(state)
        else:
            pytest.fail(f"{path}: focus never left the page after 300 presses of Tab: {stops[-5:]}")
        assert len(stops) > 10, stops
        assert stops[0]["text"] == "Przejdź do treści"
        assert stops[-1]["inFooter"], stops[-1]
        assert not invisible, (path, invisible)


def test_partnership_filters_work_with_the_keyboard_alone(page, live_server, small_network):
    visit(page, live_server, reverse("partnerships:list"))

    for _ in range(40):
        if tab(page)["id"] == "id_dzielnica":
            break
    else:
        pytest.fail("the district filter cannot be reached with Tab")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == "zoliborz":
            break
        page.keyboard.press("ArrowDown")
    for _ in range(10):
        state = tab(page)
        if state["tag"] == "button":
            break
    assert state["text"] == "Filtruj"
    page.keyboard.press("Enter")
    page.wait_for_url("**dzielnica=zoliborz**")

    names = page.locator("main .card-title").all_inner_texts()
    assert "Sady Żoliborskie" in names and "Dla Rudawki i Zatrasia" in names
    assert "Moje Wierzbno" not in " ".join(names)
    assert page.get_by_role("status").first.inner_text().startswith("Znaleziono")
    assert page.locator("#id_dzielnica").input_value() == "zoliborz"
