"""Template helpers for content written by coordinators: Markdown and responsive images.

{% load wspl_content %}
{{ partnership.description|markdown }}
{% responsive_image partnership.cover partnership.cover_width alt=partnership.cover_alt sizes="100vw" %}
"""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

from common.images import image_sources
from common.markdown import HEADING_SHIFT, render_markdown

register = template.Library()


@register.filter
def video_host(url):
    """The host of a video's address, as a caption names it: "https://www.youtube.com/…" -> "youtube.com"."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


@register.filter(name="markdown")
def markdown_filter(text, heading_shift=HEADING_SHIFT):
    """Markdown -> HTML sanitised against an allow-list (see common/markdown.py); `|markdown:1` for a text that is
    a whole page's body, whose `#` headings are the page's sections (h2)."""
    return render_markdown(text, heading_shift)


@register.simple_tag
def responsive_image(field_file, width, alt="", sizes="100vw", css_class=""):
    """An <img> with `srcset` from the resized copies stored next to the original.

    `width` is the original's, kept beside the image field (partnership.cover_width): which copies
    exist follows from it, so rendering never asks the storage.
    """
    if not field_file:
        return ""
    src, srcset = image_sources(field_file, width)
    if srcset:
        return format_html(
            '<img src="{}" srcset="{}" sizes="{}" alt="{}" class="{}" loading="lazy" decoding="async">',
            src,
            srcset,
            sizes,
            alt,
            css_class,
        )
    return format_html('<img src="{}" alt="{}" class="{}" loading="lazy" decoding="async">', src, alt, css_class)
