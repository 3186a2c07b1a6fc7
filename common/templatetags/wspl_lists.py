"""`{% load wspl_lists %}`: the parts of the directory pages that every anonymous visitor of an address sees alike."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import cache
from ..cache.version import versioned_many

register = template.Library()


@register.tag("cached_fragment")
def cached_fragment_tag(parser, token):
    """`{% cached_fragment "name" %}…{% endcached_fragment %}`: a part of a page every anonymous visitor sees alike.

    The enclosed part is rendered once per address (scheme, host, path and query), language and data version,
    and kept in the cache (common.cache.cached_fragment); logged-in users, who may see unpublished rows or edit
    links, always get it rendered for them. Use it only around what depends on nothing but the address and the
    public data: filter forms with their counts, a month's grid, a partnership's members. With
    `moves_with_time` it is kept at most a minute, for what moves with the time (a count of upcoming events).
    """
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "moves_with_time"):
        raise template.TemplateSyntaxError(f'{bits[0]} takes the fragment\'s name and, optionally, "moves_with_time"')
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), moves_with_time=len(bits) == 3)


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, *, moves_with_time):
        self.nodelist = nodelist
        self.name = name
        self.moves_with_time = moves_with_time

    def render(self, context):
        request = context.get("request")
        # With the scheme and host: a fragment may hold absolute links (to add an event to a calendar, say).
        address = f"{request.scheme}://{request.get_host()}{cache.address_key(request, ignore=())}"
        name = f"fragment:{self.name.resolve(context)}:{get_language()}:{address}"
        return cache.cached_fragment(
            name, lambda: self.nodelist.render(context), request=request, moves_with_time=self.moves_with_time
        )


@register.simple_tag
def render_cards(template_name, objects, name, **context):
    """Render each object's card with `template_name` into `object.card`, for the list's loop to print.

    A card shows only its object's data, so each is rendered once per data version and
    language and kept in the cache (one cache read for the whole list). `name` is the
    variable the card template expects; an Occurrence also brings its event. Cards that
    show the next date of a series (`shown_start`) are kept per that date.
    """
    # A page of CardRows (paging.DeepPaginator) holds only primary keys: the rows are read for the missing cards.
    load = getattr(objects, "load", None)
    loaded = None
    objects = list(objects)
    template = get_template(template_name)
    language = get_language()
    extra = ":".join(f"{key}={value}" for key, value in sorted(context.items()))

    def card_name(obj):
        shown = getattr(obj, "shown_start", None) if name == "event" else None
        return f"card:{template_name}:{language}:{type(obj).__name__}:{obj.pk}:{shown}:{extra}"

    def render(index):
        obj = objects[index]
        if load is not None:
            nonlocal loaded
            if loaded is None:  # once for all the missing cards
                loaded = load()
            obj = loaded.get(obj.pk)
            if obj is None:  # deleted since the page's keys were read
                return ""
        values = {name: obj, **context}
        if name == "occurrence":
            values["event"] = obj.event
        return template.render(values)

    for obj, html in zip(
        objects, versioned_many([card_name(obj) for obj in objects], render, clock=False), strict=True
    ):
        obj.card = mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there
    return ""
