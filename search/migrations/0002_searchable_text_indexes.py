"""PostgreSQL: the search's indexes on the searchable tables of other apps, and what the planner needs.

Every searchable table gets three GIN indexes on its folded `search_text` column, named after the
search app that owns them: `search_<table>_trgm` (trigrams: LIKE '%word%' and word similarity for
typos), `search_<table>_fts` (a full-text vector) and `search_<table>_name_trgm` (trigrams of the
start of the text that is the name, for ranking names first). The expressions must stay exactly as
`search/engine.py` writes them, or PostgreSQL will not use the indexes.

A database migrated before the search was an app of its own has the same indexes as
`<table>_search_trgm` and `<table>_search_fts`: they are renamed, not built again.

On SQLite only the last step runs: it folds the searchable text of the districts, which their
data migration left empty.
"""

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


INDEXES = {
    "trgm": "USING gin (search_text gin_trgm_ops)",
    "fts": "USING gin (to_tsvector('simple'::regconfig, search_text))",
}

# The length of each table's name in `search_text`, which starts with the name (SearchableMixin):
# the search ranks names that hold every typed word first and finds them with a trigram index on
# this start of the text, `search_<table>_name_trgm` (Kind.folded_name() in the engine).
NAME_LENGTH = {
    "partnerships_partnership": "length(name)",
    "partnerships_district": "length(name)",
    "partnerships_place": "length(name)",
    "partnerships_workinggroup": "length(name)",
    "partnerships_position": "length(title)",
    "members_organisation": "length(name)",
    "members_person": "(length(first_name) + 1) + length(last_name)",
    "events_event": "length(title)",
}


def create_indexes():
    sql = []
    for table in SEARCHABLE_TABLES:
        for suffix, definition in INDEXES.items():
            sql.append(f"ALTER INDEX IF EXISTS {table}_search_{suffix} RENAME TO search_{table}_{suffix}")
            sql.append(f"CREATE INDEX IF NOT EXISTS search_{table}_{suffix} ON {table} {definition}")
        sql.append(
            f"CREATE INDEX IF NOT EXISTS search_{table}_name_trgm ON {table} "
            f"USING gin ((substring(search_text, 1, {NAME_LENGTH[table]})) gin_trgm_ops)"
        )
    return sql


def drop_indexes():
    return [
        f"DROP INDEX IF EXISTS search_{table}_{suffix}"
        for table in SEARCHABLE_TABLES
        for suffix in [*INDEXES, "name_trgm"]
    ]


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

# To estimate how many rows a word matches, the planner runs word similarity (`%>`) and LIKE over
# every sample value ANALYZE keeps of `search_text`: a hundred long texts per condition by default,
# 30 ms of planning for one search over the eight kinds at a hundred times the city, more than
# running it. With five sampled values the planner falls back to its fixed estimates for these
# conditions, which serve the indexes as well; the plans stay the same and planning takes a few ms.
STATISTICS_TARGET = 5


def statistics(target):
    sql = []
    for table in SEARCHABLE_TABLES:
        sql.append(f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS {target}")
        sql.append(f"ANALYZE {table}")
    return sql


def fill_district_search_text(apps, schema_editor):
    """The districts come from a data migration, which does not run save(): fold their text here."""
    District = apps.get_model("partnerships", "District")
    for district in District.objects.filter(search_text=""):
        district.search_text = fold(f"{district.name} {district.description}".strip())
        district.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("partnerships", "0002_districts"),
        ("members", "0001_initial"),
        ("events", "0001_initial"),
    ]

    operations = [
        PostgreSQLOnly(create_indexes(), reverse_sql=drop_indexes()),
        PostgreSQLOnly(SIMILARITY_COST, reverse_sql=SIMILARITY_COST_RESET),
        PostgreSQLOnly(statistics(STATISTICS_TARGET), reverse_sql=statistics(-1)),
        migrations.RunPython(fill_district_search_text, migrations.RunPython.noop),
    ]
