#!/usr/bin/env bash
# manage.py with the site's environment, as the services have it (/etc/wspl/env, or the file WSPL_ENV_FILE names).
# Run it as the site's user:
#   sudo -u wspl /srv/wspl/deploy/manage.sh migrate
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck source=/dev/null
. "${WSPL_ENV_FILE:-/etc/wspl/env}"
set +a
exec .venv/bin/python manage.py "$@"
