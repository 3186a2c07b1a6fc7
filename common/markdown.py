"""Markdown written by coordinators, turned into HTML that is safe to show.

The text is converted with Python-Markdown and the result is cleaned with nh3 against
an allow-list: only the tags and attributes below survive, links keep only http(s),
mailto and tel addresses, and raw HTML (scripts, styles, event handlers, iframes…)
is removed. Headings are moved two levels down (# -> h3), because on a page the
text sits under the page's h1 and a section's h2.
"""

import functools

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
HEADING_SHIFT = 2


class _DemoteHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_SHIFT)}"


class DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_DemoteHeadings(md), "wspl_demote_headings", 5)


def render_markdown(text):
    """Markdown -> sanitised HTML (a SafeString); empty text gives an empty string."""
    if not text:
        return mark_safe("")
    return _rendered(str(text))


# The HTML depends on the text alone, so the texts shown most often are converted once per process
# (about a millisecond each for a partnership's description): never out of date, bounded in memory.
@functools.lru_cache(maxsize=512)
def _rendered(text):
    html = markdown_lib.markdown(text, extensions=["sane_lists", DemoteHeadingsExtension()], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (nh3 has just cleaned it against the allow-list)
