"""The cheap choice labels and slug addresses give exactly what Django's own get_FOO_display() and reverse() give."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from common.choices import choice_label
from common.links import slug_url
from events.models import Event, Occurrence
from members.models import Membership, Organisation, PartnershipRole
from partnerships.models import District, Partnership

OVERRIDDEN = [
    (Event, "kind"),
    (Event, "status"),
    (Occurrence, "status"),
    (Organisation, "sector"),
    (Membership, "role"),
    (PartnershipRole, "role"),
    (Partnership, "kind"),
    (Partnership, "status"),
    (Partnership, "formal_status"),
    (District, "bank"),
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("model", "name"), OVERRIDDEN)
def test_every_choice_shows_the_label_django_would_show(model, name, language):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value, label in field.flatchoices:
            row = model(**{name: value})
            assert getattr(row, f"get_{name}_display")() == str(label)
        # A value no longer among the choices shows as it is.
        assert getattr(model(**{name: "gone"}), f"get_{name}_display")() == "gone"


def test_a_label_is_translated_when_it_is_read():
    assert choice_label(Organisation.Sector, "ngo") == "organizacja pozarządowa"
    with translation.override("en"):
        assert choice_label(Organisation.Sector, "ngo") == "non-governmental organisation"


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "viewname",
    [
        "events:detail",
        "members:organisation_detail",
        "partnerships:detail",
        "partnerships:district_detail",
        "partnerships:place_detail",
        "partnerships:working_group_detail",
        "partnerships:position_detail",
    ],
)
def test_slug_address_is_the_reversed_address_in_each_language(viewname, language):
    with translation.override(language):
        for slug in ("zoliborz", "a-1_b", "slug-mark"):
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


def test_model_addresses_follow_the_language():
    organisation = Organisation(slug="dom-kultury")
    polish = organisation.get_absolute_url()
    with translation.override("en"):
        english = organisation.get_absolute_url()
    assert polish != english and english.startswith("/en/") and polish.endswith("/dom-kultury/")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_dated_address_is_the_reversed_address(language):
    with translation.override(language):
        for day in (date(2026, 4, 14), date(1111, 11, 11), date(2100, 12, 31)):
            expected = reverse("events:occurrence", kwargs={"slug": "joga-2026-04-14", "day": day})
            assert slug_url("events:occurrence", "joga-2026-04-14", day=day) == expected
