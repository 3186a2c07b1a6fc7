from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class WsplSiteConfig(AppConfig):
    name = "wspl_site"
    verbose_name = "WSPL"

    def ready(self):
        from partnerships import versioning

        from . import serving  # noqa: F401 (registers the deployment check)
        from .templatetags import wspl_nav

        # Every committed write to a public table makes the cached pages out of date (see partnerships/versioning.py);
        # so do migrations and test-database flushes (both send post_migrate).
        connection_created.connect(versioning.install_write_tracking, dispatch_uid="wspl_page_cache_writes")
        versioning.install_write_tracking()
        post_migrate.connect(versioning.bump_version, dispatch_uid="wspl_page_cache_migrate")
        setting_changed.connect(wspl_nav.clear_kept_markup, dispatch_uid="wspl_kept_markup_settings")
