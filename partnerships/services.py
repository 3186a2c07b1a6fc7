"""Writes to partnerships: coordinator rights and invitations, the profile, its images, its meeting places.

Verb-first functions with keyword-only arguments. Each one that touches several rows runs in one
transaction and records `by` as the author of the change in the history; uploaded files are removed
again when the save fails, so nothing stays half-saved. E-mail is queued, sent by the worker once the
transaction is committed (common/mail.py). Views and the admin call these.
"""

import hashlib
import secrets
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.history import authored, known_user
from common.images import replacing_images
from common.mail import queue_email
from common.text import make_slug

from .models import ContactMessage, CoordinatorAccess, Invitation, Partnership, VerificationReminder, unique_slug

INVITATION_VALID_FOR = timedelta(days=7)


class InvitationError(Exception):
    """An invitation that cannot be used (any more); the message says why, in Polish."""


# --- invitations and rights ---------------------------------------------------------------


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite_coordinator(*, email, partnership, by, url_for):
    """Create a one-time invitation and queue the e-mail with its link; `url_for(path)` makes the link absolute.

    The worker sends the e-mail once the invitation is saved. The invitation is kept whatever happens to the
    e-mail: when the mail server fails, the worker tries again later, and an e-mail it finally could not send
    shows to staff in the admin and on the dashboard (common/mail.py); they may revoke the invitation and invite again.
    """
    email = email.strip()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            partnership=partnership,
            token_hash=_token_hash(token),
            invited_by=known_user(by),
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        context = {
            "invitation": invitation,
            "partnership": partnership,
            "link": url_for(reverse("account:invitation", kwargs={"token": token})),
            "valid_days": INVITATION_VALID_FOR.days,
        }
        subject = render_to_string("registration/invitation_subject.txt", context).strip()
        body = render_to_string("registration/invitation_email.txt", context)
        queue_email(subject, body, [email])
    return invitation


def find_invitation(*, token):
    """The invitation of a token from a link, whatever its state, or None."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("partnership").filter(token_hash=_token_hash(token)).first()


def invitation_problem(invitation):
    """Why the invitation cannot be used, in Polish, or "" when it can."""
    if invitation is None:
        return _("Ten link zaproszenia jest nieprawidłowy. Sprawdź, czy skopiowano go w całości.")
    if invitation.accepted_at is not None:
        return _("To zaproszenie zostało już wykorzystane. Zaloguj się na swoje konto.")
    if invitation.revoked_at is not None:
        return _("To zaproszenie zostało wycofane. Jeśli to pomyłka, napisz do BORIS.")
    if invitation.expires_at <= timezone.now():
        return _("To zaproszenie wygasło. Poproś BORIS o nowe.")
    return ""


def account_for_email(email):
    return get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()


def accept_invitation(*, invitation, user):
    """Give `user` the edit rights of an invitation; the invitation can never be used again."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        problem = invitation_problem(locked)
        if problem:
            raise InvitationError(problem)
        if not CoordinatorAccess.objects.filter(user=user, partnership_id=locked.partnership_id).exists():
            authored(CoordinatorAccess(user=user, partnership_id=locked.partnership_id), user).save()
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked


def login_taken(login):
    return get_user_model().objects.filter(username__iexact=login).exists()


def free_login(first_name, last_name):
    """A login made of the person's name ("anna.nowak", then "anna.nowak2"…), never their e-mail address: logins are
    shown in the coordinator area and the history."""
    base = make_slug(f"{first_name} {last_name}", max_length=30).replace("-", ".")
    if len(base) < 3:
        base = "koordynator"
    login, number = base, 1
    while login_taken(login):
        number += 1
        login = f"{base}{number}"
    return login


