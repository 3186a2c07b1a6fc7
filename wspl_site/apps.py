from django.apps import AppConfig


class WsplSiteConfig(AppConfig):
    name = "wspl_site"
    verbose_name = "WSPL"

    def ready(self):
        from . import serving  # noqa: F401 (registers the deployment check)
