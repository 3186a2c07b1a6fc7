"""EXPLAIN every query of every measured page at scale, and report sequential scans of the large tables.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wspl_bench .venv/bin/python bench/explain.py

Each page is fetched anonymously in-process (Django's test client, production settings,
page cache and fragment cache off) while its SQL is captured; each statement is then run
again under `EXPLAIN (ANALYZE, FORMAT JSON)`. A "large" table holds at least LARGE_ROWS rows.
The same renders give the cold cost of each page: the CPU time of a render with nothing
cached (the first visit after a change of the data), the best of COLD_RENDERS.
Prints a Markdown section (bench/run.py puts it in bench/results.md); exits 1 when a
page makes more than 10 queries or a query reads a large table sequentially.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspl_site.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-explain-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pages import pages  # noqa: E402

from search.engine import SEARCH_SETTINGS  # noqa: E402

LARGE_ROWS = 10000
MAX_QUERIES = 10
COLD_RENDERS = 3


def large_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND reltuples >= %s "
            "AND relnamespace = 'public'::regnamespace ORDER BY relname",
            [LARGE_ROWS],
        )
        return dict(cursor.fetchall())


def walk(node):
    yield node
    for child in node.get("Plans", ()):
        yield from walk(child)


def explain(sql):
    statement = sql.strip()
    if statement.upper().startswith("DECLARE"):  # a server-side cursor (iterator()): explain its SELECT
        statement = statement[statement.upper().index(" FOR ") + len(" FOR ") :]
    if not statement.upper().startswith(("SELECT", "WITH")):
        return None
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
        return cursor.fetchone()[0][0]


def main():
    if connection.vendor != "postgresql":
        sys.exit("bench/explain.py needs PostgreSQL (DATABASE_URL=postgres://…)")
    large = large_tables()
    client = Client()
    rows, problems = [], 0
    for name, path in pages():
        cold = []
        for _ in range(COLD_RENDERS):
            started = time.process_time()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            cold.append((time.process_time() - started) * 1000)
        statements = [q["sql"] for q in captured.captured_queries]
        seq, slowest, total = set(), 0.0, 0.0
        plans = []
        # The search sets its own settings for its transaction (no JIT, no parallel workers) before its queries:
        # every statement of the page is explained in one transaction, with those settings where the page set them.
        with transaction.atomic():
            for batch in statements:
                for sql in batch.split(";\n"):
                    if sql.strip() == SEARCH_SETTINGS:
                        with connection.cursor() as cursor:
                            cursor.execute(sql)
                    else:
                        plans.append(explain(sql))
        for plan in plans:
            if plan is None:
                continue
            ms = plan["Execution Time"] + plan.get("Planning Time", 0.0)
            total += ms
            slowest = max(slowest, ms)
            for node in walk(plan["Plan"]):
                if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in large:
                    seq.add(node["Relation Name"])
        bad = len(statements) > MAX_QUERIES or seq or response.status_code != 200
        problems += bool(bad)
        rows.append(
            f"| {name} | {response.status_code} | {len(statements)} | {min(cold):.1f} | {total:.1f} | {slowest:.1f} | "
            f"{', '.join(sorted(seq)) or 'none'} |"
        )
    tables = ", ".join(f"{table} ({count:,})".replace(",", " ") for table, count in large.items())
    print(f"Large tables (≥ {LARGE_ROWS:,} rows): {tables}.".replace(",", " ", 1))
    print()
    print(
        "| page | status | queries | CPU ms, nothing cached | DB time, ms (planning + execution) | slowest query, ms "
        "| seq scan of a large table |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    if "--json" in sys.argv:
        print(json.dumps({"problems": problems}))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
