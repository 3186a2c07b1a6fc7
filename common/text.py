"""Text helpers shared by every app: Polish sort keys and slugs."""

import re
import unicodedata

from slugify import slugify

# The Polish alphabet in its dictionary order; q, v and x are there for foreign names.
POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_DIGITS = "0123456789"
_CODES = {" ": "01"}
_CODES.update({digit: f"{2 + i:02d}" for i, digit in enumerate(_DIGITS)})
_CODES.update({letter: f"{12 + i:02d}" for i, letter in enumerate(POLISH_ALPHABET)})


def _base_letter(char):
    """Fold a letter outside the Polish alphabet (é, ü, ß…) to its ASCII base."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def polish_sort_key(text):
    """A key that sorts names in Polish dictionary order in any database.

    Ś comes after S, Ł after L, Ż last. The key is made of digit pairs only,
    so it compares the same way under SQLite's BINARY collation and under any
    PostgreSQL collation, and an ordinary index serves it. Punctuation
    (quotes around names such as „Moje Wierzbno”) is ignored; runs of spaces
    and hyphens count as one space, so "Praga-Południe" sorts as "Praga Południe".
    """
    codes = []
    previous_space = True
    for char in (text or "").lower():
        if char in _CODES and char != " ":
            codes.append(_CODES[char])
            previous_space = False
            continue
        if char.isspace() or char in "-–—_/":
            if not previous_space:
                codes.append(_CODES[" "])
                previous_space = True
            continue
        for folded in _base_letter(char):
            if folded in _CODES and folded != " ":
                codes.append(_CODES[folded])
                previous_space = False
    while codes and codes[-1] == _CODES[" "]:
        codes.pop()
    return "".join(codes)[:500]


def make_slug(text, max_length=80):
    """An ASCII slug: "Żoliborz Oficerski" -> "zoliborz-oficerski"."""
    return slugify(text or "", max_length=max_length, word_boundary=True) or "x"


def fold(text):
    """Lower-case text without Polish diacritics, for matching typed queries."""
    text = (text or "").lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Street abbreviations in Warsaw addresses and their written-out words: "plac Wilsona" finds "pl. Wilsona".
STREET_WORDS = {"ul": "ulica", "pl": "plac", "al": "aleja aleje", "os": "osiedle", "skw": "skwer"}
_STREET_ABBREVIATION = re.compile(r"\b(" + "|".join(STREET_WORDS) + r")\.")


def with_street_words(folded):
    """Folded text with the written-out words of the street abbreviations it holds added at its end."""
    found = dict.fromkeys(STREET_WORDS[abbreviation] for abbreviation in _STREET_ABBREVIATION.findall(folded))
    return " ".join([folded, *found]) if found else folded
