"""The search's own objects, first: PostgreSQL's unaccent and pg_trgm extensions (no-ops on SQLite)
and the table of the words of the site's texts (created on PostgreSQL only, see SearchWord).

The search's objects were made by the project package's migrations (`wspl_site` 0001-0003) before
the search became an app of its own; the search app's migrations make them again, under its own
names, and remove the old ones where they exist (see 0002 and 0003).
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.TextField(verbose_name="słowo")),
            ],
            options={
                "verbose_name": "słowo wyszukiwania",
                "verbose_name_plural": "słowa wyszukiwania",
                "required_db_vendor": "postgresql",
                "indexes": [
                    models.Index(fields=["word"], name="search_word"),
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass("word", name="gin_trgm_ops"), name="search_word_trgm"
                    ),
                ],
            },
        ),
    ]
