"""The site as production runs it: the real WSGI application in a process of its own, with debug off.

`serve(path, **env)` starts a fresh Python with the production environment (plus `env`), builds
wspl_site.wsgi.application as gunicorn does, sends it one request the way nginx forwards it (https,
the site's host) and returns what came back: status, headers, body, and the log lines the process
wrote to stderr.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "wspl.example.org"
SECRET = "wspl-test-" + "k7Qz9xWm2Lp" * 6
# A database out of reach: nothing listens on port 1.
UNREACHABLE_DATABASE = "postgres://postgres@127.0.0.1:1/wspl"

REQUEST = """
import json, sys
from wsgiref.util import setup_testing_defaults
from wspl_site.wsgi import application

request = json.load(sys.stdin)  # not in argv, where error reports would copy it
environ = {"PATH_INFO": request["path"], "HTTP_HOST": request["host"], "HTTP_X_FORWARDED_PROTO": "https"}
environ.update(request["headers"])
setup_testing_defaults(environ)
started = []
body = b"".join(application(environ, lambda status, headers, exc_info=None: started.append((status, headers))))
status, headers = started[0]
json.dump({"status": int(status.split()[0]), "headers": dict(headers), "body": body.decode()}, sys.stdout)
"""


@dataclass
class Served:
    status: int
    headers: dict
    body: str
    stderr: str

    @property
    def log(self):
        """The process's log lines, each a JSON object."""
        return [json.loads(line) for line in self.stderr.splitlines() if line.strip()]


def production_environment(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WSPL_", "SENTRY_")) and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    environment.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        WSPL_RELEASE="test",
    )
    environment.update(env)
    return environment


def serve(path, *, headers=None, **env):
    """One GET of `path` (request headers as WSGI keys, e.g. {"HTTP_X_REQUEST_ID": "abc"}) by a production process."""
    result = subprocess.run(
        [sys.executable, "-c", REQUEST],
        input=json.dumps({"path": path, "host": HOST, "headers": headers or {}}),
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    return Served(answer["status"], answer["headers"], answer["body"], result.stderr)


def manage(*args, **env):
    """`manage.py <args>` with the production environment (plus `env`)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )
