"""Map tags: `{% load wspl_maps %}` then one of the tags below where the page shows a map.

Each renders templates/includes/map.html: the Leaflet map (drawn by static/js/map.js,
which the page loads with `{% include "includes/map_scripts.html" %}` in its scripts
block) and, always, the list of the same places with their addresses. `collapsed=True`
puts a long list in a <details> element (still there without JavaScript).
"""

from html import escape

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.cache import cached_fragment
from common.language import in_polish
from directory import maps

register = template.Library()


def _context(map_data, map_id, collapsed):
    return {"map": map_data, "map_id": map_id, "collapsed": collapsed}


@register.inclusion_tag("includes/map.html")
def place_map(*, places=(), place=None, events=(), partnership=None, label="", map_id="mapa", collapsed=False):
    """Places and events the page has already loaded; `partnership` adds its area. No queries."""
    places = [*places, place] if place is not None else places
    data = maps.place_map(places=places, events=events, partnership=partnership, label=label)
    return _context(data, map_id, collapsed)


@register.inclusion_tag("includes/map.html")
def district_map(district, *, places=(), events=(), label="", areas=None, map_id="mapa", collapsed=False):
    """The district's places and events, and its partnerships' areas (one query; at most `areas` of them)."""
    data = maps.district_map(district, places=places, events=events, label=label, areas=areas)
    return _context(data, map_id, collapsed)


@register.simple_tag
def network_map(*, label="", map_id="mapa", collapsed=True):
    """The whole network: places of published partnerships and of upcoming events (two queries).

    The same for every visitor, so rendered once per change of the data and language; the next
    events on it move with the time, so it is also redrawn every ten minutes (two costly queries
    at scale: once a minute made one visitor a minute wait half a second).
    """

    def render():
        return render_to_string("includes/map.html", _context(maps.network_map(label=label), map_id, collapsed))

    name = f"network-map:{get_language()}:{label}:{map_id}:{collapsed}"
    return mark_safe(cached_fragment(name, render, moves_with_time=600))  # noqa: S308


@register.simple_tag
def map_place_items(places):
    """The <li> of each place in a map's list (its text alternative): link, address in words, and the events or
    partnerships there. Written here, not in a template: a district's map lists thirty places, and the template
    engine's work per row was a tenth of its page's time when nothing is cached. Values are escaped with
    html.escape, as Django's escape() does. An event's title, at the start of its link, is Polish on English pages
    too and says so; places' and partnerships' names are names."""
    not_on_map = escape(_("brak na mapie – nie podano współrzędnych"))
    items = []
    for place in places:
        item = f'<li class="mb-2">\n  <a href="{escape(place["url"])}">{escape(place["name"])}</a><br>\n'
        item += f'  <span class="small">{escape(place["where"])}</span>'
        if not place["on_map"]:
            item += f' <span class="small muted">({not_on_map})</span>'
        if place["links"]:
            links = "".join(
                f'<li><a href="{escape(link["url"])}">{link_text(link)}</a></li>' for link in place["links"]
            )
            item += f'\n  <ul class="small mb-0">{links}</ul>'
        items.append(item + "\n</li>")
    return mark_safe("\n".join(items))


def link_text(link):
    """A link's label, escaped, with an event's title (the label's beginning) marked as Polish."""
    title = link.get("title")
    if not title:
        return escape(link["label"])
    return in_polish(escape(title)) + escape(link["label"].removeprefix(title))
