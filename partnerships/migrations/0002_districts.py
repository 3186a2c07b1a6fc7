"""The 18 districts of Warsaw with their official names and ASCII slugs.

Population (1 January 2021), area in km² and the bank of the Vistula are
public facts; the sort key is computed here because historical models do not
run the model's save().
"""

from decimal import Decimal

from django.db import migrations

from common.text import make_slug, polish_sort_key

DISTRICTS = [
    ("Bemowo", 125270, "24.95", "left"),
    ("Białołęka", 132281, "73.04", "right"),
    ("Bielany", 130848, "32.34", "left"),
    ("Mokotów", 217424, "35.42", "left"),
    ("Ochota", 82018, "9.72", "left"),
    ("Praga-Południe", 180066, "22.38", "right"),
    ("Praga-Północ", 63442, "11.42", "right"),
    ("Rembertów", 24679, "19.30", "right"),
    ("Śródmieście", 111338, "15.57", "left"),
    ("Targówek", 124742, "24.22", "right"),
    ("Ursus", 62399, "9.36", "left"),
    ("Ursynów", 151288, "43.79", "left"),
    ("Wawer", 79078, "79.70", "right"),
    ("Wesoła", 25926, "22.94", "right"),
    ("Wilanów", 43423, "36.73", "left"),
    ("Włochy", 44343, "28.63", "left"),
    ("Wola", 142694, "19.26", "left"),
    ("Żoliborz", 52907, "8.47", "left"),
]


def create_districts(apps, schema_editor):
    District = apps.get_model("partnerships", "District")
    for name, population, area, bank in DISTRICTS:
        District.objects.update_or_create(
            slug=make_slug(name),
            defaults={
                "name": name,
                "sort_name": polish_sort_key(name),
                "population": population,
                "area_km2": Decimal(area),
                "bank": bank,
            },
        )


def remove_districts(apps, schema_editor):
    District = apps.get_model("partnerships", "District")
    District.objects.filter(slug__in=[make_slug(name) for name, *_ in DISTRICTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(create_districts, remove_districts)]
