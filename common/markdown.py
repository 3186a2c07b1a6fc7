"""Markdown written by coordinators, turned into HTML that is safe to show.

The text is converted with Python-Markdown and the result is cleaned with nh3 against
an allow-list: only the tags and attributes below survive, links keep only http(s),
mailto and tel addresses, and raw HTML (scripts, styles, event handlers, iframes…)
is removed. Headings are moved two levels down (# -> h3), because on a page the
text sits under the page's h1 and a section's h2; a text that is a whole page's body (the network's own
pages) moves them one level (# -> h2).
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
    "hr",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
HEADING_SHIFT = 2


class _DemoteHeadings(Treeprocessor):
    def __init__(self, md, shift):
        super().__init__(md)
        self.shift = shift

    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + self.shift)}"


class DemoteHeadingsExtension(Extension):
    def __init__(self, shift=HEADING_SHIFT):
        super().__init__()
        self.shift = shift

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_DemoteHeadings(md, self.shift), "wspl_demote_headings", 5)


def render_markdown(text, heading_shift=HEADING_SHIFT):
    """Markdown -> sanitised HTML (a SafeString); empty text gives an empty string."""
    if not text:
        return mark_safe("")
    return _rendered(str(text), heading_shift)


# The HTML depends on the text alone, so the texts shown most often are converted once per process
# (about a millisecond each for a partnership's description): never out of date, bounded in memory.
@functools.lru_cache(maxsize=512)
def _rendered(text, heading_shift):
    extensions = ["sane_lists", DemoteHeadingsExtension(heading_shift)]
    html = markdown_lib.markdown(text, extensions=extensions, output_format="html")
    cleaned = nh3.clean(
        html,
        # Headings from the level the shift gives (h3–h6 in a coordinator's text): raw HTML cannot add an h1 or h2.
        tags=ALLOWED_TAGS | {f"h{level}" for level in range(1 + heading_shift, 7)},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (nh3 has just cleaned it against the allow-list)
