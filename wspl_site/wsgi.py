import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspl_site.settings")

application = get_wsgi_application()

from wspl_site.serving import refuse_to_serve_without_secrets  # noqa: E402 (needs the configured settings)

refuse_to_serve_without_secrets()
