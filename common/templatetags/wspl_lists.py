"""`{% load wspl_lists %}`: `{% cached_fragment %}`, a part of a page every anonymous visitor sees alike."""

from django import template
from django.utils.translation import get_language

from .. import cache

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