def register_coordinator(*, invitation, password, first_name="", last_name="", login=""):
    """Create the account of an invited person and accept the invitation. The login is the one they chose, or one
    made of their name (free_login); they may also sign in with their e-mail address (coordinator/auth.py)."""
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username__iexact=invitation.email).exists() or account_for_email(invitation.email):
            raise InvitationError(_("Konto z tym adresem e-mail już istnieje. Zaloguj się, aby przyjąć zaproszenie."))
        if login and login_taken(login):
            raise InvitationError(_("Ten login jest już zajęty. Wybierz inny."))
        user = user_model(
            username=login or free_login(first_name, last_name),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        user.set_password(password)
        user.save()
        accept_invitation(invitation=invitation, user=user)
    return user


def revoke_invitation(*, invitation, by):
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = known_user(by)
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def revoke_access(*, access, by):
    """Withdraw a user's edit rights to one partnership (and the pending invitations for it)."""
    with transaction.atomic():
        Invitation.objects.filter(
            partnership_id=access.partnership_id,
            email__iexact=access.user.email or "-",
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now(), revoked_by=known_user(by))
        authored(access, by).delete()  # the history keeps who withdrew the right, and when


# --- the partnership and its meeting places -------------------------------------------------


def update_partnership(*, form, by):
    """Save the profile form of a partnership (fields and districts) in one transaction."""
    with transaction.atomic():
        partnership = authored(form.save(commit=False), by)
        partnership.save()
        form.save_m2m()
    return partnership


def update_partnership_images(*, partnership, uploads, by):
    with replacing_images(partnership, uploads), transaction.atomic():
        authored(partnership, by).save()
    return partnership


def confirm_partnership_data(*, partnership, by):
    """ "Potwierdzam aktualność danych": stamp today's date."""
    partnership.last_verified_on = timezone.localdate()
    authored(partnership, by).save()
    return partnership


def save_place(*, place, partnership, by):
    """Save a place; a new one becomes a meeting place of the partnership."""
    with transaction.atomic():
        if place.pk is None:
            place.slug = unique_slug(type(place), place.name)
        authored(place, by).save()
        partnership.places.add(place)
    return place


def unlink_place(*, place, partnership, by):
    """The partnership no longer meets there; the place itself stays (events may use it)."""
    partnership.places.remove(place)


# --- reminders to verify the data ----------------------------------------------------------------

# A partnership's data are due for a check a year after they were last verified: the coordinators get a reminder
# a month before that, and a second one a month after the first while the data still wait.
FIRST_REMINDER_AFTER = relativedelta(months=11)
SECOND_REMINDER_AFTER = relativedelta(months=1)


def _reminder_due(since, earlier, today):
    """The number of the reminder due today for data checked (or added) on `since`, or None."""
    if not earlier:
        return 1 if today >= since + FIRST_REMINDER_AFTER else None
    if any(reminder.number == 2 for reminder in earlier):
        return None
    first_sent = timezone.localdate(max(reminder.sent_at for reminder in earlier))
    return 2 if today >= first_sent + SECOND_REMINDER_AFTER else None


def send_verification_reminders(*, today, url_for):
    """E-mail the coordinators of every partnership whose data wait for their check; return the reminders made.

    Each reminder is recorded (VerificationReminder) in the transaction that queues its e-mails, so a second run
    the same day sends nothing again, and an e-mail that fails is retried by the worker. A partnership without an
    active coordinator with an e-mail address gets nothing: the staff dashboard lists those.
    """
    due_before = today - FIRST_REMINDER_AFTER
    coordinators = CoordinatorAccess.objects.filter(user__is_active=True).exclude(user__email="").select_related("user")
    candidates = (
        Partnership.objects.filter(
            Q(last_verified_on__lte=due_before) | Q(last_verified_on__isnull=True, created_at__date__lte=due_before)
        )
        .order_by("sort_name", "pk")
        .prefetch_related(Prefetch("coordinator_accesses", queryset=coordinators), "verification_reminders")
    )
    made = []
    for partnership in candidates:
        since = partnership.last_verified_on or timezone.localdate(partnership.created_at)
        earlier = [r for r in partnership.verification_reminders.all() if r.checked_since == since]
        number = _reminder_due(since, earlier, today)
        recipients = sorted({access.user.email for access in partnership.coordinator_accesses.all()})
        if number is None or not recipients:
            continue
        with transaction.atomic():
            reminder, created = VerificationReminder.objects.get_or_create(
                partnership=partnership,
                checked_since=since,
                number=number,
                defaults={"recipients": ", ".join(recipients)},
            )
            if created:
                _queue_reminder(partnership, since=since, number=number, recipients=recipients, url_for=url_for)
                made.append(reminder)
    return made


def _queue_reminder(partnership, *, since, number, recipients, url_for):
    context = {
        "partnership": partnership,
        "verified_on": partnership.last_verified_on,
        "since": since,
        "number": number,
        "link": url_for(reverse("coordinator:partnership_verify", kwargs={"slug": partnership.slug})),
    }
    # Coordinators read the site in Polish; the command has no visitor's language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("partnerships/email/verification_reminder_subject.txt", context).strip()
        body = render_to_string("partnerships/email/verification_reminder.txt", context)
    for email in recipients:  # one e-mail each: coordinators do not see one another's addresses
        queue_email(subject, body, [email])


def delete_expired_invitations(*, before):
    """Delete the invitations that expired before `before` (used or not): their e-mail addresses go with them; who
    got rights and from whom stays in the coordinator rights' history. Returns how many were deleted."""
    deleted, _by_model = Invitation.objects.filter(expires_at__lt=before).delete()
    return deleted


# --- messages from the contact form ("Dołącz / Skontaktuj się") -----------------------------------


def coordinator_emails(partnership):
    """The addresses of the active accounts with edit rights to `partnership`, each once, sorted."""
    accesses = CoordinatorAccess.objects.filter(partnership=partnership, user__is_active=True).exclude(user__email="")
    return sorted({email.lower(): email for email in accesses.values_list("user__email", flat=True)}.values())


def send_contact_message(*, partnership, name, email, reason, message, url_for, network_inbox):
    """Store a visitor's message to `partnership` and queue it by e-mail, with Reply-To the visitor.

    Each coordinator (an active account with edit rights and an e-mail address) gets a copy of their own, so no
    one sees another's address; a partnership without one has it sent to `network_inbox` (the addresses of BORIS,
    chosen by the caller), who pass it on. `url_for(path)` makes the links absolute. Returns the stored message.
    """
    recipients = coordinator_emails(partnership)
    to_network = not recipients
    with transaction.atomic():
        sent = ContactMessage.objects.create(
            partnership=partnership, name=name, email=email, reason=reason, message=message
        )
        inbox = reverse("coordinator:contact_messages", kwargs={"slug": partnership.slug})
        context = {
            "sent": sent,
            "partnership": partnership,
            "to_network": to_network,
            "link": url_for(inbox),
            "page": url_for(partnership.get_absolute_url()),
        }
        # Coordinators and staff read the site in Polish, whatever the visitor's language.
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("partnerships/email/contact_message_subject.txt", context).strip()
            body = render_to_string("partnerships/email/contact_message.txt", context)
        for address in recipients if recipients else network_inbox:  # one e-mail each
            queue_email(subject, body, [address], reply_to=[sent.email])
    return sent


def mark_contact_message_handled(*, message, by):
    """Mark a message as handled by `by` (once: a second click keeps the first answer). Returns the message."""
    with transaction.atomic():
        locked = ContactMessage.objects.select_for_update().get(pk=message.pk)
        if locked.handled_at is None:
            locked.handled_at = timezone.now()
            locked.handled_by = known_user(by)
            locked.save(update_fields=["handled_at", "handled_by"])
    return locked


def delete_old_contact_messages(*, before):
    """Delete the contact-form messages sent before `before`. Returns how many were deleted."""
    deleted, _by_model = ContactMessage.objects.filter(created_at__lt=before).delete()
    return deleted
