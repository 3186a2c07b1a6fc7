""" "Giełda zasobów": who sees which entry, what the entry form accepts, renewing and withdrawing, the weekly digest
(`send_exchange_digest`) and the renewal reminder (`send_reminders`), both through the e-mail queue."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from network import services
from network.forms import ExchangeEntryForm
from network.models import ExchangeDigestSubscription, ExchangeEntry
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://wspl.example.org"
WARSAW = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def account(username, *, partnership=None, **fields):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", **fields)
    if partnership is not None:
        factories.coordinator_access(user=user, partnership_obj=partnership)
    return user


@pytest.fixture
def world():
    muranow = factories.partnership(name="Przepis na Muranów")
    wola = factories.partnership(name="Młyn na Woli")
    entries = {
        "public": factories.exchange_entry(partnership_obj=muranow, title="Namiot i 40 krzeseł"),
        "private": factories.exchange_entry(partnership_obj=muranow, title="Sala po cichu", is_public=False),
        "contact_unverified": factories.exchange_entry(
            partnership_obj=wola, title="Drukarnia bez zgody", kind=ExchangeEntry.Kind.CONTACT
        ),
        "contact_verified": factories.exchange_entry(
            partnership_obj=wola, title="Akustyk ze zgodą", kind=ExchangeEntry.Kind.CONTACT, consent_verified=True
        ),
        "expired": factories.exchange_entry(
            partnership_obj=wola, title="Stare krzesła", expires_on=timezone.localdate() - timedelta(days=1)
        ),
    }
    users = {
        "anonymous": AnonymousUser(),
        "plain": account("mieszkanka"),
        "coordinator": account("koordynatorka", partnership=muranow),
        "staff": account("boris", is_staff=True),
    }
    return muranow, wola, entries, users


def titles(queryset):
    return sorted(entry.title for entry in queryset)


def test_anonymous_and_plain_users_see_public_current_entries_with_checked_consent_only(world):
    _muranow, _wola, _entries, users = world

    for who in ("anonymous", "plain"):
        assert titles(ExchangeEntry.objects.visible_to(users[who])) == ["Akustyk ze zgodą", "Namiot i 40 krzeseł"]


def test_coordinators_and_staff_see_every_current_entry_but_no_expired_one(world):
    _muranow, _wola, _entries, users = world
    every_current = ["Akustyk ze zgodą", "Drukarnia bez zgody", "Namiot i 40 krzeseł", "Sala po cichu"]

    for who in ("coordinator", "staff"):
        assert titles(ExchangeEntry.objects.visible_to(users[who])) == every_current


def test_an_entry_of_an_unpublished_partnership_is_not_public(world):
    muranow, _wola, _entries, users = world
    muranow.is_published = False
    muranow.save()

    assert titles(ExchangeEntry.objects.visible_to(users["anonymous"])) == ["Akustyk ze zgodą"]


def test_only_the_partnerships_coordinators_and_staff_edit_its_entries(world):
    muranow, wola, entries, users = world

    assert titles(ExchangeEntry.objects.editable_by(users["coordinator"])) == [
        "Namiot i 40 krzeseł",
        "Sala po cichu",
    ]
    assert not ExchangeEntry.objects.editable_by(users["coordinator"], wola).exists()
    assert not ExchangeEntry.objects.editable_by(users["plain"]).exists()
    assert ExchangeEntry.objects.editable_by(users["staff"], wola).count() == 3


def test_a_new_entry_lasts_three_months_by_default():
    entry = factories.exchange_entry()

    assert entry.expires_on == timezone.localdate() + relativedelta(months=3)


def form_data(**changes):
    data = {
        "kind": "offer",
        "title": "Pożyczymy namiot",
        "description": "W weekendy.",
        "district": "",
        "expires_on": (date(2026, 6, 1) + timedelta(days=30)).isoformat(),
        "is_public": "on",
        "contact_name": "",
        "contact_does": "",
        "consent_note": "",
    }
    return {**data, **changes}


def form(**changes):
    form = ExchangeEntryForm(form_data(**changes), today=date(2026, 6, 1))
    form.is_valid()
    return form


def test_the_form_takes_a_plain_offer():
    assert form().errors == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"expires_on": "2026-05-31"}, "expires_on", "Ta data już minęła"),
        ({"expires_on": "2027-06-02"}, "expires_on", "najdalej rok od dziś, czyli do 1 czerwca 2027"),
        ({"expires_on": "2126-01-01"}, "expires_on", "Podaj datę z lat 2000–2100."),
        ({"expires_on": "jutro"}, "expires_on", "Podaj datę w postaci RRRR-MM-DD"),
        ({"title": "Namiot\x00"}, "title", "jeden wiersz zwykłego tekstu"),
        ({"title": "x" * 10_000}, "title", "co najwyżej 150 znaków"),
        ({"description": "a\x00b"}, "description", "znaki sterujące"),
        ({"description": "x" * 100_000}, "description", "najwyżej 1000 znaków"),
        ({"kind": "bogus"}, "kind", "Wybierz rodzaj wpisu"),
        ({"kind": "contact"}, "contact_name", "Podaj, kogo polecacie"),
        ({"kind": "contact", "contact_name": "Drukarnia"}, "consent_note", "jak polecana firma albo osoba zgodziła"),
        ({"district": "999999999999999999999"}, "district", "Nie ma takiej dzielnicy"),
    ],
)
def test_the_form_refuses_bad_input_with_a_polish_message(changes, field, message):
    errors = form(**changes).errors

    assert message in " ".join(errors.get(field, [])), errors


def test_an_offer_keeps_no_recommended_contact():
    cleaned = form(contact_name="Ktoś", consent_note="zgoda").cleaned_data

    assert cleaned["contact_name"] == "" and cleaned["consent_note"] == ""


def test_changing_a_recommended_contact_needs_its_consent_checked_again():
    entry = factories.exchange_entry(kind=ExchangeEntry.Kind.CONTACT, consent_verified=True)

    entry.description = "Nowy opis, ta sama firma."
    services.save_exchange_entry(entry=entry, by=None)
    assert ExchangeEntry.objects.get(pk=entry.pk).consent_verified
    entry.contact_name = "Inna drukarnia"
    services.save_exchange_entry(entry=entry, by=None)

    assert not ExchangeEntry.objects.get(pk=entry.pk).consent_verified


def test_renewing_adds_three_months_and_never_more_than_a_year_ahead():
    today = date(2026, 6, 1)
    soon = factories.exchange_entry(expires_on=date(2026, 6, 5))
    expired = factories.exchange_entry(expires_on=date(2026, 1, 5))
    far = factories.exchange_entry(expires_on=date(2027, 4, 1))

    for entry in (soon, expired, far):
        services.renew_exchange_entry(entry=entry, by=None, today=today)

    assert [e.expires_on for e in (soon, expired, far)] == [date(2026, 9, 5), date(2026, 9, 1), date(2027, 6, 1)]


def test_withdrawing_ends_the_entry_today_and_keeps_it_for_renewal():
    entry = factories.exchange_entry()

    services.withdraw_exchange_entry(entry=entry, by=None)

    assert not ExchangeEntry.objects.current().filter(pk=entry.pk).exists()
    assert ExchangeEntry.objects.filter(pk=entry.pk).exists()


# --- the weekly digest --------------------------------------------------------------------------------------------


def created_on(entry, day):
    ExchangeEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime.combine(day, datetime.min.time(), tzinfo=WARSAW) + timedelta(hours=12)
    )


def run(command, day, capture):
    out = StringIO()
    with capture(execute=True):
        call_command(command, "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_digest_sends_each_subscriber_the_weeks_new_entries_but_their_own(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    muranow = factories.partnership(name="Przepis na Muranów")
    wola = factories.partnership(name="Młyn na Woli")
    reader = account("czytelniczka", partnership=muranow)
    services.set_exchange_digest(user=reader, subscribed=True)
    account("bez-przegladu", partnership=wola)  # not subscribed
    own = factories.exchange_entry(partnership_obj=muranow, title="Nasz namiot")
    theirs = factories.exchange_entry(
        partnership_obj=wola,
        title="Szukamy sali dla 30 osób",
        kind=ExchangeEntry.Kind.REQUEST,
        is_public=False,
        district=factories.district("wola"),
    )
    old = factories.exchange_entry(partnership_obj=wola, title="Sprzed dwóch tygodni")
    for entry in (own, theirs):
        created_on(entry, today - timedelta(days=3))
    created_on(old, today - timedelta(days=14))

    out = run("send_exchange_digest", today, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["czytelniczka@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Giełda zasobów WSPL: 1 nowy wpis"
    assert "Szukamy: Szukamy sali dla 30 osób" in message.body
    assert "Młyn na Woli, Wola" in message.body
    assert SITE + theirs.get_absolute_url() in message.body
    assert SITE + reverse("account:exchange_digest") in message.body
    assert "Nasz namiot" not in message.body and "Sprzed dwóch tygodni" not in message.body
    assert "Wysłane przeglądy giełdy: 1." in out


def test_the_digest_sends_nothing_in_a_week_without_new_entries(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    wola = factories.partnership(name="Młyn na Woli")
    services.set_exchange_digest(user=account("czytelniczka", partnership=factories.partnership()), subscribed=True)
    created_on(factories.exchange_entry(partnership_obj=wola), today - timedelta(days=10))
    created_on(factories.exchange_entry(partnership_obj=wola), today)  # today's: next week's digest

    out = run("send_exchange_digest", today, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert "Wysłane przeglądy giełdy: 0." in out


def test_the_digest_goes_to_no_one_who_is_no_longer_a_coordinator(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    former = account("dawna")
    ExchangeDigestSubscription.objects.create(user=former)
    created_on(factories.exchange_entry(), today - timedelta(days=2))

    run("send_exchange_digest", today, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_consecutive_weekly_digests_neither_miss_nor_repeat_an_entry():
    monday = date(2026, 6, 8)
    first, second = services.digest_period(monday), services.digest_period(monday + timedelta(days=7))

    assert first[1] == second[0]


def test_the_digest_needs_the_sites_address(settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="DJANGO_SITE_URL"):
        call_command("send_exchange_digest")


# --- the renewal reminder ------------------------------------------------------------------------------------------


def test_coordinators_are_reminded_a_week_before_an_entry_expires_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    muranow = factories.partnership(name="Przepis na Muranów")
    account("ola", partnership=muranow)
    account("jan", partnership=muranow)
    due = factories.exchange_entry(partnership_obj=muranow, title="Namiot", expires_on=today + timedelta(days=7))
    factories.exchange_entry(partnership_obj=muranow, title="Później", expires_on=today + timedelta(days=8))

    out = run("send_reminders", today, django_capture_on_commit_callbacks)
    run("send_reminders", today, django_capture_on_commit_callbacks)

    assert sorted(message.to for message in mail.outbox) == [["jan@example.org"], ["ola@example.org"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Wpis „Namiot” w giełdzie zasobów wygasa")
    link = SITE + reverse("coordinator:exchange_renew", kwargs={"slug": muranow.slug, "pk": due.pk})
    assert link in message.body
    assert "Przypomnienia o odnowieniu wpisów giełdy: 1." in out
    run("send_reminders", today + timedelta(days=1), django_capture_on_commit_callbacks)
    assert [message.subject.startswith("Wpis „Później”") for message in mail.outbox[2:]] == [True, True]


def test_a_renewed_entry_gets_a_reminder_again_before_its_new_date(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    muranow = factories.partnership()
    account("ola", partnership=muranow)
    entry = factories.exchange_entry(partnership_obj=muranow, expires_on=today + timedelta(days=3))
    run("send_reminders", today, django_capture_on_commit_callbacks)

    services.renew_exchange_entry(entry=entry, by=None, today=today)
    run("send_reminders", entry.expires_on - timedelta(days=7), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2


# --- staff ---------------------------------------------------------------------------------------------------------


def test_staff_find_unchecked_recommendations_and_tick_their_consent(staff_client):
    waiting = factories.exchange_entry(title="Drukarnia czeka", kind=ExchangeEntry.Kind.CONTACT)
    factories.exchange_entry(title="Stary wpis", expires_on=timezone.localdate() - timedelta(days=1))
    changelist = reverse("admin:network_exchangeentry_changelist")

    unchecked = staff_client.get(changelist, {"consent_verified__exact": "0", "kind__exact": "contact"})
    expired = staff_client.get(changelist, {"expired": "yes"}).content.decode()
    assert "Drukarnia czeka" in unchecked.content.decode()
    assert "Stary wpis" in expired and "Drukarnia czeka" not in expired
    assert not ExchangeEntry.objects.visible_to(AnonymousUser()).filter(pk=waiting.pk).exists()

    change = reverse("admin:network_exchangeentry_change", args=[waiting.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update(consent_verified="on", is_public="on", expires_on=waiting.expires_on.isoformat())
    response = staff_client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ExchangeEntry.objects.visible_to(AnonymousUser()).filter(pk=waiting.pk).exists()
