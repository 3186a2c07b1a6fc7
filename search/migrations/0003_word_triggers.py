"""PostgreSQL: the words of every searchable text, for typo matching, kept by triggers.

A typed word with a small typo ("bibloteka") used to be matched with word similarity over the
whole searchable text of each row (`search_text %> 'bibloteka'`). The trigram index only narrows
that to the rows sharing a few trigrams with the word, and for a common word that is tens of
thousands of long texts to compare one by one (seconds at a hundred times the city). pg_trgm's
documentation advises a table of the distinct words instead (`search_searchword`, the model
SearchWord): the search looks up the words close to the typed one there (a few milliseconds on
its own trigram index) and matches the rows that contain one of them with the full-text index.

The table is kept by statement-level triggers on every searchable table (`search_words_insert`,
`search_words_update`, calling `search_add_words()` and `search_add_changed_words()`), so any
write adds its words: saves, bulk inserts and updates, the admin, raw SQL (an update only for the
rows whose text changed). Words are never removed: a word no text holds any more matches nothing.
Only words of letters and digits with a letter, three characters or more, are kept.

A database migrated before the search was an app of its own has the same triggers, functions and
table under the project package's names (`<table>_search_words_*`, `wspl_site_add_*search_words()`,
`wspl_site_searchword`): they are dropped, and the new table is filled from the texts.
"""

from importlib import import_module

from django.db import migrations

# The tables and the PostgreSQL-only operation of the migration that made the search indexes.
_indexes = import_module("search.migrations.0002_searchable_text_indexes")
TABLES = _indexes.SEARCHABLE_TABLES


def words_of(rows, source=None, condition=""):
    """INSERT of the words of `rows`.search_text (read from `source`, `rows` by default) not in the table yet."""
    return f"""
    INSERT INTO search_searchword (word)
    SELECT DISTINCT found.word
    FROM {source or rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {rows}.search_text))) AS found(word)
    WHERE length(found.word) >= 3 AND found.word ~ '^[a-z0-9]+$' AND found.word ~ '[a-z]' {condition}
    AND NOT EXISTS (SELECT 1 FROM search_searchword AS kept WHERE kept.word = found.word)
    """


# An update adds the words of the rows whose text it changed (a publish action changes none).
CHANGED_ROWS = "new_rows JOIN old_rows ON old_rows.id = new_rows.id"
CHANGED = "AND new_rows.search_text IS DISTINCT FROM old_rows.search_text"

DROP_OLD = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event} ON {table}"
        for table in TABLES
        for event in ("insert", "update")
    ),
    "DROP FUNCTION IF EXISTS wspl_site_add_search_words()",
    "DROP FUNCTION IF EXISTS wspl_site_add_changed_search_words()",
    "DROP TABLE IF EXISTS wspl_site_searchword",
]

CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION search_add_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {words_of("new_rows")};
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION search_add_changed_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {words_of("new_rows", CHANGED_ROWS, CHANGED)};
        RETURN NULL;
    END
    $$
    """,
]
for table in TABLES:
    CREATE += [
        f"DROP TRIGGER IF EXISTS search_words_insert ON {table}",
        f"CREATE TRIGGER search_words_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_add_words()",
        f"DROP TRIGGER IF EXISTS search_words_update ON {table}",
        f"CREATE TRIGGER search_words_update AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_add_changed_words()",
        words_of(table),
    ]
CREATE.append("ANALYZE search_searchword")

DROP = [
    *(f"DROP TRIGGER IF EXISTS search_words_{event} ON {table}" for table in TABLES for event in ("insert", "update")),
    "DROP FUNCTION IF EXISTS search_add_words()",
    "DROP FUNCTION IF EXISTS search_add_changed_words()",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_searchable_text_indexes")]

    operations = [
        _indexes.PostgreSQLOnly(DROP_OLD, reverse_sql=migrations.RunSQL.noop),
        _indexes.PostgreSQLOnly(CREATE, reverse_sql=DROP),
    ]
