"""`make bench-nginx`: the microcache of the shipped nginx site in front of the benchmark's gunicorn.

Runs deploy/nginx/wspl.conf (through deploy/local_nginx.py: loopback ports, a self-signed certificate, a
temporary directory) in front of one gunicorn with deploy/gunicorn.conf.py (2 workers), both pinned to core 0,
against bench/run.py's database at scale, and measures with wrk over https (pinned to core 1), in alternating
rounds: each cached page of bench/run.py anonymously through nginx (from the microcache: about one request a
second reaches gunicorn, which answers it from its page cache), each right after a static file of that page's
byte size served by the same nginx (nothing nginx serves is cheaper). Goal: pages at least half the static
file's requests/s. Writes bench/results-nginx.md; bench/results.md (`make bench`) stays as it is.

Environment: as bench/run.py (DATABASE_URL, REDIS_URL, BENCH_SECONDS, BENCH_ROUNDS, BENCH_PAIR_SECONDS,
BENCH_CONNECTIONS, BENCH_ONLY). Ports 18082 (http), 18083 (https), 18092 (gunicorn).
"""

import collections
import os
import platform
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
import local_nginx  # noqa: E402 (deploy/ is not a package)

HTTP, HTTPS, APP = 18082, 18083, 18092
GOAL = 0.5
CACHE_STATUS = re.compile(r"cache=(\S+)")


def cache_statuses(log, offset):
    """{status: count} of nginx's access-log lines written after `offset`, and the new offset."""
    with open(log, "rb") as file:
        file.seek(offset)
        text = file.read().decode(errors="replace")
        end = file.tell()
    return collections.Counter(CACHE_STATUS.findall(text)), end


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    problem = local_nginx.missing_tools()
    if problem:
        sys.exit(f"bench-nginx: {problem}")
    directory = Path(tempfile.mkdtemp(prefix="wspl-bench-nginx-"))
    processes = []
    try:
        measure_all(directory, processes)
    finally:
        for process in reversed(processes):
            local_nginx.stop(process)
        shutil.rmtree(directory, ignore_errors=True)


