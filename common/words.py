"""The one rule for matching typed words, used by every search box of the site.

The site search, the directory filters and the coordinator's search for an organisation all read
what the visitor typed the same way:

* the text is folded like the searchable columns (`common.text.fold`: "ŻOLIBORZ" -> "zoliborz");
* quotes and commas around a word do not count („Moje Wierzbno”, "Wola,");
* words shorter than MIN_WORD_LENGTH ("a", "w", "na") are left out: as a part of a word they occur in
  nearly every text, so they would narrow nothing and cost a scan of every row;
* at most MAX_WORDS words, each cut to MAX_WORD_LENGTH characters;
* a word matches where it occurs in the text, also as the start or a part of a longer word
  ("moko" finds "Mokotów");
* every word must match (in any one of the fields given).

It knows no model: it takes a queryset or field names and the typed text.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from .text import fold

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 60
MIN_WORD_LENGTH = 3
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class Words:
    """The typed text split into the folded words that are searched for and the ones left out."""

    raw: str
    words: tuple
    skipped: tuple = ()

    def __bool__(self):
        return bool(self.words)


def split_words(text):
    """`text` as Words: folded, trimmed of the punctuation around each word, without repeats.

    A word of punctuation only is searched for as typed when there is nothing else ("%", "_").
    """
    if isinstance(text, Words):
        return text
    raw = str(text or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    typed = fold(raw).split()
    trimmed = [word for word in (_EDGE_PUNCTUATION.sub("", word) for word in typed) if word]
    words = tuple(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in trimmed or typed))
    return Words(
        raw=raw,
        words=tuple(word for word in words if len(word) >= MIN_WORD_LENGTH)[:MAX_WORDS],
        skipped=tuple(word for word in words if len(word) < MIN_WORD_LENGTH),
    )


def word_condition(word, fields):
    """One folded word occurs in one of `fields` (lookups such as "search_text" or "district__search_text")."""
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__contains": word})
    return condition


def match_words(queryset, text, *fields):
    """The rows of `queryset` in which every word of `text` occurs, each in one of `fields` ("search_text"
    by default); the queryset as it is when no word is long enough to search for.

    A field reached through a relation ("districts__search_text") is matched in a subquery of the
    queryset's model, so a row in two matching districts still comes once.
    """
    fields = fields or ("search_text",)
    own = tuple(field for field in fields if "__" not in field)
    related = tuple(field for field in fields if "__" in field)
    every_word = Q()
    for word in split_words(text).words:
        condition = word_condition(word, own)
        if related:
            rows = queryset.model._default_manager.filter(word_condition(word, related))
            condition |= Q(pk__in=rows.values("pk"))
        every_word &= condition
    return queryset.filter(every_word) if every_word else queryset
