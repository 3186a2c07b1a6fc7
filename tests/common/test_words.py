"""The site's one rule for typed words (common/words.py), used by every search box."""

import pytest

from common.words import MIN_WORD_LENGTH, match_words, split_words
from partnerships.models import Partnership
from tests import factories

pytestmark = pytest.mark.django_db


def test_words_are_folded_trimmed_and_short_ones_left_out():
    words = split_words("  „Moje  WIERZBNO”, na Żoliborzu w  ")

    assert words.words == ("moje", "wierzbno", "zoliborzu")
    assert words.skipped == ("na", "w")
    assert MIN_WORD_LENGTH == 3


def test_only_short_words_leave_nothing_to_search_for():
    factories.partnership(name="Partnerstwo A")
    words = split_words("w a")

    assert not words
    assert words.skipped == ("w", "a")
    assert match_words(Partnership.objects.all(), "w a").count() == 1  # the queryset as it is, unfiltered


def test_punctuation_alone_is_searched_for_as_typed_and_nul_bytes_are_dropped():
    assert split_words("100%").words == ("100",)
    assert split_words("%%%").words == ("%%%",)
    assert split_words("Żolibo\x00rz").words == ("zoliborz",)


def test_at_most_eight_words_each_cut_to_sixty_characters():
    words = split_words(" ".join(f"slowo{n}" for n in range(12)) + " " + "x" * 100)

    assert len(words.words) == 8
    assert len(split_words("x" * 100).words[0]) == 60


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_match_words_needs_every_word_as_a_part_of_the_text_in_any_case_and_letters():
    factories.partnership(name="Żoliborz Oficerski")
    factories.partnership(name="Nasze Stegny", area="Sadyba")

    rows = Partnership.objects.all()

    assert names(match_words(rows, "ŻOLIB ofic")) == ["Żoliborz Oficerski"]  # prefixes, folded
    assert names(match_words(rows, "liborz")) == ["Żoliborz Oficerski"]  # a part of a word
    assert names(match_words(rows, "zoliborz stegny")) == []  # every word
    assert names(match_words(rows, "stegny na w")) == ["Nasze Stegny"]  # "na" and "w" are left out
    assert names(match_words(rows, "w")) == ["Nasze Stegny", "Żoliborz Oficerski"]  # nothing to narrow by


def test_match_words_looks_in_each_field_given_and_a_related_row_counts_once():
    factories.partnership(name="Sady Razem", districts=["zoliborz", "bielany"])
    factories.partnership(name="Nasze Stegny", districts=["mokotow"])

    rows = Partnership.objects.all()

    assert names(match_words(rows, "zoliborz", "search_text", "districts__search_text")) == ["Sady Razem"]
    assert names(match_words(rows, "sady bielany", "search_text", "districts__search_text")) == ["Sady Razem"]
    assert names(match_words(rows, "zoliborz")) == []  # in the district's name only


def test_wildcards_match_only_themselves():
    factories.partnership(name="Zniżka 50%-owa", slug="znizka-procent")
    factories.partnership(name="Zniżka 50-owa", slug="znizka")

    assert names(match_words(Partnership.objects.all(), "0%-o")) == ["Zniżka 50%-owa"]
    assert names(match_words(Partnership.objects.all(), "5_-o")) == []
