"""PostgreSQL: less planning per search.

To estimate how many rows a word matches, the planner runs word similarity (`%>`) and
LIKE over every sample value ANALYZE keeps of `search_text`: a hundred long texts per
condition by default, 30 ms of planning for one search over the eight kinds at a hundred
times the city, more than running it. With five sampled values the planner falls back to
its fixed estimates for these conditions, which serve the indexes as well; the search's
plans stay the same and planning takes a few milliseconds.
"""

from importlib import import_module

from django.db import migrations

# The tables and the PostgreSQL-only operation of the migration that made the search indexes.
_search_tables = import_module("search.migrations.0001_search_indexes")

STATISTICS_TARGET = 5


def statistics(target):
    sql = []
    for table in _search_tables.SEARCHABLE_TABLES:
        sql.append(f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS {target}")
        sql.append(f"ANALYZE {table}")
    return sql


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_indexes")]

    operations = [
        _search_tables.PostgreSQLOnly(statistics(STATISTICS_TARGET), reverse_sql=statistics(-1)),
    ]
