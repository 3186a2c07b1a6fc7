"""PostgreSQL: the words of every searchable text, for typo matching.

A typed word with a small typo ("bibloteka") used to be matched with word similarity over the
whole searchable text of each row (`search_text %> 'bibloteka'`). The trigram index only narrows
that to the rows sharing a few trigrams with the word, and for a common word that is tens of
thousands of long texts to compare one by one (seconds at a hundred times the city). pg_trgm's
documentation advises a table of the distinct words instead: the search looks up the words close
to the typed one there (a few milliseconds on its own trigram index) and matches the rows that
contain one of them with the full-text index, as it matches any word.

The table is kept by statement-level triggers on every searchable table, so any write adds its
words: saves, bulk inserts and updates, the admin, raw SQL (an update only for the rows whose text
changed). Words are never removed: a word no text holds any more matches nothing. Only words of
letters and digits with a letter, three characters or more, are kept. The word column has no unique
constraint on purpose: with one, a transaction adding a new word would wait for (or deadlock with)
another that added the same word and has not committed yet; without it, such a race at worst keeps
a word twice, and the search reads distinct words.
"""

from importlib import import_module

from django.db import migrations

# The tables and the PostgreSQL-only operation of the migration that made the search indexes.
_search_tables = import_module("search.migrations.0001_search_indexes")


def words_of(rows, source=None, condition=""):
    """INSERT of the words of `rows`.search_text (read from `source`, `rows` by default) not in the table yet."""
    return f"""
    INSERT INTO wspl_site_searchword (word)
    SELECT DISTINCT found.word
    FROM {source or rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {rows}.search_text))) AS found(word)
    WHERE length(found.word) >= 3 AND found.word ~ '^[a-z0-9]+$' AND found.word ~ '[a-z]' {condition}
    AND NOT EXISTS (SELECT 1 FROM wspl_site_searchword AS kept WHERE kept.word = found.word)
    """


# An update adds the words of the rows whose text it changed (a publish action changes none).
CHANGED_ROWS = "new_rows JOIN old_rows ON old_rows.id = new_rows.id"
CHANGED = "AND new_rows.search_text IS DISTINCT FROM old_rows.search_text"

CREATE = [
    "CREATE TABLE wspl_site_searchword (word text NOT NULL)",
    "CREATE INDEX wspl_site_searchword_word ON wspl_site_searchword (word)",
    "CREATE INDEX wspl_site_searchword_trgm ON wspl_site_searchword USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION wspl_site_add_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {words_of("new_rows")};
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE FUNCTION wspl_site_add_changed_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {words_of("new_rows", CHANGED_ROWS, CHANGED)};
        RETURN NULL;
    END
    $$
    """,
]
for table in _search_tables.SEARCHABLE_TABLES:
    CREATE += [
        f"CREATE TRIGGER {table}_search_words_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION wspl_site_add_search_words()",
        f"CREATE TRIGGER {table}_search_words_update AFTER UPDATE ON {table} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION wspl_site_add_changed_search_words()",
        words_of(table),
    ]
CREATE.append("ANALYZE wspl_site_searchword")

DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event} ON {table}"
        for table in _search_tables.SEARCHABLE_TABLES
        for event in ("insert", "update")
    ),
    "DROP FUNCTION IF EXISTS wspl_site_add_search_words()",
    "DROP FUNCTION IF EXISTS wspl_site_add_changed_search_words()",
    "DROP TABLE IF EXISTS wspl_site_searchword",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_statistics")]

    operations = [_search_tables.PostgreSQLOnly(CREATE, reverse_sql=DROP)]
