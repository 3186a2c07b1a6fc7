"""gunicorn's settings for the site: `gunicorn -c deploy/gunicorn.conf.py` (deploy/systemd/wspl.service).

Read from the environment (/etc/wspl/env in production, deploy/env.example lists them), with defaults for one
Debian server behind the local nginx (deploy/nginx/wspl.conf).
"""

import multiprocessing
import os
from pathlib import Path

# The project, wherever gunicorn is started from.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "wspl_site.wsgi"
proc_name = "wspl"

# Only nginx on the same machine talks to gunicorn. Another app server behind one nginx binds its private
# address (e.g. 10.0.0.12:8000) and trusts that nginx's address in GUNICORN_FORWARDED_ALLOW_IPS.
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address.strip()]

# Sync workers: nginx buffers slow clients, so a worker is busy only while Django works. Twice the cores and one:
# a worker waiting for PostgreSQL or Redis leaves its core to another. Each worker takes about 100 MB.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request that takes longer than this is killed (and logged): no page of the site needs more than a few seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On reload (HUP) and stop (TERM) a worker finishes its request first; systemd's TimeoutStopSec is above this.
graceful_timeout = 30
# Workers are replaced after about a thousand requests, at different moments (the jitter), so that a slow leak
# in a library never grows for long and the workers never restart all at once.
max_requests = 1000
max_requests_jitter = 100

# X-Forwarded-Proto (https) is believed only from the proxy in front: the local nginx.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to stderr, so to journald under systemd. The access log is off by default: nginx's log already has
# every request, also those it answers itself from the microcache or the static folder, with the same request id
# (X-Request-ID) that the application puts in its own log lines. GUNICORN_ACCESS_LOG=1 adds gunicorn's line
# per request, e.g. for an app server without a local nginx.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in {"1", "true", "yes", "on"} else None
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s bytes %(M)s ms id=%({x-request-id}i)s for=%({x-forwarded-for}i)s'

# systemd (and `make prod-smoke`) control gunicorn with signals; no control socket in the service's home.
control_socket_disable = True
