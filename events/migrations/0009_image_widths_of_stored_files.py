"""The widths of the images stored before they were kept in the database, read once from each file's header.

Pages take the width from the database to know which resized copies exist (common/images.py). A file that is
missing or unreadable keeps an unknown width: its page then shows the original without a srcset.
"""

from django.db import migrations

from common.images import fill_widths


def fill(apps, schema_editor):
    fill_widths(apps.get_model("events", "Event"), ["image"])


class Migration(migrations.Migration):
    dependencies = [("events", "0008_image_widths")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
