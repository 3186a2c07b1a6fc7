"""Coordinator rights and invitations, moved from the members app (its 0003 renamed their tables).

Only Django's state changes here; the content types follow, so permissions granted on them stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("coordinatoraccess", "invitation"):
        if not ContentType.objects.filter(app_label="partnerships", model=model).exists():
            ContentType.objects.filter(app_label="members", model=model).update(app_label="partnerships")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_historicalpartnership_districts_and_more"),
        ("members", "0003_move_coordinator_access_to_partnerships"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='CoordinatorAccess',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='nadano')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coordinator_accesses', to='partnerships.partnership', verbose_name='partnerstwo')),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='coordinator_accesses', to=settings.AUTH_USER_MODEL, verbose_name='konto')),
                ],
                options={
                    'verbose_name': 'uprawnienie koordynatora',
                    'verbose_name_plural': 'uprawnienia koordynatorów',
                    'constraints': [models.UniqueConstraint(fields=('user', 'partnership'), name='coordinator_access_unique')],
                },
            ),
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='e-mail')),
                    ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='skrót tokenu')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='wysłano')),
                    ('expires_at', models.DateTimeField(verbose_name='ważne do')),
                    ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='przyjęto')),
                    ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='wycofano')),
                    ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='accepted_invitations', to=settings.AUTH_USER_MODEL, verbose_name='konto')),
                    ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='zaprosił(a)')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='partnerships.partnership', verbose_name='partnerstwo')),
                ],
                options={
                    'verbose_name': 'zaproszenie',
                    'verbose_name_plural': 'zaproszenia',
                    'ordering': ['-created_at'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='invitation_expires_after_creation')],
                },
            ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
