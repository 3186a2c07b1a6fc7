"""The restore drill: a backup of the site restores it exactly (`make restore-drill`; .ci/run runs it).

1. A demo site in a scratch database (DRILL_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/wspl_backup_drill) and a scratch media folder: migrate,
   `manage.py demo_data`, and logos and cover photos stored through the site's image pipeline
   (each an original and its resized copies).
2. deploy/backup.sh makes an archive, and the site is fingerprinted: for every table its row count
   and the MD5 of its rows (sorted), every sequence's position, the schema's indexes, constraints,
   triggers, functions and extensions, and the SHA-256 of every media file.
3. An archive with one byte flipped, and one without its checksum file, are refused, and the database
   and the media folder are still as they were.
4. The database is dropped and the media folder deleted; deploy/restore.sh restores into a new empty
   database.
5. Rows, a trigger and files are changed; deploy/restore.sh restores over them.
After 4 and 5 the fingerprint must equal the one taken at 2. Any difference: exit status 1.
The scratch database and folders are removed whatever happens.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
DRILL_DATABASE_URL = os.environ.get("DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wspl_backup_drill")

# Logos and cover photos wider than every resized copy (common.images.WIDTHS), so each image is
# stored as three files, through the same function the coordinator's and the admin's forms use.
ADD_IMAGES = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image
from common.images import replacing_images
from members.models import Organisation
from partnerships.models import Partnership

def picture(name):
    buffer = io.BytesIO()
    Image.effect_noise((1600, 900), 48).convert("RGB").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

for instance, fields in [
    *((p, ("logo", "cover")) for p in Partnership.objects.order_by("pk")[:2]),
    *((o, ("logo",)) for o in Organisation.objects.order_by("pk")[:1]),
]:
    with transaction.atomic(), replacing_images(instance, {f: picture(f + ".jpg") for f in fields}):
        instance.save(update_fields=fields)
"""


def user_schema(column):
    return f"{column} NOT IN ('pg_catalog', 'information_schema') AND {column} NOT LIKE 'pg\\_%'"


USER_SCHEMAS = user_schema("n.nspname")
NOT_FROM_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"

# Schema objects, each as (kind, name, definition): what pg_restore must recreate besides the rows.
SCHEMA_QUERIES = [
    f"""SELECT 'index', schemaname || '.' || indexname, indexdef FROM pg_indexes WHERE {user_schema("schemaname")}""",
    f"""SELECT 'constraint', c.conrelid::regclass || '.' || c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {USER_SCHEMAS}""",
    """SELECT 'trigger', t.tgrelid::regclass || '.' || t.tgname, pg_get_triggerdef(t.oid)
       FROM pg_trigger t WHERE NOT t.tgisinternal""",
    f"""SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE {USER_SCHEMAS} AND p.prokind = 'f' AND {NOT_FROM_EXTENSION.format(oid="p.oid")}""",
    "SELECT 'extension', extname, extversion FROM pg_extension",
    f"""SELECT 'view', n.nspname || '.' || c.relname, pg_get_viewdef(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND {USER_SCHEMAS} AND {NOT_FROM_EXTENSION.format(oid="c.oid")}""",
]


class DrillFailed(Exception):
    pass


def say(message):
    print(f"restore-drill: {message}", flush=True)


