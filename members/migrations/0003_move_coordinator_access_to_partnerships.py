"""Coordinator rights and invitations move to the partnerships app, which decides who may edit a partnership.

The rows stay: the tables are renamed here, and partnerships' 0004 takes the models over in Django's state.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_organisation_count_indexes"),
        ("partnerships", "0003_historicalpartnership_districts_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("CoordinatorAccess", "partnerships_coordinatoraccess"),
                migrations.AlterModelTable("Invitation", "partnerships_invitation"),
            ],
            state_operations=[
                migrations.DeleteModel("CoordinatorAccess"),
                migrations.DeleteModel("Invitation"),
            ],
        ),
    ]
