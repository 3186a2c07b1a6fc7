"""`python manage.py scale_data`: a generated network at a hundred times the city's size, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from demo import scale


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = _(
        "Tworzy wygenerowaną sieć do testów wydajności (domyślnie 2000 partnerstw, 50 000 organizacji, "
        "200 000 wydarzeń). Odmawia pracy na bazie z prawdziwymi danymi bez opcji --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=positive, default=2000, help=_("Liczba partnerstw."))
        parser.add_argument("--organisations", type=positive, default=50000, help=_("Liczba organizacji."))
        parser.add_argument("--events", type=positive, default=200000, help=_("Liczba wydarzeń."))
        parser.add_argument("--seed", type=int, default=2026, help=_("Ziarno generatora (te same dane co raz)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Dodaj dane także do bazy, w której są dane niewygenerowane (prawdziwe)."),
        )

    def handle(self, *args, **options):
        foreign = scale.foreign_rows()
        if foreign and not options["force"]:
            listed = ", ".join(f"{name}: {count}" for name, count in foreign.items())
            raise CommandError(
                _(
                    "Ta baza zawiera dane, których nie wygenerowało to polecenie (%(rows)s). "
                    "Użyj osobnej bazy (DATABASE_URL) albo potwierdź opcją --force."
                )
                % {"rows": listed}
            )
        sizes = scale.Sizes(
            partnerships=options["partnerships"], organisations=options["organisations"], events=options["events"]
        )
        if scale.has_generated_rows():
            self.stdout.write(_("Usuwam poprzednio wygenerowaną sieć…"))
            with transaction.atomic():
                scale.delete_generated(self.stdout.write)
        self.stdout.write(
            _("Generuję sieć: %(p)s partnerstw, %(o)s organizacji, %(e)s wydarzeń.")
            % {"p": sizes.partnerships, "o": sizes.organisations, "e": sizes.events}
        )
        counts = scale.build_network(sizes, seed=options["seed"], report=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(_("Gotowe. Wstawione wiersze:")))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
