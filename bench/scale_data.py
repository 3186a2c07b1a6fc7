"""`python bench/scale_data.py`: a generated network at a hundred times the city's size, for the benchmark.

    DATABASE_URL=postgres://…/wspl_bench .venv/bin/python bench/scale_data.py [--partnerships N]
        [--organisations N] [--events N] [--seed N] [--force]

Fills the database the site's settings name (DATABASE_URL) with 2000 partnerships, 50 000
organisations and 200 000 events unless told other sizes (see bench/scale.py). It refuses a
database holding rows it did not generate unless given --force, and replaces the network an
earlier run generated. `bench/run.py` runs it when the benchmark's database is empty.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Make the site importable and set it up, as manage.py does (once per process)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspl_site.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def parser():
    from django.utils.translation import gettext as _

    arguments = argparse.ArgumentParser(
        prog="bench/scale_data.py",
        description=_(
            "Tworzy wygenerowaną sieć do testów wydajności (domyślnie 2000 partnerstw, 50 000 organizacji, "
            "200 000 wydarzeń). Odmawia pracy na bazie z prawdziwymi danymi bez opcji --force."
        ),
    )
    arguments.add_argument("--partnerships", type=positive, default=2000, help=_("Liczba partnerstw."))
    arguments.add_argument("--organisations", type=positive, default=50000, help=_("Liczba organizacji."))
    arguments.add_argument("--events", type=positive, default=200000, help=_("Liczba wydarzeń."))
    arguments.add_argument("--seed", type=int, default=2026, help=_("Ziarno generatora (te same dane co raz)."))
    arguments.add_argument(
        "--force",
        action="store_true",
        help=_("Dodaj dane także do bazy, w której są dane niewygenerowane (prawdziwe)."),
    )
    return arguments


def main(argv=None, *, out=sys.stdout):
    """Build the network; a database with real data (and no --force) ends the program with a message."""
    setup_django()
    from django.db import transaction
    from django.utils.translation import gettext as _

    from bench import scale

    options = parser().parse_args(argv)

    def report(text):
        print(text, file=out, flush=True)

    foreign = scale.foreign_rows()
    if foreign and not options.force:
        listed = ", ".join(f"{name}: {count}" for name, count in foreign.items())
        sys.exit(
            _(
                "Ta baza zawiera dane, których nie wygenerowało to polecenie (%(rows)s). "
                "Użyj osobnej bazy (DATABASE_URL) albo potwierdź opcją --force."
            )
            % {"rows": listed}
        )
    sizes = scale.Sizes(partnerships=options.partnerships, organisations=options.organisations, events=options.events)
    if scale.has_generated_rows():
        report(_("Usuwam poprzednio wygenerowaną sieć…"))
        with transaction.atomic():
            scale.delete_generated(report)
    report(
        _("Generuję sieć: %(p)s partnerstw, %(o)s organizacji, %(e)s wydarzeń.")
        % {"p": sizes.partnerships, "o": sizes.organisations, "e": sizes.events}
    )
    counts = scale.build_network(sizes, seed=options.seed, report=report)
    report(_("Gotowe. Wstawione wiersze:"))
    for label, count in counts.items():
        report(f"  {label}: {count}")


if __name__ == "__main__":
    main()
