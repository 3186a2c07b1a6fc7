"""`python manage.py send_exchange_digest`: once a week, from cron (see README, "Giełda zasobów").

E-mails every coordinator who asked for it the exchange's entries added in the seven whole days before today, but
their own partnerships'; nothing to whom there is nothing new. The e-mails go through the background queue.
"""

from django.utils.translation import gettext as _

from backoffice.mailing import DatedMailCommand, site_url_for
from network.services import send_exchange_digest


class Command(DatedMailCommand):
    help = _(
        "Wysyła koordynatorom, którzy o to poprosili, przegląd wpisów giełdy zasobów z minionych 7 dni. "
        "Uruchamiaj raz w tygodniu."
    )

    def handle(self, *args, **options):
        sent = send_exchange_digest(today=self.day(options), url_for=site_url_for)
        self.stdout.write(_("Wysłane przeglądy giełdy: %(count)s.") % {"count": len(sent)})
        for email, count in sent.items():
            self.stdout.write(f"  {email}: {count}")
