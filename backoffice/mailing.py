"""What the commands that e-mail coordinators share (send_reminders, send_exchange_digest): the day to count from
(`--date`, for a trial on a copy of the database) and the site's address, which every e-mail's links need."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _


def site_url_for(path):
    return settings.SITE_URL + path


class DatedMailCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help=_("Dzień, dla którego liczyć terminy (RRRR-MM-DD); domyślnie dziś."),
        )

    def day(self, options):
        """The day to count from; refuses to run without DJANGO_SITE_URL."""
        if not settings.SITE_URL:
            raise CommandError(
                _("Ustaw DJANGO_SITE_URL (np. https://wspl.example.org): e-maile zawierają link do strony.")
            )
        return options["date"] or timezone.localdate()
