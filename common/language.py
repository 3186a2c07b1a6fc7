"""Texts people wrote stay Polish on the English pages, and the element that holds them says so: lang="pl".

A screen reader then reads a partnership's description or an event's title with Polish pronunciation on /en/
(WCAG 3.1.2, language of parts). On Polish pages nothing is added.

The rule, the same on every page: what people wrote as text carries the mark (descriptions, summaries, goals,
the area in words, notes, titles of events and positions, names of working groups, reasons for cancelling,
audiences, search snippets); the names of partnerships, organisations, places, people and districts do not.
Those are proper names, which WCAG 3.1.2 leaves as they are ("Dla Rudawki i Zatrasia" is read as a name in
either language), while an event's title or a working group's name ("Zespół ds. komunikacji") is a phrase a
visitor must understand. Addresses count as names.

Templates use `{% content_lang %}` (the attribute, on the element that holds the text) and `|in_polish` (a text
inside a sentence, wrapped in a <span>), from common/templatetags/wspl_content.py; HTML written in Python (the
event and partnership cards, a map's list of places) calls the functions below.
"""

from html import escape

from django.utils.translation import get_language

# The language of what coordinators and staff write (the site's first language).
CONTENT_LANGUAGE = "pl"


def lang_attribute(language=CONTENT_LANGUAGE):
    """' lang="pl"' when the page's language is not `language`, else "" (also for an empty `language`).

    `language` is a code from settings.LANGUAGES (a text's own language, e.g. a network page's).
    """
    if not language or language == (get_language() or CONTENT_LANGUAGE):
        return ""
    return f' lang="{escape(language)}"'


def in_polish(escaped):
    """Escaped text as Polish inside a sentence: <span lang="pl">…</span> on pages in another language."""
    attribute = lang_attribute()
    return f"<span{attribute}>{escaped}</span>" if attribute else escaped
