"""PostgreSQL: indexes that hold the ids a search reads for "in this district", so it reads no table rows.

A word that names a district ("zoliborz", "praga a wola") matches every event held at a place in
the district or organised by a partnership working there: tens of thousands of events at a hundred
times the city. The search reads their ids from indexes (Kind.matching()). The indexes Django made for
the foreign keys hold only the key, so PostgreSQL had to visit every such event row for its id, and
it read the whole table instead (100 ms a search). These indexes hold the id beside the key, so an
index-only scan gives the ids (a few ms).

The names start with search_, as every database object the search app owns.
"""

from importlib import import_module

from django.db import migrations

_indexes = import_module("search.migrations.0002_searchable_text_indexes")

INDEXES = {
    "search_events_event_place": "events_event (place_id, id)",
    "search_events_event_organisers_partnership": "events_event_organisers (partnership_id, event_id)",
    "search_members_organisation_district": "members_organisation (district_id, id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_word_triggers"),
        ("events", "0001_initial"),
        ("members", "0001_initial"),
    ]

    operations = [
        _indexes.PostgreSQLOnly(
            [f"CREATE INDEX IF NOT EXISTS {name} ON {definition}" for name, definition in INDEXES.items()],
            reverse_sql=[f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
        ),
    ]
