"""PostgreSQL search: the unaccent and pg_trgm extensions and the indexes the search module uses.

Every searchable table gets two GIN indexes on its folded `search_text` column:
trigrams (LIKE '%word%' and word similarity for typos) and a full-text vector.
The expressions must stay exactly as `wspl_site/search.py` writes them, or
PostgreSQL will not use the indexes. On SQLite only the last step runs: it folds the
searchable text of the districts, which their data migration left empty.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from common.text import fold

SEARCHABLE_TABLES = [
    "partnerships_partnership",
    "partnerships_district",
    "partnerships_place",
    "partnerships_workinggroup",
    "partnerships_position",
    "members_organisation",
    "members_person",
    "events_event",
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_indexes():
    sql = []
    for table in SEARCHABLE_TABLES:
        sql.append(f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)")
        sql.append(
            f"CREATE INDEX IF NOT EXISTS {table}_search_fts ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, search_text))"
        )
    return sql


# The planner takes word similarity (the `%>` operator) for as cheap as `=`; it costs about
# 60 µs a row on long texts, so without a truer cost PostgreSQL reads whole tables instead
# of using the trigram index. Where the database user may not alter the extension's function
# (a trusted extension created by a non-superuser), the search still works, only slower.
SIMILARITY_COST = """
DO $$
BEGIN
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1000;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'word_similarity_commutator_op keeps its default cost (no privilege to change it)';
END
$$;
"""
SIMILARITY_COST_RESET = """
DO $$
BEGIN
    ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1;
EXCEPTION WHEN insufficient_privilege OR undefined_function THEN
    NULL;
END
$$;
"""


def drop_indexes():
    sql = []
    for table in SEARCHABLE_TABLES:
        sql.append(f"DROP INDEX IF EXISTS {table}_search_trgm")
        sql.append(f"DROP INDEX IF EXISTS {table}_search_fts")
    return sql


def fill_district_search_text(apps, schema_editor):
    """The districts come from a data migration, which does not run save(): fold their text here."""
    District = apps.get_model("partnerships", "District")
    for district in District.objects.filter(search_text=""):
        district.search_text = fold(f"{district.name} {district.description}".strip())
        district.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_districts"),
        ("members", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        PostgreSQLOnly(create_indexes(), reverse_sql=drop_indexes()),
        PostgreSQLOnly(SIMILARITY_COST, reverse_sql=SIMILARITY_COST_RESET),
        migrations.RunPython(fill_district_search_text, migrations.RunPython.noop),
    ]
