"""The rule that a production site refuses to start without its secrets.

Called by wsgi.py and asgi.py before the application is built (so gunicorn
fails at start-up, not on the first request) and registered as a deployment
check (`manage.py check --deploy`).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


def missing_settings():
    """Messages for what a site with debug off cannot serve without."""
    if settings.DEBUG:
        return []
    missing = []
    try:
        settings.SECRET_KEY  # noqa: B018 (Django raises when it is empty)
    except ImproperlyConfigured:
        missing.append("DJANGO_SECRET_KEY is not set: give it a long random string (or DJANGO_DEBUG=1 locally).")
    if not settings.ALLOWED_HOSTS:
        missing.append("DJANGO_ALLOWED_HOSTS is not set: give the comma-separated host names of the site.")
    return missing


def refuse_to_serve_without_secrets():
    missing = missing_settings()
    if missing:
        raise ImproperlyConfigured(" ".join(missing))


@register(Tags.security, deploy=True)
def check_serving_settings(app_configs, **kwargs):
    return [Error(message, id="wspl.E001") for message in missing_settings()]
