"""Print, as shell assignments, the database and media folder the site itself uses.

deploy/backup.sh and deploy/restore.sh read them with `eval "$(python deploy/backup_settings.py)"`, so
a backup covers exactly what the running site reads: DATABASE_URL and DJANGO_MEDIA_ROOT are parsed by
wspl_site/settings.py (with its defaults), not a second time in shell. The connection goes to libpq's
own environment variables (PGHOST, PGPASSWORD, …), so a password never appears in a command line.
"""

import os
import shlex
import sys
from pathlib import Path

# libpq's environment variable for each connection option that DATABASE_URL's query string may carry.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspl_site.settings")
    from django.conf import settings

    database = settings.DATABASES["default"]
    media_backend = settings.STORAGES["default"]["BACKEND"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    # postgis is PostgreSQL too (dj_database_url's postgis:// scheme).
    values = {
        "DB_ENGINE": "postgresql" if engine in ("postgresql", "postgis") else engine,
        "DB_NAME": str(database["NAME"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Uploads kept elsewhere (object storage) are not in MEDIA_ROOT: the scripts say so and leave them.
        "MEDIA_STORAGE": "filesystem" if media_backend.endswith(".FileSystemStorage") else media_backend,
    }
    lines = [f"{name}={shlex.quote(value)}" for name, value in values.items()]
    if values["DB_ENGINE"] == "postgresql":
        libpq = {
            "PGDATABASE": database["NAME"],
            "PGHOST": database["HOST"],
            "PGPORT": database["PORT"],
            "PGUSER": database["USER"],
            "PGPASSWORD": database["PASSWORD"],
        }
        for option, value in database.get("OPTIONS", {}).items():
            if option in LIBPQ_OPTIONS:
                libpq[LIBPQ_OPTIONS[option]] = value
        # Empty values are left out, so libpq's own defaults (and a PGHOST already set) apply, as for the site.
        lines += [f"export {name}={shlex.quote(str(value))}" for name, value in libpq.items() if value]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
