from django.db import migrations

# The topics good practices start with; staff add, rename and reorder them in the admin.
TOPICS = [
    ("dom-sasiedzki", "dom sąsiedzki", "neighbourhood house"),
    ("komunikacja-z-mieszkancami", "komunikacja z mieszkańcami", "communicating with residents"),
    ("wspolpraca-z-urzedem", "współpraca z urzędem", "working with the district office"),
    ("finansowanie", "finansowanie", "funding"),
    ("seniorzy", "seniorzy", "older people"),
    ("dzieci-i-mlodziez", "dzieci i młodzież", "children and young people"),
    ("przestrzen-publiczna", "przestrzeń publiczna", "public space"),
    ("diagnoza-potrzeb", "diagnoza potrzeb", "finding out local needs"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("practices", "Topic")
    for order, (slug, name, name_en) in enumerate(TOPICS):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_practices")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
