"""`python manage.py purge_history`: once a week, from a systemd timer (deploy/systemd/wspl-purge.timer) or cron.

Keeps what the privacy page promises (the periods are the network's facts, which staff set in the admin): the
change history for `history_retention_years` (5) with each object's last version kept for good, invitations
for `invitation_retention_days` (90) after they expired, and the messages of the partnerships' contact form for
`contact_message_retention_months` (12) after they were sent.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from common.history import purge_old_versions
from network.models import Facts
from partnerships.services import delete_expired_invitations, delete_old_contact_messages


class Command(BaseCommand):
    help = _(
        "Usuwa z historii zmian wersje starsze niż okres podany w danych sieci (ostatnia wersja każdego wpisu "
        "zostaje), zaproszenia, które wygasły dawniej niż podany tam okres, i starsze wiadomości z formularzy "
        "kontaktowych partnerstw."
    )

    def handle(self, *args, **options):
        facts = Facts.current()
        now = timezone.now()
        versions = purge_old_versions(now - relativedelta(years=facts.history_retention_years))
        invitations = delete_expired_invitations(before=now - timedelta(days=facts.invitation_retention_days))
        contact_messages = delete_old_contact_messages(
            before=now - relativedelta(months=facts.contact_message_retention_months)
        )
        self.stdout.write(
            _("Usunięte stare wersje z historii: %(versions)s; usunięte wygasłe zaproszenia: %(invitations)s.")
            % {"versions": sum(versions.values()), "invitations": invitations}
        )
        self.stdout.write(
            _("Usunięte stare wiadomości z formularzy kontaktowych: %(count)s.") % {"count": contact_messages}
        )
        for label, count in sorted(versions.items()):
            self.stdout.write(f"  {label}: {count}")
