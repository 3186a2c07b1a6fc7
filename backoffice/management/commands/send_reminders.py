"""`python manage.py send_reminders`: once a day, from a systemd timer (deploy/systemd/wspl-reminders.timer) or cron.

E-mails the coordinators of partnerships whose data wait for their check (partnerships.services), and lists for
staff the invitations that expired unused, as the dashboard does. Running it again the same day sends nothing
twice; the e-mails go through the background queue, so a mail server that is down delays them, never loses them.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.dashboard import expired_invitations
from partnerships.services import send_verification_reminders


class Command(BaseCommand):
    help = _(
        "Przypomina koordynatorom o sprawdzeniu danych partnerstwa (11 miesięcy po ostatnim potwierdzeniu i miesiąc "
        "później) i wypisuje zaproszenia, które wygasły nieprzyjęte. Uruchamiaj raz dziennie."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help=_("Dzień, dla którego liczyć terminy (RRRR-MM-DD); domyślnie dziś."),
        )

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            raise CommandError(
                _("Ustaw DJANGO_SITE_URL (np. https://wspl.example.org): e-maile zawierają link do strony.")
            )
        today = options["date"] or timezone.localdate()
        reminders = send_verification_reminders(today=today, url_for=lambda path: settings.SITE_URL + path)
        self.stdout.write(_("Wysłane przypomnienia: %(count)s.") % {"count": len(reminders)})
        for reminder in reminders:
            self.stdout.write(f"  {reminder.partnership} ({reminder.number}): {reminder.recipients}")
        expired = list(expired_invitations(timezone.now()).select_related("partnership").order_by("expires_at"))
        if expired:
            self.stdout.write(_("Zaproszenia, które wygasły nieprzyjęte (panel BORIS, „Wymaga uwagi”):"))
            for invitation in expired:
                self.stdout.write(f"  {invitation.email} – {invitation.partnership} ({invitation.expires_at:%Y-%m-%d})")
