"""`make bench`: the site against the fastest thing the same stack serves, side by side, in one run.

Starts gunicorn on 127.0.0.1 (pinned to one core with taskset) against DATABASE_URL
(PostgreSQL holding `bench/scale_data.py`'s network; made when missing), with Redis as the cache,
and measures with wrk (pinned to another core), in alternating rounds:

* for each page a static file of that page's size, served by WhiteNoise from the same gunicorn;
* each page anonymously from the page cache, and rendered afresh (`Cache-Control: no-cache`).

Server CPU per request comes from /proc (user + system time of the gunicorn processes).
Writes bench/results.md: requests/s, p50/p95/p99, CPU ms per request, each figure's ratio to
the static file, the goals and whether they hold, the EXPLAIN check (bench/explain.py),
the machine's cores and load, and the workers' memory. Bounded: about ten minutes.

Environment: DATABASE_URL, REDIS_URL (default redis://127.0.0.1:6379/15), BENCH_SECONDS
(per measurement, default 4), BENCH_ROUNDS (default 3: medians of three are steadier on a shared
machine), BENCH_WORKERS (default 2), BENCH_CONNECTIONS (default 2), BENCH_PORT (default 8765).
BENCH_ONLY: a comma-separated list of target names (as in the table, e.g. "home,agenda (uncached)";
separate them with ";" to name one with a comma, "organisation list, filtered;home") for a quick look
while working: it measures those and the static file, prints them and leaves bench/results.md alone.
"""

import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE_URL = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/wspl_bench"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PAIR_SECONDS = int(os.environ.get("BENCH_PAIR_SECONDS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
_ONLY = os.environ.get("BENCH_ONLY", "")
ONLY = {name.strip() for name in _ONLY.split(";" if ";" in _ONLY else ",") if name.strip()}
CLK_TCK = os.sysconf("SC_CLK_TCK")
CACHED = [
    "home",
    "partnership list",
    "partnership detail",
    "organisation list, filtered",
    "district detail",
    "agenda",
    "month calendar",
    "event detail",
    "search",
    "iCal feed",
]
LIST_AND_DETAIL = [*CACHED[1:8], "iCal feed"]
# Rendered with nothing cached (the first visit after any change of the data): list and detail pages, and the rest.
COLD_LIST_AND_DETAIL = [
    "partnership list",
    "partnership detail",
    "organisation list, filtered",
    "organisation detail",
    "district detail",
    "agenda",
    "event detail",
]
COLD_OTHER = ["home", "month calendar", "iCal feed"]
COMMON_SEARCHES = ["search, a district", "search, a common word"]
GOAL_CACHED_RPS, GOAL_CACHED_P95, GOAL_CPU, GOAL_SEARCH_MS, GOAL_DEPTH, GOAL_RSS_MB = 0.8, 2.0, 0.08, 50, 1.5, 200
GOAL_COLD, GOAL_COLD_OTHER, GOAL_SEARCH_DB_MS = 0.02, 0.01, 100


def log(text):
    print(text, flush=True)


