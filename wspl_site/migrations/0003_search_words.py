"""PostgreSQL: the words of every searchable text, for typo matching.

A typed word with a small typo ("bibloteka") used to be matched with word similarity over the
whole searchable text of each row (`search_text %> 'bibloteka'`). The trigram index only narrows
that to the rows sharing a few trigrams with the word, and for a common word that is tens of
thousands of long texts to compare one by one (seconds at a hundred times the city). pg_trgm's
documentation advises a table of the distinct words instead: the search looks up the words close
to the typed one there (a few milliseconds on its own trigram index) and matches the rows that
contain one of them with the full-text index, as it matches any word.

The table is kept by statement-level triggers on every searchable table, so any write adds its
words: saves, bulk inserts and updates, the admin, raw SQL. Words are never removed: a word no
text holds any more matches nothing, and the table stays as small as the language of the site.
Only words of letters and digits with a letter, three characters or more, are kept.
"""

from importlib import import_module

from django.db import migrations

# The tables and the PostgreSQL-only operation of the migration that made the search indexes.
_search_tables = import_module("wspl_site.migrations.0001_search_indexes")

WORDS_OF = """
SELECT DISTINCT word
FROM {rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {rows}.search_text))) AS word
WHERE length(word) >= 3 AND word ~ '^[a-z0-9]+$' AND word ~ '[a-z]'
"""

CREATE = [
    "CREATE TABLE wspl_site_searchword (word text PRIMARY KEY)",
    "CREATE INDEX wspl_site_searchword_trgm ON wspl_site_searchword USING gin (word gin_trgm_ops)",
    f"""
    CREATE FUNCTION wspl_site_add_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO wspl_site_searchword (word) {WORDS_OF.format(rows="new_rows")} ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
]
for table in _search_tables.SEARCHABLE_TABLES:
    for event in ("INSERT", "UPDATE"):
        CREATE.append(
            f"CREATE TRIGGER {table}_search_words_{event.lower()} AFTER {event} ON {table} "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wspl_site_add_search_words()"
        )
    CREATE.append(f"INSERT INTO wspl_site_searchword (word) {WORDS_OF.format(rows=table)} ON CONFLICT DO NOTHING")
CREATE.append("ANALYZE wspl_site_searchword")

DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_words_{event} ON {table}"
        for table in _search_tables.SEARCHABLE_TABLES
        for event in ("insert", "update")
    ),
    "DROP FUNCTION IF EXISTS wspl_site_add_search_words()",
    "DROP TABLE IF EXISTS wspl_site_searchword",
]


class Migration(migrations.Migration):
    dependencies = [("wspl_site", "0002_search_statistics")]

    operations = [_search_tables.PostgreSQLOnly(CREATE, reverse_sql=DROP)]
