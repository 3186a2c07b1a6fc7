"""`python manage.py send_reminders`: once a day, from a systemd timer (deploy/systemd/wspl-reminders.timer) or cron.

E-mails the coordinators of partnerships whose data wait for their check (partnerships.services) and of the
exchange's entries that expire within a week (network.services), and lists for
staff the invitations that expired unused, as the dashboard does. Running it again the same day sends nothing
twice; the e-mails go through the background queue, so a mail server that is down delays them, never loses them.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.dashboard import expired_invitations
from backoffice.mailing import DatedMailCommand, site_url_for
from network.services import send_exchange_renewal_reminders
from partnerships.services import send_verification_reminders


class Command(DatedMailCommand):
    help = _(
        "Przypomina koordynatorom o sprawdzeniu danych partnerstwa (11 miesięcy po ostatnim potwierdzeniu i miesiąc "
        "później) i o odnowieniu wpisów giełdy zasobów (tydzień przed końcem), i wypisuje zaproszenia, które wygasły "
        "nieprzyjęte. Uruchamiaj raz dziennie."
    )

    def handle(self, *args, **options):
        today = self.day(options)
        reminders = send_verification_reminders(today=today, url_for=site_url_for)
        self.stdout.write(_("Wysłane przypomnienia: %(count)s.") % {"count": len(reminders)})
        for reminder in reminders:
            self.stdout.write(f"  {reminder.partnership} ({reminder.number}): {reminder.recipients}")
        entries = send_exchange_renewal_reminders(today=today, url_for=site_url_for)
        self.stdout.write(_("Przypomnienia o odnowieniu wpisów giełdy: %(count)s.") % {"count": len(entries)})
        for entry in entries:
            self.stdout.write(f"  {entry.partnership}: {entry.title} ({entry.expires_on:%Y-%m-%d})")
        expired = list(expired_invitations(timezone.now()).select_related("partnership").order_by("expires_at"))
        if expired:
            self.stdout.write(_("Zaproszenia, które wygasły nieprzyjęte (panel BORIS, „Wymaga uwagi”):"))
            for invitation in expired:
                self.stdout.write(f"  {invitation.email} – {invitation.partnership} ({invitation.expires_at:%Y-%m-%d})")
