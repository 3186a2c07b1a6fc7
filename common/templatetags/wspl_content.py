"""Template helpers for content written by coordinators: Markdown, responsive images and its language.

{% load wspl_content %}
{{ partnership.description|markdown }}
<div class="prose"{% content_lang %}>{{ event.description|linebreaks }}</div>
{{ partnership.area|in_polish }}
{% responsive_image partnership.cover partnership.cover_width alt=partnership.cover_alt sizes="100vw" %}
"""

from urllib.parse import urlsplit

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from common import language
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
def content_lang(code=language.CONTENT_LANGUAGE):
    """` lang="pl"` on the element that holds text people wrote, where the page is not Polish (common/language.py
    says which texts); `{% content_lang text_language %}` for a text of another language ("" adds nothing)."""
    return mark_safe(language.lang_attribute(code))  # noqa: S308 (escaped there)


@register.filter(is_safe=True)
def in_polish(text):
    """Text people wrote, inside a sentence of the page's language: <span lang="pl">…</span> on English pages."""
    return mark_safe(language.in_polish(conditional_escape(text)))  # noqa: S308 (escaped above)


@register.simple_tag
def responsive_image(field_file, width, alt="", sizes="100vw", css_class=""):
    """An <img> with `srcset` from the resized copies stored next to the original.

    `width` is the original's, kept beside the image field (partnership.cover_width): which copies
    exist follows from it, so rendering never asks the storage. `alt` is what a coordinator wrote, so an image
    with one says it is Polish on English pages.
    """
    if not field_file:
        return ""
    src, srcset = image_sources(field_file, width)
    lang = mark_safe(language.lang_attribute()) if alt else ""  # noqa: S308 (escaped there)
    if srcset:
        return format_html(
            '<img src="{}" srcset="{}" sizes="{}" alt="{}"{} class="{}" loading="lazy" decoding="async">',
            src,
            srcset,
            sizes,
            alt,
            lang,
            css_class,
        )
    return format_html(
        '<img src="{}" alt="{}"{} class="{}" loading="lazy" decoding="async">', src, alt, lang, css_class
    )
