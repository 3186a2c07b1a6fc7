"""Template helpers of the agenda: absolute links, subscription links and JSON-LD."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..structured import json_for_script, subscription_links

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` with the scheme and host of the current request (for iCal links and embed snippets)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag(takes_context=True)
def subscribe_links(context, path, name):
    """webcal://, Google and Outlook links that subscribe to the iCal feed at `path`."""
    return subscription_links(absolute_url(context, path), name)


@register.filter
def json_ld(data):
    """Data as JSON that is safe inside <script type="application/ld+json">."""
    return json_for_script(data)


@register.simple_tag(takes_context=True)
def feed_links_for(context, scope, obj):
    """The feeds, subscription links and widget of a partnership (scope "partnership") or a district."""
    if scope == "partnership":
        params, name = {"partnerstwo": obj.slug}, _("Wydarzenia: %(name)s") % {"name": obj.name}
        ical_path = reverse("events:ical_partnership", kwargs={"slug": obj.slug})
        widget_path = reverse("events:widget_partnership", kwargs={"slug": obj.slug})
    else:
        params, name = {"dzielnica": obj.slug}, _("Wydarzenia WSPL – dzielnica %(name)s") % {"name": obj.name}
        ical_path = reverse("events:ical_district", kwargs={"slug": obj.slug})
        widget_path = reverse("events:widget_district", kwargs={"slug": obj.slug})
    query = urlencode(params)
    return {
        "query": query,
        "name": name,
        "ical_path": ical_path,
        "rss_path": f"{reverse('events:rss')}?{query}",
        "atom_path": f"{reverse('events:atom')}?{query}",
        "subscribe": subscription_links(absolute_url(context, ical_path), name),
        "widget_path": widget_path,
        "widget_url": absolute_url(context, widget_path),
    }
