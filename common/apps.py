from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    """Infrastructure without domain knowledge: caching, paging, Polish text and slugs, Markdown, images, maps."""

    name = "common"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .cache import version

        # Every committed write to a table of settings.DATA_VERSION_APPS makes what is cached out of date
        # (common/cache/version.py); so do migrations and test-database flushes (both send post_migrate).
        connection_created.connect(version.install_write_tracking, dispatch_uid="wspl_page_cache_writes")
        version.install_write_tracking()
        post_migrate.connect(version.bump_version, dispatch_uid="wspl_page_cache_migrate")
