#!/usr/bin/env bash
# Restore an archive of deploy/backup.sh: the database of DATABASE_URL and the media folder
# (DJANGO_MEDIA_ROOT) become what they were when the backup was made.
# Usage: deploy/restore.sh backups/wspl-YYYYmmdd-HHMMSS.tar  (or `make restore FILE=…`)
#
# Nothing is touched until the archive has proved intact: its SHA-256 against the .sha256 file
# beside it, the checksums of its parts against its manifest, and both parts readable. The
# database must exist (empty, or the site's current one); pg_restore replaces every object the
# backup holds in one transaction, so a failure leaves the database as it was. Stop the site's
# workers first. Asks before replacing anything, unless RESTORE_YES=1.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"

fail() { echo "restore: $*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: $0 backups/wspl-YYYYmmdd-HHMMSS.tar"
archive="$1"
[ -f "$archive" ] || fail "no archive at $archive"
[ -f "$archive.sha256" ] || fail "no checksum file $archive.sha256 next to the archive, so its integrity cannot be checked; nothing was changed"

expected="$(awk '{ print $1; exit }' "$archive.sha256")"
actual="$(sha256sum < "$archive" | cut -d' ' -f1)"
if [ "$expected" != "$actual" ]; then
  fail "$archive is damaged: its SHA-256 is $actual, $archive.sha256 says $expected. Nothing was changed; take another copy of the archive."
fi
echo "restore: checksum of $archive is correct"

# DB_ENGINE, DB_NAME, MEDIA_ROOT, MEDIA_STORAGE and libpq's PG* variables, as the site's settings read them.
settings="$("$PY" "$ROOT/deploy/backup_settings.py")" || fail "could not read the site's settings with $PY"
eval "$settings"
# The media folder is emptied before it is refilled: never a folder that holds anything else.
case "$(realpath -m "$MEDIA_ROOT")" in
  / | "$ROOT" | "$(realpath -m ~)") fail "DJANGO_MEDIA_ROOT is $MEDIA_ROOT, which holds more than the uploads; nothing was changed" ;;
esac
[ "$DB_ENGINE" = postgresql ] || fail "DATABASE_URL names a $DB_ENGINE database ($DB_NAME); these archives restore into PostgreSQL only"
command -v pg_restore >/dev/null || fail "pg_restore is missing: install the PostgreSQL client (apt-get install postgresql-client)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$archive" manifest.txt db.dump media.tar.gz || fail "$archive is not a WSPL backup (manifest.txt, db.dump, media.tar.gz); nothing was changed"
(cd "$work" && sed -n 's/^sha256: //p' manifest.txt | sha256sum --check --quiet --strict) ||
  fail "the parts of $archive do not match its manifest; nothing was changed"
pg_restore --list "$work/db.dump" > "$work/toc" || fail "the database dump in $archive cannot be read; nothing was changed"
tar -tzf "$work/media.tar.gz" > "$work/media-list" || fail "the media files in $archive cannot be read; nothing was changed"
media_files="$(grep -cv '/$' "$work/media-list" || true)"
created="$(sed -n 's/^created: //p' "$work/manifest.txt")"
code="$(sed -n 's/^code: //p' "$work/manifest.txt")"

psql -X -qAtc 'SELECT 1' "$PGDATABASE" >/dev/null ||
  fail "cannot connect to the database $PGDATABASE; to restore into a new one, create it empty first (createdb -O <user> $PGDATABASE); nothing was changed"

# pg_restore --clean drops and recreates what the backup holds; a table it does not hold (made by a
# later migration) would stay and break the next `migrate`. Refuse rather than leave a mixed schema.
dump_tables="$(awk '$4 == "TABLE" && $5 != "DATA" { print $5 "." $6 }' "$work/toc" | sort)"
db_tables="$(psql -X -qAt "$PGDATABASE" <<'SQL' | sort
SELECT n.nspname || '.' || c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e');
SQL
)"
extra="$(comm -13 <(echo "$dump_tables") <(echo "$db_tables") | sed '/^$/d')"
if [ -n "$extra" ]; then
  fail "the database $PGDATABASE has tables the backup does not: $(echo "$extra" | tr '\n' ' ')
Restore into an empty database instead (dropdb $PGDATABASE && createdb -O <user> $PGDATABASE); nothing was changed."
fi

media_line="the media folder $MEDIA_ROOT ($media_files files)"
[ "$MEDIA_STORAGE" = filesystem ] || media_line="no media: uploads are kept by $MEDIA_STORAGE, which is left alone"
echo "restore: the backup made $created (code $code) will replace
  the database $PGDATABASE on ${PGHOST:-the local socket} ($(echo "$dump_tables" | sed '/^$/d' | wc -l) tables)
  $media_line"
if [ "${RESTORE_YES:-}" != 1 ]; then
  [ -t 0 ] || fail "not asked on a terminal: set RESTORE_YES=1 to restore without asking; nothing was changed"
  read -r -p "Type yes to replace them: " answer
  [ "$answer" = yes ] || fail "cancelled; nothing was changed"
fi

pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$PGDATABASE" "$work/db.dump"
echo "restore: database $PGDATABASE restored"

if [ "$MEDIA_STORAGE" = filesystem ]; then
  mkdir -p "$MEDIA_ROOT"
  find "$MEDIA_ROOT" -mindepth 1 -delete
  tar -C "$MEDIA_ROOT" -xzf "$work/media.tar.gz"
  echo "restore: media folder $MEDIA_ROOT replaced ($media_files files)"
else
  echo "restore: uploads are kept by $MEDIA_STORAGE, not in a folder: left as they are"
fi

# Cached pages and fragments are valid while the data version stands; the restore wrote past Django,
# so move the version, or the site would show what it cached from the data before the restore.
"$PY" "$ROOT/manage.py" shell -v 0 -c "from common.cache.version import bump_version; bump_version()" ||
  echo "restore: could not move the cache's data version; cached pages show the old data until they expire" >&2

echo "restore: done. If the code is newer than the backup's ($code), run: python manage.py migrate"
