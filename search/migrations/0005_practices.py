"""PostgreSQL: good practices become searchable like the other kinds: the three GIN indexes on their folded text
(trigrams, full text, the start that is the title), the same statistics target, and the triggers that add their
words to the table of words (search/0002 and search/0003 explain each). On SQLite nothing runs."""

from importlib import import_module

from django.db import migrations

_indexes = import_module("search.migrations.0002_searchable_text_indexes")
_words = import_module("search.migrations.0003_word_triggers")

TABLE = "practices_practice"
NAME_LENGTH = "length(title)"


def create():
    sql = [
        f"CREATE INDEX IF NOT EXISTS search_{TABLE}_{suffix} ON {TABLE} {definition}"
        for suffix, definition in _indexes.INDEXES.items()
    ]
    sql.append(
        f"CREATE INDEX IF NOT EXISTS search_{TABLE}_name_trgm ON {TABLE} "
        f"USING gin ((substring(search_text, 1, {NAME_LENGTH})) gin_trgm_ops)"
    )
    sql += [
        f"ALTER TABLE {TABLE} ALTER COLUMN search_text SET STATISTICS {_indexes.STATISTICS_TARGET}",
        f"ANALYZE {TABLE}",
        f"DROP TRIGGER IF EXISTS search_words_insert ON {TABLE}",
        f"CREATE TRIGGER search_words_insert AFTER INSERT ON {TABLE} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_add_words()",
        f"DROP TRIGGER IF EXISTS search_words_update ON {TABLE}",
        f"CREATE TRIGGER search_words_update AFTER UPDATE ON {TABLE} "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_add_changed_words()",
        _words.words_of(TABLE),
    ]
    return sql


def drop():
    return [
        *(f"DROP TRIGGER IF EXISTS search_words_{event} ON {TABLE}" for event in ("insert", "update")),
        f"ALTER TABLE {TABLE} ALTER COLUMN search_text SET STATISTICS -1",
        *(f"DROP INDEX IF EXISTS search_{TABLE}_{suffix}" for suffix in [*_indexes.INDEXES, "name_trgm"]),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_district_id_indexes"),
        ("practices", "0002_topics"),
    ]

    operations = [_indexes.PostgreSQLOnly(create(), reverse_sql=drop())]
