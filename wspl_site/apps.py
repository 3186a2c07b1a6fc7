import logging

from django.apps import AppConfig


class WsplSiteConfig(AppConfig):
    name = "wspl_site"
    verbose_name = "WSPL"

    def ready(self):
        from . import checks, serving  # noqa: F401 (register the deployment checks)

        # Python's warnings (a missing static folder, a deprecation) go to the log like everything else: one JSON
        # line on stderr in production (settings.LOGGING), not a bare line of text among them.
        logging.captureWarnings(True)
