"""The hostile-input suite: its data set, its clients and its totals at the end of the run."""

import pytest
from django.core.cache import cache
from django.test import Client

from . import totals, world


@pytest.fixture
def site(db):
    """The suite's data set (world.build) with every text field holding a hostile input."""
    built = world.build()
    built.poisoned_fields = world.poison(built)
    return built


@pytest.fixture
def clean_site(db):
    """The data set without hostile texts: the forms' own values are a valid baseline. The cache starts empty, so no
    limit counted by an earlier test (common/ratelimit.py) refuses a form's first post."""
    cache.clear()
    return world.build()


@pytest.fixture
def coordinator_of_clean(clean_site):
    client = Client()
    client.force_login(clean_site.coordinator)
    return client


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def coordinator_of(site):
    """A client signed in as the coordinator of the data set's partnership."""
    client = Client()
    client.force_login(site.coordinator)
    return client


def pytest_terminal_summary(terminalreporter):
    """The totals per category, only when the suite's tests ran."""
    if not totals.counts:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile-input suite (tests/security)")
    write(f"{'category':<34}{'inputs tried':>14}{'refused cleanly':>17}{'stored inert':>14}{'problems':>10}")
    grand = dict.fromkeys(totals.COLUMNS, 0)
    for category in sorted(totals.counts):
        row = totals.counts[category]
        write(f"{category:<34}{row['tried']:>14}{row['refused']:>17}{row['inert']:>14}{row['problems']:>10}")
        for column in totals.COLUMNS:
            grand[column] += row[column]
    write(f"{'all':<34}{grand['tried']:>14}{grand['refused']:>17}{grand['inert']:>14}{grand['problems']:>10}")
    for line in totals.notes:
        write(f"note: {line}")
