"""`manage.py send_reminders`: coordinators are reminded to verify their partnership's data, once and a month
later, never twice the same day, through the e-mail queue; staff get the expired invitations listed."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Invitation, VerificationReminder
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://wspl.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def coordinator(partnership, email):
    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email)
    factories.coordinator_access(user=user, partnership_obj=partnership)
    return user


def run(day, django_capture_on_commit_callbacks):
    """The command on `day`, its e-mails sent (the test suite runs tasks at once, after the commit)."""
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    return out.getvalue()


def test_a_partnership_verified_eleven_months_ago_reminds_each_coordinator_with_a_link(
    django_capture_on_commit_callbacks,
):
    stegny = factories.partnership(name="Nasze Stegny", last_verified_on=date(2026, 1, 10))
    coordinator(stegny, "anna@stegny.test")
    coordinator(stegny, "jan@stegny.test")

    out = run(date(2026, 12, 10), django_capture_on_commit_callbacks)

    assert sorted(message.to for message in mail.outbox) == [["anna@stegny.test"], ["jan@stegny.test"]]
    message = mail.outbox[0]
    assert message.subject == "Prosimy o sprawdzenie danych partnerstwa „Nasze Stegny”"
    assert "ostatnio potwierdzone 10 stycznia 2026" in message.body
    assert SITE + reverse("coordinator:partnership_verify", kwargs={"slug": stegny.slug}) in message.body
    assert "Wysłane przypomnienia: 1." in out


def test_a_second_run_the_same_day_sends_nothing_and_a_month_later_the_last_reminder_goes(
    django_capture_on_commit_callbacks,
):
    stegny = factories.partnership(name="Nasze Stegny", last_verified_on=date(2026, 1, 10))
    coordinator(stegny, "anna@stegny.test")

    run(date(2026, 12, 10), django_capture_on_commit_callbacks)
    run(date(2026, 12, 10), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    VerificationReminder.objects.update(sent_at=timezone.now() - timedelta(days=40))  # as if sent 40 days ago
    run(date(2027, 1, 20), django_capture_on_commit_callbacks)
    run(date(2027, 3, 20), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert "To drugie i ostatnie przypomnienie." in mail.outbox[1].body
    assert list(VerificationReminder.objects.order_by("number").values_list("number", "checked_since")) == [
        (1, date(2026, 1, 10)),
        (2, date(2026, 1, 10)),
    ]


def test_fresh_data_get_no_reminder_and_verifying_starts_a_new_round(django_capture_on_commit_callbacks):
    fresh = factories.partnership(name="Moje Wierzbno", last_verified_on=date(2026, 6, 1))
    coordinator(fresh, "ola@wierzbno.test")

    run(date(2026, 12, 10), django_capture_on_commit_callbacks)
    assert mail.outbox == []

    run(date(2027, 5, 2), django_capture_on_commit_callbacks)  # eleven months after the check
    fresh.last_verified_on = date(2027, 5, 3)
    fresh.save()
    run(date(2027, 6, 10), django_capture_on_commit_callbacks)  # a month later: verified, nothing more
    assert len(mail.outbox) == 1


def test_never_verified_counts_from_the_day_it_was_added_and_no_coordinator_means_no_mail(
    django_capture_on_commit_callbacks,
):
    new = factories.partnership(name="Przepis na Muranów")
    coordinator(new, "ewa@muranow.test")
    factories.partnership(name="Bez koordynatora", last_verified_on=date(2020, 1, 1))
    added = timezone.localdate(new.created_at)

    run(added + timedelta(days=300), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run(added + timedelta(days=340), django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["ewa@muranow.test"]]
    assert "nie zostały jeszcze potwierdzone" in mail.outbox[0].body


def test_expired_invitations_are_listed_for_staff(django_capture_on_commit_callbacks):
    partnership = factories.partnership(name="Sady Żoliborskie")
    invitation = Invitation.objects.create(
        email="zapomniana@example.org",
        partnership=partnership,
        token_hash="1" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    sent = timezone.now() - timedelta(days=20)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=sent, expires_at=sent + timedelta(days=7))

    out = run(timezone.localdate(), django_capture_on_commit_callbacks)

    assert "Zaproszenia, które wygasły nieprzyjęte" in out
    assert "zapomniana@example.org – Sady Żoliborskie" in out


def test_without_the_site_address_the_command_says_what_to_set(settings):
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="DJANGO_SITE_URL"):
        call_command("send_reminders")
