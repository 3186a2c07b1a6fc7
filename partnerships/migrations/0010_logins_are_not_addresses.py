"""Accounts whose login is an e-mail address get a login made of their name: logins show in the coordinator area
and the history, addresses must not. The address still signs in (coordinator/auth.py)."""

from django.conf import settings
from django.db import migrations
from slugify import slugify


def rename_logins(apps, schema_editor):
    user_model = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    taken = {name.lower() for name in user_model.objects.values_list("username", flat=True)}
    for user in user_model.objects.filter(username__contains="@").order_by("pk"):
        name = f"{user.first_name} {user.last_name}".strip() or "koordynator"
        base = slugify(name, max_length=30, word_boundary=True, separator=".") or "koordynator"
        login, number = base, 1
        while login in taken:
            number += 1
            login = f"{base}{number}"
        taken.add(login)
        user.username = login
        user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_coordinator_rights_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(rename_logins, migrations.RunPython.noop)]
