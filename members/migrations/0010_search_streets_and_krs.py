"""Searchable text gains the written-out words of street abbreviations ("pl. Wilsona" is found by "plac Wilsona")
and organisations' KRS numbers: the stored text of existing rows is brought up to what save() now writes."""

from django.db import migrations

from common.text import with_street_words


def refresh(apps, schema_editor):
    for label in ("partnerships.Place", "partnerships.Partnership", "members.Organisation"):
        model = apps.get_model(label)
        for row in model.objects.filter(search_text__regex=r"(ul|pl|al|os|skw)\.").only("search_text").iterator():
            model.objects.filter(pk=row.pk).update(search_text=with_street_words(row.search_text))
    organisation = apps.get_model("members", "Organisation")
    for row in organisation.objects.exclude(krs="").only("search_text", "krs").iterator():
        if row.krs not in row.search_text:
            organisation.objects.filter(pk=row.pk).update(search_text=f"{row.search_text} {row.krs}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_person_role_names"),
        ("partnerships", "0010_logins_are_not_addresses"),
    ]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
