"""`python manage.py demo_data`: load (or refresh) the demo network. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.loader import COORDINATOR_LOGIN, STAFF_LOGIN, STAFF_TOTP_SECRET, load_demo, staff_authenticator


class Command(BaseCommand):
    help = _("Wczytuje przykładową sieć partnerstw z kontami demonstracyjnymi; można uruchamiać wielokrotnie.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Wczytaj dane także przy wyłączonym trybie DEBUG (np. w testach)."),
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "Dane demonstracyjne zakładają konta ze znanymi hasłami, więc bez trybu DEBUG trzeba "
                    "potwierdzić je opcją --force. Nie wczytuj ich na prawdziwej stronie."
                )
            )
        counts = load_demo()
        self.stdout.write(self.style.SUCCESS(_("Wczytano dane demonstracyjne sieci WSPL:")))
        for model, count in counts.items():
            self.stdout.write(f"  {model._meta.verbose_name_plural}: {count}")
        self.stdout.write("")
        self.stdout.write(_("Konta demonstracyjne (tylko do pokazu – nigdy na prawdziwej stronie):"))
        self.stdout.write(
            _("  pracownik BORIS (administracja): login %(login)s, hasło %(password)s")
            % {
                "login": STAFF_LOGIN[0],
                "password": STAFF_LOGIN[1],
            }
        )
        self.stdout.write(
            _(
                "    po haśle kod z aplikacji uwierzytelniającej (Aegis, FreeOTP, Google Authenticator…): dodaj w niej "
                "konto z kluczem %(secret)s albo otwórz w telefonie link %(url)s"
            )
            % {"secret": STAFF_TOTP_SECRET, "url": staff_authenticator().config_url}
        )
        self.stdout.write(
            _("  koordynatorka partnerstwa „Dla Rudawki i Zatrasia”: login %(login)s, hasło %(password)s")
            % {"login": COORDINATOR_LOGIN[0], "password": COORDINATOR_LOGIN[1]}
        )
