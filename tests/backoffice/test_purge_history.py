"""`manage.py purge_history`: old versions leave the history (each object's last one stays), expired invitations
go after their period, and the privacy page states both periods from the network's facts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from network.models import Facts
from partnerships.models import ContactMessage, Invitation, Partnership
from tests import factories

pytestmark = pytest.mark.django_db


def age(record, days):
    """Move a history record `days` into the past."""
    type(record).objects.filter(pk=record.pk).update(history_date=timezone.now() - timedelta(days=days))


def purge():
    out = StringIO()
    call_command("purge_history", stdout=out)
    return out.getvalue()


def test_versions_older_than_five_years_go_but_each_objects_last_version_stays():
    edited = factories.partnership(name="Nasze Stegny")
    for summary in ("Pierwsza zmiana.", "Druga zmiana."):
        edited.summary = summary
        edited.save()
    created, first, second = edited.history.order_by("history_date", "history_id")
    age(created, 6 * 366)
    age(first, 6 * 366 - 1)
    untouched = factories.partnership(name="Moje Wierzbno")
    age(untouched.history.get(), 7 * 366)
    gone = factories.partnership(name="Dawne partnerstwo")
    gone_id = gone.pk
    gone.delete()
    Partnership.history.filter(id=gone_id).update(history_date=timezone.now() - timedelta(days=8 * 366))

    out = purge()

    assert list(edited.history.values_list("summary", flat=True)) == ["Druga zmiana."]
    assert untouched.history.count() == 1  # old, but its only (last) version
    assert list(Partnership.history.filter(id=gone_id).values_list("history_type", flat=True)) == ["-"]
    assert "Usunięte stare wersje z historii: 3;" in out


def test_the_period_comes_from_the_networks_facts():
    Facts.objects.create(history_retention_years=1)
    partnership = factories.partnership(name="Sady Żoliborskie")
    partnership.summary = "Nowy opis."
    partnership.save()
    age(partnership.history.order_by("history_date", "history_id").first(), 400)

    purge()

    assert list(partnership.history.values_list("summary", flat=True)) == ["Nowy opis."]


def test_invitations_go_ninety_days_after_they_expired():
    partnership = factories.partnership()
    for n, expired_days_ago in enumerate((100, 10)):
        invitation = Invitation.objects.create(
            email=f"osoba{n}@example.org",
            partnership=partnership,
            token_hash=str(n) * 64,
            expires_at=timezone.now() + timedelta(days=7),
        )
        expired = timezone.now() - timedelta(days=expired_days_ago)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=expired - timedelta(days=7), expires_at=expired)

    out = purge()

    assert list(Invitation.objects.values_list("email", flat=True)) == ["osoba1@example.org"]
    assert "usunięte wygasłe zaproszenia: 1." in out


def test_the_privacy_page_states_the_periods_of_the_facts(client):
    default = " ".join(client.get(reverse("privacy")).content.decode().split())
    Facts.objects.create(history_retention_years=2, invitation_retention_days=30)
    changed = " ".join(client.get(reverse("privacy")).content.decode().split())

    assert "przechowujemy przez 5 lat" in default and "usuwamy 90 dni po tym" in default
    assert "przechowujemy przez 2 lata" in changed and "usuwamy 30 dni po tym" in changed


def sent(partnership, days_ago, n):
    message = ContactMessage.objects.create(
        partnership=partnership, name=f"Osoba {n}", email=f"o{n}@example.org", reason="question", message="?"
    )
    ContactMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return message


def test_contact_form_messages_go_after_the_period_of_the_facts():
    partnership = factories.partnership(name="Partnerstwo Sady")
    young, old = sent(partnership, 300, 1), sent(partnership, 400, 2)

    out = purge()

    assert list(ContactMessage.objects.all()) == [young]
    assert "Usunięte stare wiadomości z formularzy kontaktowych: 1." in out
    Facts.objects.create(contact_message_retention_months=6)
    purge()
    assert not ContactMessage.objects.filter(pk__in=[young.pk, old.pk]).exists()


def test_the_privacy_page_states_how_long_contact_form_messages_are_kept(client):
    default = " ".join(client.get(reverse("privacy")).content.decode().split())
    Facts.objects.create(contact_message_retention_months=6)
    changed = " ".join(client.get(reverse("privacy")).content.decode().split())

    assert "Dołącz / Skontaktuj się" in default
    assert "przechowujemy w katalogu przez 12 miesięcy od wysłania" in default
    assert "przechowujemy w katalogu przez 6 miesięcy od wysłania" in changed
