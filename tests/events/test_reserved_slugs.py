from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["archiwum", "kalendarz", "jak-subskrybowac", "rss", "atom"])
def test_event_slug_cannot_take_the_address_of_another_events_page(slug):
    start = timezone.now()
    event = Event(title="Spotkanie", slug=slug, start=start, end=start + timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "Ten adres zajmuje już inna strona wydarzeń" in str(error.value.message_dict["slug"])


def test_ordinary_event_slug_is_accepted():
    start = timezone.now()
    event = Event(title="Spotkanie", slug="spotkanie-sasiedzkie", start=start, end=start + timedelta(hours=1))

    event.full_clean()  # raises ValidationError if the slug were refused
    event.save()

    assert Event.objects.get(slug="spotkanie-sasiedzkie").get_absolute_url() == "/wydarzenia/spotkanie-sasiedzkie/"
