from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The back office for BORIS staff: the dashboard on the admin's start page and the admin lists it links to."""

    name = "backoffice"
    verbose_name = _("Panel BORIS")


class BackofficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site of backoffice/sites.py as its default site (`admin.site`).

    Listed in INSTALLED_APPS in place of "django.contrib.admin": the documented way to replace the default site.
    """

    default = False  # "backoffice" alone means BackofficeConfig
    default_site = "backoffice.sites.BackofficeSite"
