"""`bench/scale_data.py` at a small size: a consistent generated network, and no harm to real data."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from bench.scale import SLUG_PREFIX
from bench.scale_data import main
from events.models import Event, Occurrence
from members.models import ContactConsent, Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership, Place
from tests import factories

pytestmark = pytest.mark.django_db

SMALL = ["--partnerships", "12", "--organisations", "60", "--events", "150"]


def run(*args):
    out = StringIO()
    main([*SMALL, *args], out=out)
    return out.getvalue()


def test_builds_a_network_of_the_asked_size_with_progress_output():
    output = run()

    assert Partnership.objects.count() == 12
    assert Organisation.objects.count() == 60
    assert Event.objects.count() == 150
    assert Place.objects.count() == 24 and Person.objects.count() == 36
    assert PartnershipRole.objects.count() == 36
    assert Membership.objects.count() >= 60
    assert "organisations: 60" in output and "events: 150/150" in output
    # Every published contact has its consent on record, as the site's own writes leave it.
    published = Person.objects.filter(public_contact=True)
    assert set(ContactConsent.objects.values_list("person", flat=True)) == set(published.values_list("pk", flat=True))
    assert published.exists()


def test_every_generated_row_is_marked_and_has_its_derived_columns():
    run()

    for model in (Partnership, Organisation, Event, Place, Person):
        assert not model.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
        assert not model.objects.filter(sort_name="").exists()
        assert not model.objects.filter(search_text="").exists()


def test_dates_are_the_ones_the_events_would_get_from_save():
    run()
    before = {(o.event_id, o.start, o.end) for o in Occurrence.objects.all()}

    for event in Event.objects.all():
        event.rebuild_occurrences()

    assert {(o.event_id, o.start, o.end) for o in Occurrence.objects.all()} == before
    assert Event.objects.exclude(recurrence="").exists()
    assert Occurrence.objects.count() > Event.objects.count()


def test_the_network_has_co_organised_and_network_wide_events():
    run()

    per_event = Event.organisers.through.objects.values("event").order_by().annotate(n=Count("pk"))
    assert per_event.filter(n__gt=1).exists()
    assert Event.objects.filter(organisers__isnull=True).exists()


def test_generated_pages_are_served(client):
    run()
    partnership = Partnership.objects.public().first()

    listing = client.get(reverse("partnerships:list"))
    detail = client.get(partnership.get_absolute_url())

    assert listing.status_code == 200 and detail.status_code == 200
    assert partnership.name in detail.content.decode()


def test_refuses_a_database_with_real_data_unless_forced():
    real = factories.partnership(name="Partnerstwo Stegny")

    with pytest.raises(SystemExit, match="nie wygenerowało to polecenie \\(partnerstwa: 1\\)"):
        run()
    assert Event.objects.count() == 0

    run("--force")
    run("--force")
    assert Partnership.objects.exclude(slug__startswith=SLUG_PREFIX).get() == real
    assert Partnership.objects.count() == 13 and Event.objects.count() == 150


def test_running_again_replaces_the_generated_network_instead_of_doubling_it():
    run()
    models = (Occurrence, Membership, PartnershipRole, Place, Person, ContactConsent)
    first = [model.objects.count() for model in models]
    output = run()

    assert "Usuwam poprzednio wygenerowaną sieć" in output
    assert "deleted 150 rows of events_event" in output
    assert Partnership.objects.count() == 12 and Event.objects.count() == 150
    assert [model.objects.count() for model in models] == first


def test_runs_as_a_program_and_says_what_a_wrong_size_is(tmp_path):
    script = Path(settings.BASE_DIR) / "bench" / "scale_data.py"

    usage = subprocess.run([sys.executable, script, "--help"], capture_output=True, text=True, check=True).stdout
    wrong = subprocess.run([sys.executable, script, "--events", "0"], capture_output=True, text=True, check=False)

    assert "--partnerships" in usage and "--force" in usage and "Liczba wydarzeń." in usage
    assert wrong.returncode == 2 and "--events: invalid positive value: '0'" in wrong.stderr
