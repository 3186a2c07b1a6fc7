"""What a page tells search engines and sharing sites: its address, its languages, OpenGraph and JSON-LD.

{% load wspl_seo %}
{% capture as page_title %}{% block title %}…{% endblock title %}{% endcapture %}   (reuse a block's text)
{% page_languages as languages %}     canonical URL, hreflang alternates and the language switcher's links
{% absolute share_image %}            an absolute URL for a path
{% share_image_path partnership.cover partnership.cover_width %}   the 1200 px copy of an image (or the original)
{% organization_json_ld partnership districts=districts %}   schema.org Organization, safe inside <script>

No tag here runs a query: they use what the view has already loaded.
"""

import functools
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from common.images import share_image_url

register = template.Library()

# OpenGraph wants a territory with the language.
OG_LOCALES = {"pl": "pl_PL", "en": "en_GB"}
# Django's json_script escapes: no "</script>", "<!--" or "&…;" can be formed by the data.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
SHARE_WIDTH = 1200


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Blocks inside still take their child template's content; whitespace is folded to single spaces.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render the content once into a variable (blocks allowed)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """`path` with the scheme and host of the current request; absolute URLs stay as they are."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def local_path(path):
    """`path` as a path on this site: a path that begins with `//` (or `/\\`) would be read by browsers and by
    urlsplit() as another host (`//evil.example/`), so its leading slashes and backslashes become one slash."""
    if path.startswith(("//", "/\\")):
        return "/" + path.lstrip("/\\")
    return path


@functools.lru_cache(maxsize=1024)
def _translated(url, current, code):
    """translate_url() from the language `current` (active now) to `code`: it depends on the URL patterns
    alone, so it is worked out once per process for the addresses visited most (a resolve and a reverse)."""
    return translate_url(url, code)


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The page in every language of the site.

    Returns {"canonical", "og_locale", "alternates": [{"code", "name", "url", "href", "current"}],
    "x_default"}: `url` is absolute and without the query string (for <link> tags), `href` keeps the
    query string (filters stay chosen when a visitor switches language). A path no URL pattern knows
    (a 404) has no translations: then only the home pages are offered and no alternates are announced.
    No address here names another host, whatever the path (see local_path()).
    """
    request = context.get("request")
    if request is None:
        return {}
    current = translation.get_language() or settings.LANGUAGE_CODE
    # A path such as `//evil.example/` is a 404 here, but every address below is built from it.
    path, full_path = local_path(request.path), local_path(request.get_full_path())
    languages = []
    translatable = True
    for code, _name in settings.LANGUAGES:
        if code == current:
            target, href = path, full_path
        else:
            target = _translated(path, current, code)
            href = target if full_path == path else _translated(full_path, current, code)
            if target == path:
                translatable = False
                with translation.override(code):
                    target = href = reverse("home")
        info = translation.get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": request.build_absolute_uri(target),
                "href": href,
                "current": code == current,
            }
        )
    default = next(lang["url"] for lang in languages if lang["code"] == settings.LANGUAGE_CODE)
    return {
        "canonical": request.build_absolute_uri(path),
        "og_locale": OG_LOCALES.get(current, current),
        "og_locale_alternates": [OG_LOCALES.get(lang["code"]) for lang in languages if not lang["current"]],
        "alternates": languages if translatable else [],
        "switch": [lang for lang in languages if not lang["current"]],
        "x_default": default if translatable else None,
    }


@register.simple_tag
def share_image_path(field_file, width):
    """The URL of an uploaded image for sharing: its 1200 px copy when there is one, else the original.

    `width` is the original's, kept beside the image field (e.g. partnership.cover_width): it tells
    whether the copy was made, so the storage is not asked.
    """
    return share_image_url(field_file, width, SHARE_WIDTH)


def json_ld_script(data):
    """<script type="application/ld+json"> with the data escaped so that nothing in it can close the element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in ("", None, [], {})}


def _network(absolute_url):
    return {"@type": "Organization", "name": gettext("Warszawska Sieć Partnerstw Lokalnych"), "url": absolute_url("/")}


@register.simple_tag(takes_context=True)
def organization_json_ld(context, obj, districts=(), memberships=()):
    """schema.org Organization for a partnership (with its districts) or a member organisation.

    `memberships` (an organisation's current memberships, already loaded) become `memberOf`,
    published partnerships only; a partnership is a member of the network.
    """
    request = context.get("request")

    def absolute_url(path):
        return request.build_absolute_uri(path) if request is not None else path

    url = absolute_url(obj.get_absolute_url())
    if hasattr(obj, "contact_email"):  # a partnership
        area = [{"@type": "AdministrativeArea", "name": district.name} for district in districts]
        if obj.citywide:
            area.append({"@type": "City", "name": "Warszawa"})
        data = {
            "name": obj.name,
            "url": url,
            "description": obj.summary,
            "logo": absolute_url(share_image_path(obj.logo, obj.logo_width)) if obj.logo else "",
            "image": absolute_url(share_image_path(obj.cover, obj.cover_width)) if obj.cover else "",
            "email": obj.contact_email,
            "telephone": obj.contact_phone,
            "foundingDate": str(obj.founded_year) if obj.founded_year else "",
            "areaServed": area,
            "sameAs": [link for link in (obj.website, obj.facebook_url, obj.instagram_url) if link],
            "memberOf": _network(absolute_url),
        }
    else:
        address = {}
        if obj.street_address:
            address = _without_empty(
                {
                    "@type": "PostalAddress",
                    "streetAddress": obj.street_address,
                    "postalCode": obj.postal_code,
                    "addressLocality": "Warszawa",
                    "addressCountry": "PL",
                }
            )
        data = {
            "name": obj.name,
            "url": url,
            "description": " ".join(obj.description.split()[:60]),
            "logo": absolute_url(share_image_path(obj.logo, obj.logo_width)) if obj.logo else "",
            "email": obj.email,
            "telephone": obj.phone,
            "address": address,
            "sameAs": [obj.website] if obj.website else [],
            "memberOf": [
                {
                    "@type": "Organization",
                    "name": m.partnership.name,
                    "url": absolute_url(m.partnership.get_absolute_url()),
                }
                for m in memberships
                if m.partnership.is_published
            ],
        }
        if obj.krs:
            data["identifier"] = {"@type": "PropertyValue", "propertyID": "KRS", "value": obj.krs}
    return json_ld_script({"@context": "https://schema.org", "@type": "Organization", **_without_empty(data)})
