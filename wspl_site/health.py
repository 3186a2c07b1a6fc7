"""/health/live and /health/ready: for the proxy, the service manager and the monitoring (JSON, never cached).

live: the process answers (200 {"status": "ok"}), whatever the database or Redis do.
ready: the site can serve its pages: the database answers, the cache stores and reads a value, the media
storage writes, reads and deletes a file, and every migration of this code is applied. 200 when all pass;
503 naming the failing parts otherwise. The probes are django-health-check's (Database, Cache, Storage)
and one of ours (Migrations); each runs with its own time limit.
"""

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check import Cache, Database, HealthCheck, Storage
from health_check.exceptions import ServiceUnavailable


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the running code is applied (as `manage.py migrate --check` asks): a release whose
    `migrate` has not run yet is not ready."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable("the database cannot be read") from error
        finally:
            # The probe runs in a worker thread of its own: its connection must not outlive it.
            connection.close()
        if unapplied:
            names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in unapplied)
            raise ServiceUnavailable(f"not applied: {names}")


READY_CHECKS = {"database": Database, "cache": Cache, "storage": Storage, "migrations": Migrations}


@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


async def run_checks():
    return await asyncio.gather(*(check().get_result() for check in READY_CHECKS.values()))


@never_cache
@require_safe
def ready(request):
    # The probes run side by side, each with its own time limit, on an event loop of their own in a thread of its
    # own: the request's thread may already run a loop (under an ASGI server, or beside the browser tests'
    # Playwright), where Django could not call an async view.
    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_checks()).result()
    outcomes = zip(READY_CHECKS, results, strict=True)
    checks = {name: str(result.error) if result.error else "ok" for name, result in outcomes}
    failing = [name for name, outcome in checks.items() if outcome != "ok"]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
