"""An erased person's name leaves the word table too (members.services.person_erased).

The table's words are never removed otherwise (search/migrations/0003_word_triggers.py): a word no text holds any
more matches nothing. A name erased on request must not stay even so: each of its words that no searchable text
still contains (a conservative test: anywhere in a text) is deleted. PostgreSQL only, where the table exists.
"""

import re
from importlib import import_module

from django.db import connection

from .models import SearchWord

TABLES = import_module("search.migrations.0002_searchable_text_indexes").SEARCHABLE_TABLES


def forget_erased_words(sender, text, **kwargs):
    if connection.vendor != "postgresql":
        return
    for word in set(re.findall(r"[a-z0-9]{3,}", text)):
        pattern = f"%{word}%"
        still_used = " UNION ALL ".join(
            f"(SELECT 1 FROM {connection.ops.quote_name(table)} WHERE search_text LIKE %s LIMIT 1)" for table in TABLES
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS ({still_used})", [pattern] * len(TABLES))  # noqa: S608 (our table names)
            if not cursor.fetchone()[0]:
                SearchWord.objects.filter(word=word).delete()
