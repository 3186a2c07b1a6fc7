#!/bin/sh
# The Debian packages the tests need beyond Python: `deploy/system-packages.sh test` for the suite (Chromium for the
# browser tests, Java for the HTML checker, npm for axe-core and vnu-jar), `deploy/system-packages.sh ci` for CI
# (also nginx with its Brotli modules for the production smoke test). Installs only what is missing, with apt-get,
# when it runs as root or with sudo that asks no password; otherwise it says what to install and leaves it (the
# tests that need it are then skipped with a notice, unless REQUIRE_BROWSER=1 makes that a failure).
set -eu

missing=""
need() { missing="$missing $1"; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need chromium
java -version >/dev/null 2>&1 || need default-jre-headless
command -v npm >/dev/null 2>&1 || need npm
if [ "${1:-test}" = ci ]; then
  [ -x /usr/sbin/nginx ] || need nginx
  [ -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so ] || need libnginx-mod-http-brotli-filter
  [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need libnginx-mod-http-brotli-static
fi
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo -n"
else
  echo "system packages missing:$missing (install them with: sudo apt-get install$missing)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing:$missing (no apt-get here: install them with this system's package manager)" >&2
  exit 0
fi
echo "installing the system packages the tests need:$missing"
$as_root apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq $missing