def run(command, env, *, check=True):
    """Run a command of the site; its output is shown only when it fails (or when asked for)."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise DrillFailed(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result


def server(dbname="postgres"):
    return psycopg.connect(make_conninfo(DRILL_DATABASE_URL, dbname=dbname), autocommit=True)


def drop_database(name):
    with server() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create_database(name):
    with server() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fingerprint(dbname, media_root):
    """Everything a restore must bring back, as {(kind, name): value}."""
    found = {}
    with server(dbname) as conn:
        tables = conn.execute(
            f"""SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND {USER_SCHEMAS} AND {NOT_FROM_EXTENSION.format(oid="c.oid")}"""
        ).fetchall()
        for schema, table in tables:
            count, digest = conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
                ).format(sql.Identifier(schema, table))
            ).fetchone()
            found["table", f"{schema}.{table}"] = (count, digest)
        for schema, name, last_value in conn.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences"):
            found["sequence", f"{schema}.{name}"] = last_value
        for query in SCHEMA_QUERIES:
            for kind, name, definition in conn.execute(query):
                found[kind, name] = definition
    media_root = Path(media_root)
    if media_root.exists():
        for path in sorted(media_root.rglob("*")):
            if path.is_file():
                found["media", str(path.relative_to(media_root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def differences(expected, actual):
    lines = []
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            lines.append(f"missing after restore: {key[0]} {key[1]}")
        elif key not in expected:
            lines.append(f"not in the backup but present: {key[0]} {key[1]}")
        elif expected[key] != actual[key]:
            lines.append(f"differs: {key[0]} {key[1]}: {expected[key]!r} -> {actual[key]!r}")
    return lines


def summary(print_of):
    tables = [value for (kind, _), value in print_of.items() if kind == "table"]
    kinds = [kind for kind, _ in print_of]
    schema = sum(kinds.count(kind) for kind in ("index", "constraint", "trigger", "function", "extension", "view"))
    return (
        f"{len(tables)} tables with {sum(count for count, _ in tables)} rows, {kinds.count('sequence')} sequences, "
        f"{schema} indexes, constraints, triggers, functions and extensions, {kinds.count('media')} media files"
    )


def compare(expected, dbname, media_root, when):
    actual = fingerprint(dbname, media_root)
    found = differences(expected, actual)
    if found:
        raise DrillFailed(f"{when}: {len(found)} differences\n  " + "\n  ".join(found))
    say(f"{when}: identical ({summary(actual)}), 0 differences")


def refused(archive, env, expected, dbname, media_root, why):
    """The restore must fail on this archive before it changes anything."""
    result = run(["deploy/restore.sh", archive], env, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode == 0:
        raise DrillFailed(f"restore accepted {why}:\n{output}")
    say(f"{why}: refused ({output.splitlines()[-1]})")
    compare(expected, dbname, media_root, f"after refusing {why}, the site")


def drill(work, dbname):
    media_root, backup_dir = work / "media", work / "backups"
    env = {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},  # no shared cache touched
        "DATABASE_URL": DRILL_DATABASE_URL,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "DJANGO_DEBUG": "1",
        "BACKUP_DIR": str(backup_dir),
        "RESTORE_YES": "1",
        "PY": sys.executable,
    }
    manage = [sys.executable, "manage.py"]

    say(f"building a demo site in {dbname}")
    drop_database(dbname)
    create_database(dbname)
    run([*manage, "migrate", "--noinput", "-v0"], env)
    run([*manage, "demo_data"], env)
    run([*manage, "shell", "-v0", "-c", ADD_IMAGES], env)

    run(["deploy/backup.sh"], env)
    (archive,) = backup_dir.glob("wspl-*.tar")
    if not (backup_dir / f"{archive.name}.sha256").is_file():
        raise DrillFailed(f"no checksum file next to {archive}")
    before = fingerprint(dbname, media_root)
    if not any(kind == "media" for kind, _ in before):
        raise DrillFailed("the demo site has no media files to back up")
    say(f"backed up {archive.name}: {summary(before)}")

    damaged = work / "damaged" / archive.name
    damaged.parent.mkdir()
    shutil.copy(archive, damaged)
    shutil.copy(f"{archive}.sha256", f"{damaged}.sha256")
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(data)
    refused(damaged, env, before, dbname, media_root, "an archive with one byte flipped")
    Path(f"{damaged}.sha256").unlink()
    shutil.copy(archive, damaged)
    refused(damaged, env, before, dbname, media_root, "an archive without its checksum file")

    drop_database(dbname)
    shutil.rmtree(media_root)
    create_database(dbname)
    run(["deploy/restore.sh", archive], env)
    compare(before, dbname, media_root, "restored into an empty database")

    with server(dbname) as conn:
        conn.execute("UPDATE partnerships_partnership SET name = name || ' (zmieniona)'")
        conn.execute("DELETE FROM events_occurrence WHERE id IN (SELECT id FROM events_occurrence LIMIT 10)")
        conn.execute("INSERT INTO auth_group (name) VALUES ('dodana po kopii')")
        conn.execute("DROP TRIGGER search_words_insert ON partnerships_partnership")
    media_files = sorted(path for path in media_root.rglob("*") if path.is_file())
    media_files[0].unlink()
    media_files[1].write_bytes(b"changed")
    (media_root / "added-after-backup.txt").write_text("not in the backup")
    changed = len(differences(before, fingerprint(dbname, media_root)))
    if not changed:
        raise DrillFailed("changing the site left its fingerprint as it was: the drill could not see a difference")
    say(f"changed the site ({changed} differences from the backup)")
    run(["deploy/restore.sh", archive], env)
    compare(before, dbname, media_root, "restored over the changed site")


def main():
    # A CI runner's or a terminal's stop still cleans up (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    dbname = conninfo_to_dict(DRILL_DATABASE_URL).get("dbname", "")
    if "drill" not in dbname:
        say(f"FAILED: the drill drops its database: DRILL_DATABASE_URL must name one with 'drill' in it: {dbname!r}")
        return 1
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="wspl-restore-drill-"))
    try:
        drill(work, dbname)
    except DrillFailed as failure:
        say(f"FAILED: {failure}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        drop_database(dbname)
    say(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
