"""The site's main menu: which of its sections the visitor is in.

{% load wspl_nav %}
{% nav_section as nav %}   nav.section: the menu entry whose address the page is at or under ("" for none);
                           nav.exact: the page is that entry's own address (aria-current="page", else "true")

base.html keeps the rendered header per language and section (the {% cache %} tag, CACHES["markup"]), so the
menu is worked out here, outside the kept part.
"""

from django import template
from django.conf import settings
from django.core.cache import caches
from django.urls import get_script_prefix, reverse
from django.utils import translation

register = template.Library()

# The menu's entries in its order: (section, URL name).
MENU = (
    ("partnerships", "partnerships:list"),
    ("districts", "partnerships:district_list"),
    ("organisations", "members:organisation_list"),
    ("events", "events:list"),
    ("practices", "practices:list"),
    ("about", "about"),
)
_addresses = {}


def menu_addresses():
    """[(section, path)] of the menu in the active language, longest path first (reversed once per language)."""
    key = (translation.get_language(), get_script_prefix())
    if key not in _addresses:
        _addresses[key] = sorted(((section, reverse(name)) for section, name in MENU), key=lambda item: -len(item[1]))
    return _addresses[key]


def clear_kept_markup(**kwargs):
    """Forget the menu's addresses and the markup kept per process (CACHES["markup"]): they follow from the code
    and the settings alone, so only a changed setting (in tests) makes them out of date."""
    _addresses.clear()
    if "markup" in settings.CACHES:
        caches["markup"].clear()


@register.simple_tag(takes_context=True)
def nav_section(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    for section, address in menu_addresses():
        if path.startswith(address):
            return {"section": section, "exact": path == address}
    return {"section": "", "exact": False}
