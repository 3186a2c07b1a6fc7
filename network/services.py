"""Writes of the network app that do more than save a row: a request for BORIS's support, which tells staff; the
exchange's entries (saved, renewed, withdrawn), its weekly digest and its renewal reminders, which tell
coordinators."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.history import authored
from common.mail import queue_email
from partnerships.models import CoordinatorAccess
from partnerships.services import coordinator_emails

from .models import (
    EXCHANGE_DEFAULT_PERIOD,
    EXCHANGE_REMINDER_DAYS,
    ExchangeDigestSubscription,
    ExchangeEntry,
    Facts,
    SupportRequest,
    latest_expiry,
)


def request_support(*, kind, partnership, name, email, message, language, url_for):
    """Keep a request for support and e-mail it to the network's address (Facts.contact_email) once committed.

    Without that address nothing is sent: staff still see the request in the admin and on the dashboard.
    `url_for(path)` makes the e-mail's link to the request in the admin absolute.
    """
    support_request = SupportRequest.objects.create(
        kind=kind, partnership=partnership, name=name, email=email, message=message, language=language
    )
    to = Facts.current().contact_email
    if to:
        context = {
            "request": support_request,
            "link": url_for(reverse("admin:network_supportrequest_change", args=[support_request.pk])),
        }
        # Staff read the admin in Polish, whatever the language of the page the request came from.
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("network/email/support_request_subject.txt", context).strip()
            body = render_to_string("network/email/support_request.txt", context)
        queue_email(subject, body, [to])
    return support_request


def mark_handled(*, requests, by):
    """Mark the requests not handled yet as handled by `by`, now; the number of those changed."""
    return requests.filter(handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=by)


# --- the exchange of resources and contacts ("Giełda zasobów") ------------------------------------------------

# What the recommended party agreed to: a change of any of these needs staff to check the consent again.
CONSENT_FIELDS = ("kind", "contact_name", "contact_does", "consent_note")
DIGEST_DAYS = 7


def save_exchange_entry(*, entry, by):
    """Save an entry of its partnership (new or changed), `by` in its history.

    A recommended contact whose name, what it does or the note on its consent changed is public again only after
    staff check the consent anew: the tick staff gave was for what the entry said then.
    """
    with transaction.atomic():
        if entry.pk is not None and entry.consent_verified:
            before = ExchangeEntry.objects.select_for_update().get(pk=entry.pk)
            if any(getattr(before, name) != getattr(entry, name) for name in CONSENT_FIELDS):
                entry.consent_verified = False
        authored(entry, by).save()
    return entry


def renewed_expiry(entry, today):
    """Three months more, counted from today for an expired entry, and never beyond a year from today."""
    return min(max(entry.expires_on, today) + EXCHANGE_DEFAULT_PERIOD, latest_expiry(today))


def renew_exchange_entry(*, entry, by, today=None):
    """The entry stays on the exchange three months longer (an expired one is back for three months)."""
    entry.expires_on = renewed_expiry(entry, today or timezone.localdate())
    authored(entry, by).save(update_fields=["expires_on", "updated_at"])
    return entry


def withdraw_exchange_entry(*, entry, by, today=None):
    """End the entry now: it leaves the exchange and stays, expired, in its partnership's panel to renew."""
    entry.expires_on = (today or timezone.localdate()) - timedelta(days=1)
    authored(entry, by).save(update_fields=["expires_on", "updated_at"])
    return entry


def set_exchange_digest(*, user, subscribed):
    """Turn the weekly digest of the exchange on or off for `user`."""
    if subscribed:
        ExchangeDigestSubscription.objects.get_or_create(user=user)
    else:
        ExchangeDigestSubscription.objects.filter(user=user).delete()


def _polish_email(template, context):
    """(subject, body) of templates/network/email/<template>(_subject).txt, in Polish: coordinators read the site
    in Polish, and a command has no visitor's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"network/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"network/email/{template}.txt", context)
    return subject, body


def digest_period(today):
    """The moments [from, to) of the DIGEST_DAYS whole days before `today` (Warsaw): run weekly on the same weekday,
    consecutive digests neither miss nor repeat an entry."""
    zone = timezone.get_current_timezone()
    end = datetime.combine(today, time.min, tzinfo=zone)
    return end - timedelta(days=DIGEST_DAYS), end


def send_exchange_digest(*, today, url_for):
    """E-mail each subscriber the current entries added in the week before `today`, but their own partnerships';
    nothing to whom there is nothing new. Returns {e-mail address: number of entries}.

    A subscriber gets it while they may see every entry (a coordinator of some partnership, or staff) and their
    account is active with an e-mail address.
    """
    start, end = digest_period(today)
    new = list(
        ExchangeEntry.objects.current(today)
        .filter(created_at__gte=start, created_at__lt=end)
        .select_related("partnership", "district")
        .order_by("kind", "created_at", "pk")
    )
    sent = {}
    if not new:
        return sent
    subscribers = (
        get_user_model().objects.filter(exchange_digest__isnull=False, is_active=True).exclude(email="").order_by("pk")
    )
    own_by_user = {}
    for user_id, partnership_id in CoordinatorAccess.objects.filter(user__in=subscribers).values_list(
        "user_id", "partnership_id"
    ):
        own_by_user.setdefault(user_id, set()).add(partnership_id)
    settings_link = url_for(reverse("account:exchange_digest"))
    for user in subscribers:
        own = own_by_user.get(user.pk, set())
        if not (own or user.is_staff):
            continue  # no longer a coordinator: the exchange's other entries are not theirs to see
        entries = [entry for entry in new if entry.partnership_id not in own]
        if not entries:
            continue
        context = {
            "entries": [(entry, url_for(entry.get_absolute_url())) for entry in entries],
            "start": timezone.localdate(start),
            "end": timezone.localdate(end - timedelta(microseconds=1)),
            "list_link": url_for(reverse("exchange")),
            "settings_link": settings_link,
        }
        subject, body = _polish_email("exchange_digest", context)
        queue_email(subject, body, [user.email])
        sent[user.email] = len(entries)
    return sent


def send_exchange_renewal_reminders(*, today, url_for):
    """E-mail the coordinators of each entry that expires within EXCHANGE_REMINDER_DAYS days, with the link that
    renews it; once per expiry date (a renewed entry's new date gets its own). Returns the entries reminded of.

    An entry whose partnership has no coordinator with an e-mail address gets nothing (and nothing is recorded).
    """
    due = (
        ExchangeEntry.objects.current(today)
        .filter(expires_on__lte=today + timedelta(days=EXCHANGE_REMINDER_DAYS))
        .exclude(reminded_for=F("expires_on"))
        .select_related("partnership")
        .order_by("expires_on", "pk")
    )
    reminded = []
    for entry in due:
        recipients = coordinator_emails(entry.partnership)
        if not recipients:
            continue
        with transaction.atomic():
            claimed = (
                ExchangeEntry.objects.filter(pk=entry.pk, expires_on=entry.expires_on)
                .exclude(reminded_for=entry.expires_on)
                .update(reminded_for=entry.expires_on)
            )
            if not claimed:
                continue  # another run took it, or the entry changed meanwhile
            link = reverse("coordinator:exchange_renew", kwargs={"slug": entry.partnership.slug, "pk": entry.pk})
            context = {"entry": entry, "partnership": entry.partnership, "link": url_for(link)}
            subject, body = _polish_email("exchange_renewal", context)
            for address in recipients:  # one e-mail each: coordinators do not see one another's addresses
                queue_email(subject, body, [address])
        reminded.append(entry)
    return reminded
