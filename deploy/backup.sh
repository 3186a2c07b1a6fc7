#!/usr/bin/env bash
# Back up the site: its PostgreSQL database (pg_dump's custom format) and the uploaded images
# (DJANGO_MEDIA_ROOT) in one archive, BACKUP_DIR/wspl-YYYYmmdd-HHMMSS.tar, holding
#   manifest.txt    when, from where, what (database, media folder, file count, code version)
#   db.dump         pg_dump -Fc, restored by deploy/restore.sh with pg_restore
#   media.tar.gz    the media folder's contents
# and its SHA-256 next to it (wspl-….tar.sha256, in `sha256sum -c` format), written last, so an
# archive without one is unfinished. Keeps the newest BACKUP_KEEP archives (0 keeps them all).
# Usage: deploy/backup.sh  (or `make backup`), in the site's environment (DATABASE_URL, DJANGO_MEDIA_ROOT).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/backups}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"

fail() { echo "backup: $*" >&2; exit 1; }

[[ "$BACKUP_KEEP" =~ ^[0-9]+$ ]] || fail "BACKUP_KEEP must be a number of archives to keep (0 keeps all), not '$BACKUP_KEEP'"
BACKUP_KEEP=$((10#$BACKUP_KEEP))  # "07" is seven, not an octal number

# DB_ENGINE, DB_NAME, MEDIA_ROOT, MEDIA_STORAGE and libpq's PG* variables, as the site's settings read them.
settings="$("$PY" "$ROOT/deploy/backup_settings.py")" || fail "could not read the site's settings with $PY"
eval "$settings"

if [ "$DB_ENGINE" != postgresql ]; then
  fail "DATABASE_URL names a $DB_ENGINE database ($DB_NAME); this backup handles PostgreSQL only.
With SQLite, stop the site and copy the database file ($DB_NAME) and the media folder ($MEDIA_ROOT)."
fi
command -v pg_dump >/dev/null || fail "pg_dump is missing: install the PostgreSQL client (apt-get install postgresql-client)"

# The archive holds password hashes and personal data: only its owner may read it.
umask 077
mkdir -p "$BACKUP_DIR"
stamp="$(date +%Y%m%d-%H%M%S)"
name="wspl-$stamp.tar"
archive="$BACKUP_DIR/$name"
[ ! -e "$archive" ] || fail "$archive already exists (two backups in one second?)"

# Built in a hidden folder beside the archive (same file system), renamed into place when complete.
work="$(mktemp -d "$BACKUP_DIR/.wspl-$stamp.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "backup: dumping database $PGDATABASE"
pg_dump --format=custom --file="$work/db.dump" "$PGDATABASE"

if [ "$MEDIA_STORAGE" != filesystem ]; then
  media_files=0
  echo "backup: uploads are kept by $MEDIA_STORAGE, not in a folder: the archive holds none; back that storage up on its own" >&2
  tar -czf "$work/media.tar.gz" -T /dev/null
elif [ -d "$MEDIA_ROOT" ]; then
  media_files="$(find "$MEDIA_ROOT" -type f | wc -l)"
  echo "backup: packing $media_files media files from $MEDIA_ROOT"
  # Exit status 1 means a file was replaced or removed while tar read it (an upload at that moment):
  # the archive is whole, and such a file is the same for the site as one uploaded after the backup.
  status=0
  tar -C "$MEDIA_ROOT" --warning=no-file-changed --warning=no-file-removed -czf "$work/media.tar.gz" . || status=$?
  [ "$status" -le 1 ] || fail "could not pack the media folder $MEDIA_ROOT"
else
  media_files=0
  echo "backup: no media folder at $MEDIA_ROOT, the archive holds no media files"
  tar -czf "$work/media.tar.gz" -T /dev/null
fi

code_version="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo "${WSPL_RELEASE:-unknown}")"
{
  echo "created: $(date --iso-8601=seconds)"
  echo "host: $(hostname)"
  echo "code: $code_version"
  echo "database: $PGDATABASE"
  echo "pg_dump: $(pg_dump --version)"
  echo "server: $(psql -X -Atc 'SHOW server_version' "$PGDATABASE")"
  echo "media_storage: $MEDIA_STORAGE"
  echo "media_root: $MEDIA_ROOT"
  echo "media_files: $media_files"
  (cd "$work" && sha256sum db.dump media.tar.gz | sed 's/^/sha256: /')
} > "$work/manifest.txt"

tar -C "$work" -cf "$work/$name" manifest.txt db.dump media.tar.gz
(cd "$work" && sha256sum "$name") > "$work/$name.sha256"
mv "$work/$name" "$archive"
mv "$work/$name.sha256" "$archive.sha256"
echo "backup: wrote $archive ($(du -h "$archive" | cut -f1)) and $archive.sha256"

shopt -s nullglob
archives=("$BACKUP_DIR"/wspl-*.tar)  # sorted by name, that is by time
if [ "$BACKUP_KEEP" -gt 0 ] && [ "${#archives[@]}" -gt "$BACKUP_KEEP" ]; then
  for old in "${archives[@]:0:${#archives[@]}-BACKUP_KEEP}"; do
    rm -f "$old" "$old.sha256"
    echo "backup: removed $old (keeping the newest $BACKUP_KEEP)"
  done
fi
