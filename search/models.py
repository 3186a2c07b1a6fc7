"""The search's own table: the distinct words of the site's searchable texts (PostgreSQL only)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of some searchable text, for typo matching: a typed word is compared with these words
    (pg_trgm's word similarity, on the trigram index) instead of with whole texts.

    Rows are written only by the triggers of the migration `search/0003_word_triggers` (saves, bulk
    writes and raw SQL alike); the search only reads them. The word has no unique constraint on
    purpose: with one, a transaction adding a new word would wait for (or deadlock with) another that
    added the same word and has not committed yet; without it a race at worst keeps a word twice,
    and the search drops repeats. The table exists on PostgreSQL only, where typos are matched.
    """

    word = models.TextField(_("słowo"))

    class Meta:
        verbose_name = _("słowo wyszukiwania")
        verbose_name_plural = _("słowa wyszukiwania")
        required_db_vendor = "postgresql"
        indexes = [
            models.Index(fields=["word"], name="search_word"),
            GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_word_trgm"),
        ]

    def __str__(self):
        return self.word
