"""The production nginx site (deploy/nginx/wspl.conf) run locally, without root, for `make prod-smoke` and
`make bench-nginx`.

The site file is used as it ships; only the host name, ports and paths that belong to a real server are swapped
for local ones (a loopback port, a folder in a temporary directory, a self-signed certificate), and nothing of
the server's own is left: a production path still in the result stops the run. nginx runs with its own prefix
(`nginx -p DIR -c DIR/nginx.conf`), so its pid file, logs, cache and temporary files stay in that directory.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
SITE = DEPLOY / "nginx" / "wspl.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Debian's dynamic modules (libnginx-mod-http-brotli-filter, libnginx-mod-http-brotli-static); the site needs them.
MODULES = [
    Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"),
    Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"),
]
PACKAGES = "nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static"
# What only a real server has; none of it may be left in the local copy.
SERVER_PATHS = ("/var/", "/etc/letsencrypt", "/srv/wspl", "wspl.example.org", "[::]")

# Debian's /etc/nginx/nginx.conf, as far as the site depends on it, with everything in the local directory.
MAIN = """\
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/logs/error.log warn;
{modules}
events {{
    worker_connections 1024;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    access_log {dir}/logs/access.log;

{site}
}}
"""


def missing_tools():
    """What must be installed first, as a sentence, or None."""
    missing = [str(path) for path in [Path(NGINX), *MODULES] if not path.exists()]
    if not shutil.which("openssl"):
        missing.append("openssl")
    if missing:
        return f"missing: {', '.join(missing)} (apt-get install {PACKAGES} openssl)"
    return None


def local_site(directory, *, http_port, https_port, app_ports):
    """deploy/nginx/wspl.conf with the server's host name, ports and paths swapped for local ones."""
    text = SITE.read_text()
    swaps = [
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("server_name wspl.example.org;", "server_name localhost;"),
        ("/etc/letsencrypt/live/wspl.example.org/", "@DIR@/tls/"),
        ("root /var/www/html;", "root @DIR@/acme;"),
        ("root /var/lib/wspl;", "root @DIR@/www;"),
        ("/var/cache/nginx/wspl", "@DIR@/cache"),
        ("/var/log/nginx/", "@DIR@/logs/"),
        ("server 127.0.0.1:8000;", " ".join(f"server 127.0.0.1:{port};" for port in app_ports)),
        ("/srv/wspl/deploy/", "@DEPLOY@/"),
    ]
    for old, new in swaps:
        if old not in text:
            raise RuntimeError(f"{SITE} no longer has {old.strip()!r}: update the swaps in {__file__}")
        text = text.replace(old, new)
    config_lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    for path in SERVER_PATHS:
        if any(path in line for line in config_lines):
            raise RuntimeError(f"{SITE} names {path!r}, which has no local stand-in in {__file__}")
    return text.replace("@DIR@", str(directory)).replace("@DEPLOY@", str(DEPLOY))


def make_certificate(directory):
    """A self-signed certificate for localhost and 127.0.0.1, where the site file expects certbot's."""
    tls = Path(directory) / "tls"
    tls.mkdir(exist_ok=True)
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return tls / "fullchain.pem"


def prepare(directory, *, http_port, https_port, app_ports):
    """Folders, certificate and nginx.conf in `directory`; returns the folder nginx serves static/ and media/ from."""
    directory = Path(directory)
    for name in ("logs", "temp", "cache", "acme", "www/static", "www/media"):
        (directory / name).mkdir(parents=True, exist_ok=True)
    # nginx's workers run as nobody when started by root: they must read what the site serves.
    for path in [directory, *directory.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    make_certificate(directory)
    site = local_site(directory, http_port=http_port, https_port=https_port, app_ports=app_ports)
    modules = "\n".join(f"load_module {path};" for path in MODULES)
    (directory / "nginx.conf").write_text(MAIN.format(dir=directory, modules=modules, site=site))
    return directory / "www"


def command(directory, *extra):
    return [NGINX, "-p", str(directory), "-c", str(Path(directory) / "nginx.conf"), *extra]


def check_config(directory):
    """`nginx -t` on the local copy: (passed, what nginx said)."""
    done = subprocess.run(command(directory, "-t", "-q"), capture_output=True, text=True, check=False)
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def start(directory, *, prefix=()):
    """nginx in the foreground, in its own process group; `prefix` goes before it (e.g. taskset)."""
    log = open(Path(directory) / "logs" / "nginx.out", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [*prefix, *command(directory)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_for_port(port, process, *, seconds=30):
    """Until something accepts connections on 127.0.0.1:port; fails when `process` ends or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process for port {port} ended with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds} s")


def stop(process, *, seconds=15):
    """TERM to the process group (gunicorn's master and workers, nginx's master and workers), KILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=seconds)
    except ProcessLookupError:
        pass
