from django.apps import AppConfig
from django.core.signals import setting_changed


class DirectoryConfig(AppConfig):
    """The public pages that compose the domains: home, partnerships, districts, places, the network's pages."""

    name = "directory"

    def ready(self):
        from .templatetags import wspl_nav

        setting_changed.connect(wspl_nav.clear_kept_markup, dispatch_uid="wspl_kept_markup_settings")