def measure_all(directory, processes):
    www = local_nginx.prepare(directory, http_port=HTTP, https_port=HTTPS, app_ports=[APP])
    env = run.server_env(www / "static") | {"DJANGO_MEDIA_ROOT": str(www / "media")}
    run.ensure_scale_data(env)
    run.log("collectstatic…")
    run.manage(env, "collectstatic", "--noinput", "-v0")
    listing = run.page_list(env)
    pages, sizes = listing["pages"], listing["sizes"]
    targets = [(name, path) for name, path in pages if name in run.CACHED and (not run.ONLY or name in run.ONLY)]
    (www / "static" / "bench").mkdir(exist_ok=True)
    for size in {sizes[path] for _name, path in targets}:
        (www / "static" / "bench" / f"page-{size}.html").write_bytes(b"x" * size)
    for path in [www / "static" / "bench", *(www / "static" / "bench").iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    subprocess.run(["redis-cli", "-u", run.REDIS_URL, "flushdb"], check=False, capture_output=True)

    gunicorn_env = env | {"GUNICORN_BIND": f"127.0.0.1:{APP}", "GUNICORN_WORKERS": str(run.WORKERS)}
    processes.append(
        subprocess.Popen(
            ["taskset", "-c", "0", run.GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=gunicorn_env | {"GUNICORN_LOG_LEVEL": "warning"},
            start_new_session=True,
        )
    )
    passed, said = local_nginx.check_config(directory)
    if not passed:
        sys.exit(f"nginx -t: {said}")
    nginx = local_nginx.start(directory, prefix=("taskset", "-c", "0"))
    processes.append(nginx)
    local_nginx.wait_for_port(APP, processes[0], seconds=60)
    local_nginx.wait_for_port(HTTPS, nginx)
    base = f"https://127.0.0.1:{HTTPS}"
    context = ssl.create_default_context(cafile=str(directory / "tls" / "fullchain.pem"))
    run.log(f"warming up {len(targets)} pages…")
    for _name, path in targets:
        for _ in range(2):
            urllib.request.urlopen(base + path, timeout=60, context=context).read()

    access_log = directory / "logs" / "wspl.access.log"
    offset = access_log.stat().st_size
    results, paired, statuses = {"static file": []}, {}, {}
    started = time.monotonic()
    for round_number in range(1, run.ROUNDS + 1):
        for name, path in targets:
            static = run.measure(nginx.pid, f"{base}/static/bench/page-{sizes[path]}.html", fresh=False,
                                 seconds=run.PAIR_SECONDS)  # fmt: skip
            _, offset = cache_statuses(access_log, offset)
            page = run.measure(nginx.pid, base + path, fresh=False)
            counted, offset = cache_statuses(access_log, offset)
            results["static file"].append(static)
            paired.setdefault(name, []).append(static)
            results.setdefault(name, []).append(page)
            statuses.setdefault(name, collections.Counter()).update(counted)
            run.log(
                f"round {round_number} {name}: {page['rps']:.0f} req/s, p95 {run.ms(page['p95'])} ms "
                f"(static file just before: {static['rps']:.0f} req/s); {dict(counted)}"
            )
    write_results(results, paired, statuses, targets, sizes, os.getloadavg(), time.monotonic() - started)


def data_size():
    code = (
        "from partnerships.models import Partnership as P; from members.models import Organisation as O;"
        "from events.models import Event as E;"
        "print(f'{P.objects.count()} partnerships, {O.objects.count()} organisations, {E.objects.count()} events')"
    )
    done = subprocess.run(
        [run.PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=run.server_env(Path(tempfile.gettempdir())),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def write_results(results, paired, statuses, targets, sizes, load, elapsed):
    stats = {name: run.summary(rows) for name, rows in results.items()}
    reference = {name: run.summary(rows) for name, rows in paired.items()}
    lines = [
        "# Through nginx: the microcache against a static file",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench-nginx` (bench/nginx.py) on "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), load average (1, 5, 15 min) at "
        f"the end {' / '.join(f'{x:.2f}' for x in load)}; {elapsed / 60:.1f} minutes of measuring.",
        "The shipped nginx site (deploy/nginx/wspl.conf with wspl-locations.conf: TLS, HTTP/2 offered, access "
        "log on, 1 worker process) in front of gunicorn (deploy/gunicorn.conf.py, "
        f"{run.WORKERS} sync workers), both pinned to core 0; wrk over https (TLS 1.3, HTTP/1.1), 1 thread, "
        f"{run.CONNECTIONS} connections, pinned to core 1; PostgreSQL and Redis on the same machine, unpinned. "
        f"{run.ROUNDS} alternating rounds of {run.SECONDS} s per page, each right after {run.PAIR_SECONDS} s of "
        "a static file of the page's byte size served by the same nginx; medians of the rounds.",
        f"Data: `bench/scale_data.py`'s network in the database {run.DATABASE_URL.rsplit('/', 1)[-1]} ({data_size()}).",
        "*nginx CPU* is the user and system time of nginx's processes per request (gunicorn's, about one "
        "request a second, is not in it). *From the microcache*: the share of the page's requests nginx answered "
        "from its copy (X-Cache-Status HIT, or UPDATING: the old copy while one request renews it); *to gunicorn*: "
        "how many went on to gunicorn (MISS, EXPIRED, REVALIDATED: renewing the copy, which gunicorn answers from "
        "its page cache, with 304 when the page is unchanged).",
        "",
        f"| page | kB | req/s | p50 ms | p95 ms | p99 ms | nginx CPU ms/req | static file req/s, p95 ms "
        f"| req/s ratio (goal ≥ {GOAL}) | p95 ratio | from the microcache | to gunicorn | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    holds = []
    for name, path in targets:
        s, r = stats[name], reference[name]
        ratio = s["rps"] / r["rps"]
        holds.append(ratio >= GOAL)
        counted = statuses[name]
        from_cache = counted["HIT"] + counted["UPDATING"] + counted["STALE"]
        to_app = sum(counted.values()) - from_cache
        lines.append(
            f"| {name} | {sizes[path] / 1024:.0f} | {s['rps']:.0f} | {run.ms(s['p50'])} | {run.ms(s['p95'])} | "
            f"{run.ms(s['p99'])} | {s['cpu_ms']:.3f} | {r['rps']:.0f}, {run.ms(r['p95'])} | {ratio:.2f} | "
            f"{s['p95'] / max(r['p95'], 1):.2f} | {from_cache / max(1, sum(counted.values())):.2%} | {to_app} | "
            f"{s['errors']} |"
        )
    static = stats["static file"]
    lines += [
        f"| static file (all rounds) | – | {static['rps']:.0f} | {run.ms(static['p50'])} | {run.ms(static['p95'])} "
        f"| {run.ms(static['p99'])} | {static['cpu_ms']:.3f} | – | – | – | – | – | {static['errors']} |",
        "",
        f"Goal: every page through the microcache ≥ {GOAL} × the requests/s of the static file of its size: "
        f"**{'holds' if all(holds) else 'does not hold'}** ({sum(holds)} of {len(holds)}).",
        "",
        "What the microcache costs in freshness: a page can be served from it while nginx's copy is valid, 1 s "
        "counted in nginx's whole seconds (a copy stored at 12:00:00.9 is used until 12:00:02.0), so under 2 s, "
        "plus, when it has just expired, the time gunicorn takes to render the page again (the lock keeps the "
        "other visitors on the old copy meanwhile). Visitors with a session, CSRF or messages cookie never get "
        "it.",
        "",
    ]
    if run.ONLY:  # a quick look: printed, bench/results-nginx.md stays as it is
        run.log("\n".join(lines))
        return
    (ROOT / "bench" / "results-nginx.md").write_text("\n".join(lines))
    run.log("wrote bench/results-nginx.md")


if __name__ == "__main__":
    main()