def server_env(static_root):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_DEBUG="0",
        DJANGO_PAGE_CACHE_SECONDS="600",
        DJANGO_LOG_LEVEL="ERROR",
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def ensure_scale_data(env):
    """Create and fill the benchmark database when it does not hold the generated network yet."""
    name = DATABASE_URL.rsplit("/", 1)[-1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    # A database that has every migration is only read.
    if subprocess.run([PYTHON, "manage.py", "migrate", "--check", "-v0"], cwd=ROOT, env=env, check=False).returncode:
        manage(env, "migrate", "--noinput", "-v0")
    count = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from partnerships.models import Partnership as P; print(P.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    if int(count) < 1000:
        log("The benchmark database has no network at scale yet: running bench/scale_data.py (a few minutes)…")
        subprocess.run([PYTHON, "bench/scale_data.py"], cwd=ROOT, env=env, check=True)


def page_list(env):
    code = (
        "import sys, json; sys.path.insert(0, 'bench'); from pages import pages, first_pages;"
        "from django.test import Client; c = Client(HTTP_X_FORWARDED_PROTO='https');"
        "p = pages(); f = first_pages();"
        "sizes = {path: len(c.get(path).content) for path in {*(path for _n, path in p), *f.values()}};"
        "print(json.dumps({'pages': p, 'first': f, 'sizes': sizes}))"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def server_pids(master):
    return [master, *children(master)]


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return total


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wrk(url, *, fresh, seconds):
    headers = ["-H", "X-Forwarded-Proto: https"]
    if fresh:
        headers += ["-H", "Cache-Control: no-cache"]
    command = [
        "taskset", "-c", "1", "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s",
        "-s", str(ROOT / "bench" / "report.lua"), *headers, url,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(master, url, *, fresh, seconds=SECONDS):
    pids = server_pids(master)
    before = cpu_ticks(pids)
    result = wrk(url, fresh=fresh, seconds=seconds)
    # wrk stops with a request in flight on each connection: let the server finish them (and count them),
    # so that no work spills into the next measurement.
    previous, deadline = None, time.monotonic() + 60
    while time.monotonic() < deadline:
        now = cpu_ticks(pids)
        if now == previous:
            break
        previous = now
        time.sleep(0.25)
    used = cpu_ticks(pids) - before
    requests = result["requests"] + CONNECTIONS
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["cpu_ms"] = used * 1000 / CLK_TCK / requests
    result["rss_mb"] = max(rss_mb(pid) for pid in server_pids(master)[1:] or [master])
    return result


def median(results, key):
    return statistics.median(r[key] for r in results)


def summary(results):
    return {key: median(results, key) for key in ("rps", "p50", "p95", "p99", "cpu_ms")} | {
        "requests": sum(r["requests"] for r in results),
        "errors": sum(r["errors"] + r["non2xx"] for r in results),
        "rss_mb": max(r["rss_mb"] for r in results),
    }


def ms(us):
    return f"{us / 1000:.1f}"


def verdict(ok):
    return "holds" if ok else "**does not hold**"


def measure_server(env, base, targets, sizes, results, paired):
    """Start gunicorn with `env`, measure each target right after a static file of its size, in rounds."""
    command = [
        "taskset", "-c", "0", GUNICORN, "wspl_site.wsgi", "--bind", f"127.0.0.1:{PORT}",
        "--workers", str(WORKERS), "--worker-class", "sync", "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                first_static = f"{base}/static/bench/page-{sizes[targets[0][1]]}.html"
                ready = urllib.request.Request(first_static, headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(ready, timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        log(f"warming up {len(targets)} targets…")
        for _name, path, _fresh in targets:
            for _ in range(2):
                request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(request, timeout=60).read()
        for name, _path, _fresh in targets:
            results[name], paired[name] = [], []
        # Each page is measured right after the static file: the machine is shared and its speed drifts
        # within a run, so each page is compared with the static file of the same minute.
        for round_number in range(1, ROUNDS + 1):
            for name, path, fresh in targets:
                static_url = f"{base}/static/bench/page-{sizes[path]}.html"
                reference = measure(server.pid, static_url, fresh=False, seconds=PAIR_SECONDS)
                results["static file"].append(reference)
                paired[name].append(reference)
                result = measure(server.pid, base + path, fresh=fresh)
                results[name].append(result)
                log(
                    f"round {round_number} {name}: {result['rps']:.0f} req/s, p95 {ms(result['p95'])} ms, "
                    f"{result['cpu_ms']:.2f} ms CPU (static file just before: {reference['rps']:.0f} req/s, "
                    f"{reference['cpu_ms']:.2f} ms CPU)"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    static_root = Path(tempfile.mkdtemp(prefix="wspl-bench-static-"))
    env = server_env(static_root)
    ensure_scale_data(env)
    log("collectstatic…")
    manage(env, "collectstatic", "--noinput", "-v0")
    listing = page_list(env)
    pages, first_of, sizes = listing["pages"], listing["first"], listing["sizes"]
    # One static file per page size: each page is compared with serving as many bytes from disk.
    (static_root / "bench").mkdir(exist_ok=True)
    for size in set(sizes.values()):
        (static_root / "bench" / f"page-{size}.html").write_bytes(b"x" * size)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=False, capture_output=True)

    base = f"http://127.0.0.1:{PORT}"
    extra_first = [("archive", first_of["archive, last page"])]
    uncached = [(name, path) for name, path in pages] + [
        (name, path) for name, path in extra_first if path not in {p for _n, p in pages}
    ]
    # Two servers, one after the other: one with the caches on (pages from the page cache, and rendered afresh with
    # the shared fragments), one with them off (DJANGO_PAGE_CACHE_SECONDS=0: every fragment computed, as on the
    # first visit after a change of the data).
    servers = [
        (
            {},
            [(name, path, False) for name, path in pages if name in CACHED]
            + [(f"{name} (uncached)", path, True) for name, path in uncached],
        ),
        ({"DJANGO_PAGE_CACHE_SECONDS": "0"}, [(f"{name} (nothing cached)", path, False) for name, path in uncached]),
    ]
    results, paired = {"static file": []}, {}
    started = time.monotonic()
    for changes, targets in servers:
        if ONLY:
            targets = [target for target in targets if target[0] in ONLY]
        if targets:
            measure_server(env | changes, base, targets, sizes, results, paired)
    load = os.getloadavg()
    elapsed = time.monotonic() - started
    explain = ""
    if not ONLY:
        log("EXPLAIN at scale…")
        done = subprocess.run(
            [PYTHON, "bench/explain.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        explain = done.stdout or done.stderr[-2000:]
    shutil.rmtree(static_root, ignore_errors=True)
    if ONLY:
        for name, rows in paired.items():
            page, static = summary(results[name]), summary(rows)
            log(
                f"{name}: {page['rps']:.0f} req/s ({page['rps'] / static['rps']:.2f} × the static file), "
                f"p95 {ms(page['p95'])} ms ({page['p95'] / static['p95']:.2f} ×), {page['cpu_ms']:.2f} ms CPU "
                f"(CPU ratio {static['cpu_ms'] / max(page['cpu_ms'], 1e-6):.3f})"
            )
        return
    write_results(results, paired, pages, first_of, explain, load, elapsed, sizes)


def explain_db_ms(explain, names):
    """{page: database time in ms} from bench/explain.py's table (its 5th column)."""
    found = {}
    for line in explain.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0] in names:
            with contextlib.suppress(ValueError):
                found[cells[0]] = float(cells[4])
    return found


def write_results(results, paired, pages, first_of, explain, load, elapsed, sizes):
    stats = {name: summary(rows) for name, rows in results.items()}
    static = stats["static file"]
    # The static file measured next to each page: what that page's ratios are taken against.
    reference = {name: summary(rows) for name, rows in paired.items()} | {"static file": static}
    lines = [
        "# Benchmark at a hundred times the city",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (bench/run.py) on "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"load average (1, 5, 15 min) at the end {' / '.join(f'{x:.2f}' for x in load)}; "
        f"{elapsed / 60:.1f} minutes of measuring.",
        f"gunicorn, {WORKERS} sync workers, pinned to core 0; wrk, 1 thread, {CONNECTIONS} connections, pinned to "
        f"core 1; PostgreSQL and Redis on the same machine, unpinned. {ROUNDS} alternating rounds of {SECONDS} s "
        f"per target, each right after {PAIR_SECONDS} s of the static file; each figure is the median of the rounds, "
        "and each page's ratios are to the static file measured next to it (the *static file* row is the median of "
        "all those measurements).",
        "Data: `bench/scale_data.py` defaults (2000 partnerships, 50 000 organisations, 200 000 events).",
        "Each page is compared with a static file of its own size (the *kB* column), served by WhiteNoise from the "
        "same gunicorn; the *static file* row is the median of all of them.",
        "",
        "Ratios: requests/s and latency as page ÷ static file; **CPU ratio = static file's CPU per request ÷ the "
        "page's** (1 = as cheap as the static file).",
        "",
        "*(uncached)*: each request sends `Cache-Control: no-cache`, so the page cache is bypassed and the page is "
        "rendered; the fragments shared by every visitor (filter forms with their counts, cards, the month's grid, "
        "a partnership's members, list counts, the iCal body) come from the fragment cache, as on any visit but the "
        "first since the data last changed. *(nothing cached)*: a second server with the caches off "
        "(`DJANGO_PAGE_CACHE_SECONDS=0`): every fragment is computed, as on the first visit after any change of "
        "the data (what every edit anywhere brings about).",
        "",
        "| target | kB | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | static file req/s, CPU ms "
        "| req/s ratio | p95 ratio | CPU ratio | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    paths = (
        dict(pages)
        | {f"{name} (uncached)": path for name, path in pages}
        | {f"{name} (nothing cached)": path for name, path in pages}
        | {"archive (uncached)": first_of.get("archive, last page")}
        | {"archive (nothing cached)": first_of.get("archive, last page")}
    )
    for name, s in stats.items():
        size = f"{sizes[paths[name]] / 1024:.0f}" if paths.get(name) in sizes else "–"
        lines.append(
            f"| {name} | {size} | {s['rps']:.0f} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | "
            f"{s['cpu_ms']:.2f} | "
            f"{reference[name]['rps']:.0f}, {reference[name]['cpu_ms']:.2f} | "
            f"{s['rps'] / reference[name]['rps']:.2f} | {s['p95'] / reference[name]['p95']:.2f} | "
            f"{reference[name]['cpu_ms'] / max(s['cpu_ms'], 1e-6):.3f} | {s['errors']} |"
        )
    errors = sum(s["errors"] for s in stats.values())
    rss = max(s["rss_mb"] for s in stats.values())
    cached = {name: stats[name] for name in CACHED if name in stats}
    cached_ok = [
        n
        for n, s in cached.items()
        if s["rps"] >= GOAL_CACHED_RPS * reference[n]["rps"] and s["p95"] <= GOAL_CACHED_P95 * reference[n]["p95"]
    ]
    cpu = {
        n: reference[f"{n} (uncached)"]["cpu_ms"] / max(stats[f"{n} (uncached)"]["cpu_ms"], 1e-6)
        for n in LIST_AND_DETAIL
    }
    cpu_ok = [n for n, ratio in cpu.items() if ratio >= GOAL_CPU]

    def cold_ratios(names):
        return {
            n: reference[f"{n} (nothing cached)"]["cpu_ms"] / max(stats[f"{n} (nothing cached)"]["cpu_ms"], 1e-6)
            for n in names
            if f"{n} (nothing cached)" in stats
        }

    cold = cold_ratios(COLD_LIST_AND_DETAIL)
    cold_other = cold_ratios(COLD_OTHER)
    cold_ok = [n for n, ratio in cold.items() if ratio >= GOAL_COLD]
    cold_other_ok = [n for n, ratio in cold_other.items() if ratio >= GOAL_COLD_OTHER]
    search_db = explain_db_ms(explain, ["search", *COMMON_SEARCHES])
    search_p95 = stats["search (uncached)"]["p95"] / 1000
    depth = []
    for how in ("uncached", "nothing cached"):
        for deep, first_path in first_of.items():
            first_name = next((n for n, p in pages if p == first_path), "archive")
            first = stats.get(f"{first_name} ({how})")
            last = stats.get(f"{deep} ({how})")
            if first and last and first["p50"] and first["cpu_ms"]:
                depth.append(
                    (f"{deep} ({how})", first_name, last["p50"] / first["p50"], last["cpu_ms"] / first["cpu_ms"])
                )
    depth_ok = [d for d in depth if d[2] <= GOAL_DEPTH]
    lines += [
        "",
        f"Errors and non-2xx responses: {errors}. Largest gunicorn worker RSS during the run: {rss:.0f} MB.",
        "",
        "## Goals",
        "",
        "| goal | result | verdict |",
        "| --- | --- | --- |",
        f"| cached pages ≥ {GOAL_CACHED_RPS} × the static file's req/s and p95 ≤ {GOAL_CACHED_P95:g} × its p95 | "
        f"{len(cached_ok)} of {len(cached)} pages; below: {', '.join(n for n in cached if n not in cached_ok) or '–'}"
        f" | {verdict(len(cached_ok) == len(cached))} |",
        f"| uncached list and detail pages: CPU ratio ≥ {GOAL_CPU} (≈ {static['cpu_ms'] / GOAL_CPU:.1f} ms CPU here) | "
        f"{len(cpu_ok)} of {len(cpu)}; below: "
        f"{', '.join(f'{n} ({r:.3f})' for n, r in cpu.items() if n not in cpu_ok) or '–'} | "
        f"{verdict(len(cpu_ok) == len(cpu))} |",
        f"| nothing cached, list and detail pages: CPU ratio ≥ {GOAL_COLD} (≈ {static['cpu_ms'] / GOAL_COLD:.0f} ms "
        f"CPU here) | {len(cold_ok)} of {len(cold)}; "
        + ", ".join(f"{n} {r:.3f}" for n, r in cold.items())
        + f" | {verdict(len(cold_ok) == len(cold) > 0)} |",
        f"| nothing cached, home, month calendar and iCal feed: CPU ratio ≥ {GOAL_COLD_OTHER} "
        f"(≈ {static['cpu_ms'] / GOAL_COLD_OTHER:.0f} ms CPU here) | {len(cold_other_ok)} of {len(cold_other)}; "
        + ", ".join(f"{n} {r:.3f}" for n, r in cold_other.items())
        + f" | {verdict(len(cold_other_ok) == len(cold_other) > 0)} |",
        f"| search p95 ≤ {GOAL_SEARCH_MS} ms on PostgreSQL (uncached) | {search_p95:.1f} ms | "
        f"{verdict(search_p95 <= GOAL_SEARCH_MS)} |",
        f"| the most common words: ≤ {GOAL_SEARCH_DB_MS} ms of database time (EXPLAIN ANALYZE below) | "
        + ", ".join(f"{n}: {v:.0f} ms" for n, v in search_db.items())
        + f" | {verdict(bool(search_db) and max(search_db.values()) <= GOAL_SEARCH_DB_MS)} |",
        f"| last page ≤ {GOAL_DEPTH} × the first (p50 latency, uncached) | "
        + "; ".join(f"{d}: {lat:.2f} × latency, {c:.2f} × CPU" for d, _f, lat, c in depth)
        + f" | {verdict(len(depth_ok) == len(depth))} |",
        "| every public page ≤ 10 queries, no session or user queries | see the EXPLAIN check below; flat counts at "
        "2 and 12 rows are asserted by the test suite | see below |",
        f"| gunicorn worker under {GOAL_RSS_MB} MB RSS | {rss:.0f} MB | {verdict(rss < GOAL_RSS_MB)} |",
        "",
        "## EXPLAIN of every query at scale (bench/explain.py)",
        "",
        explain.strip() or "(bench/explain.py printed nothing)",
        "",
    ]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n")
    log("wrote bench/results.md")


if __name__ == "__main__":
    main()
