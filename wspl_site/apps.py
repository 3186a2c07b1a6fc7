from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class WsplSiteConfig(AppConfig):
    name = "wspl_site"
    verbose_name = "WSPL"

    def ready(self):
        from . import cache, serving  # noqa: F401 (serving registers the deployment check)

        # Every committed write to a public table makes the cached pages out of date (see wspl_site/cache.py);
        # so do migrations and test-database flushes (both send post_migrate).
        connection_created.connect(cache.install_write_tracking, dispatch_uid="wspl_page_cache_writes")
        cache.install_write_tracking()
        post_migrate.connect(cache.bump_version, dispatch_uid="wspl_page_cache_migrate")
