"""Days in words, in the active language, for the agenda's cards and the month's grid."""

import functools
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language


class DayWords(NamedTuple):
    weekday: str  # "wtorek"
    month: str  # "kwietnia": the month as it follows a day's number
    date: str  # "14 kwietnia 2026"
    long: str  # "Wtorek, 14 kwietnia"


def day_words(day):
    """The words of a date in the active language. A page names the same few dozen days many times (a month's
    grid, an agenda's cards), and a date in words depends on nothing else: made once per process (a bounded LRU)."""
    return _day_words(day, get_language())


@functools.lru_cache(maxsize=4096)
def _day_words(day, language):
    return DayWords(
        date_format(day, "l"), date_format(day, "E"), date_format(day, "j E Y"), capfirst(date_format(day, "l, j E"))
    )
