"""A partnership's entries in "Giełda zasobów" from the coordinator area (add, edit, renew, withdraw, the list of
current and expired ones), and the weekly digest's opt-in under /konto/."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from network.models import ExchangeDigestSubscription, ExchangeEntry
from partnerships.models import CoordinatorAccess
from tests import factories
from tests.utils import log_in

pytestmark = pytest.mark.django_db

DIGEST = reverse("account:exchange_digest")


@pytest.fixture
def partnership():
    return factories.partnership(name="Przepis na Muranów")


@pytest.fixture
def coordinator(partnership):
    user = get_user_model().objects.create_user(username="ola", email="ola@example.org")
    CoordinatorAccess.objects.create(user=user, partnership=partnership)
    return user


def url(name, partnership, entry=None):
    kwargs = {"slug": partnership.slug} | ({"pk": entry.pk} if entry else {})
    return reverse(f"coordinator:{name}", kwargs=kwargs)


def test_a_coordinator_adds_an_entry_from_the_partnerships_page(client, partnership, coordinator):
    log_in(client, coordinator)
    home = client.get(reverse("coordinator:partnership", kwargs={"slug": partnership.slug})).content.decode()
    assert url("exchange_add", partnership) in home and url("exchange_list", partnership) in home
    expires = timezone.localdate() + timedelta(days=30)

    response = client.post(
        url("exchange_add", partnership),
        {"kind": "offer", "title": "Pożyczymy namiot", "expires_on": expires.isoformat(), "is_public": "on"},
    )

    assert response.status_code == 302 and response["Location"] == url("exchange_list", partnership)
    entry = ExchangeEntry.objects.get()
    assert (entry.partnership, entry.expires_on, entry.is_public) == (partnership, expires, True)
    assert entry.history.get().history_user == coordinator
    assert "Pożyczymy namiot" in client.get(reverse("exchange")).content.decode()


def test_the_form_starts_with_three_months_ahead_and_not_public(client, partnership, coordinator):
    log_in(client, coordinator)

    html = client.get(url("exchange_add", partnership)).content.decode()

    assert f'value="{(timezone.localdate() + relativedelta(months=3)).isoformat()}"' in html
    assert 'name="is_public"' in html and 'name="is_public" checked' not in html
    assert "consent_verified" not in html


def test_a_date_too_far_ahead_is_refused_with_a_polish_message(client, partnership, coordinator):
    log_in(client, coordinator)
    too_far = timezone.localdate() + relativedelta(months=12, days=1)

    response = client.post(
        url("exchange_add", partnership), {"kind": "offer", "title": "Namiot", "expires_on": too_far.isoformat()}
    )

    assert response.status_code == 200
    assert "Wpis może być aktualny najdalej rok od dziś" in response.content.decode()
    assert not ExchangeEntry.objects.exists()


def test_the_list_shows_current_and_expired_entries_and_an_expired_one_can_be_renewed(client, partnership, coordinator):
    current = factories.exchange_entry(partnership_obj=partnership, title="Namiot")
    expired = factories.exchange_entry(
        partnership_obj=partnership, title="Projektor", expires_on=timezone.localdate() - timedelta(days=3)
    )
    log_in(client, coordinator)

    html = client.get(url("exchange_list", partnership)).content.decode()
    assert html.index("Namiot") < html.index("Wygasłe i wycofane") < html.index("Projektor")
    assert url("exchange_withdraw", partnership, current) in html
    assert url("exchange_withdraw", partnership, expired) not in html
    question = client.get(url("exchange_renew", partnership, expired)).content.decode()
    renewed_to = timezone.localdate() + relativedelta(months=3)
    assert f"Wpis będzie aktualny do {renewed_to.day}" in question

    client.post(url("exchange_renew", partnership, expired))

    expired.refresh_from_db()
    assert expired.expires_on == renewed_to


def test_withdrawing_takes_the_entry_off_the_exchange_at_once(client, partnership, coordinator):
    entry = factories.exchange_entry(partnership_obj=partnership, title="Namiot do wycofania")
    log_in(client, coordinator)

    client.post(url("exchange_withdraw", partnership, entry))

    assert "Namiot do wycofania" not in client.get(reverse("exchange")).content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert "Namiot do wycofania" in client.get(url("exchange_list", partnership)).content.decode()


def test_a_coordinator_who_changes_a_recommended_contact_sends_it_back_for_a_consent_check(
    client, partnership, coordinator
):
    entry = factories.exchange_entry(
        partnership_obj=partnership, kind=ExchangeEntry.Kind.CONTACT, consent_verified=True, consent_note="e-mail"
    )
    log_in(client, coordinator)
    form = client.get(url("exchange_edit", partnership, entry)).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "district"}
    data.update(
        contact_name="Inna drukarnia",
        is_public="on",
        expires_on=entry.expires_on.isoformat(),
        version=form.fields["version"].initial,
    )

    response = client.post(url("exchange_edit", partnership, entry), data)

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.contact_name == "Inna drukarnia" and not entry.consent_verified


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("plain", 404), ("coordinator", 200), ("other_coordinator", 200), ("staff", 200)],
)
def test_the_digest_page_is_for_coordinators_and_staff(client, partnership, coordinator, who, status):
    users = get_user_model().objects
    user = {
        "plain": lambda: users.create_user(username="mieszkanka"),
        "coordinator": lambda: coordinator,
        "other_coordinator": lambda: (
            CoordinatorAccess.objects.create(
                user=users.create_user(username="jan"), partnership=factories.partnership()
            ).user
        ),
        "staff": lambda: users.create_user(username="boris", is_staff=True),
    }.get(who)
    if user:
        log_in(client, user())

    for response in (client.get(DIGEST), client.post(DIGEST, {"subscribed": "on"})):
        assert response.status_code == (
            302 if status == 200 and response.request["REQUEST_METHOD"] == "POST" else status
        )
        if who == "anonymous":
            assert response["Location"].startswith("/konto/logowanie/")
    assert ExchangeDigestSubscription.objects.exists() == (status == 200)


def test_a_coordinator_turns_the_digest_on_and_off(client, coordinator):
    log_in(client, coordinator)

    client.post(DIGEST, {"subscribed": "on"})
    assert ExchangeDigestSubscription.objects.filter(user=coordinator).exists()
    assert client.get(DIGEST).context["form"].initial == {"subscribed": True}
    client.post(DIGEST, {})

    assert not ExchangeDigestSubscription.objects.exists()
