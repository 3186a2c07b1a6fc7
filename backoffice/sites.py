"""The admin site of the project: Django's own, with the staff dashboard on its start page."""

from django.contrib import admin
from django.utils import timezone

from . import dashboard


class BackofficeSite(admin.AdminSite):
    """`admin.site` (see BackofficeAdminConfig): the start page gets the dashboard, shown by templates/admin/index.html.

    The admin lets only active staff reach index(), so the dashboard is read for them alone.
    """

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard.overview(timezone.now()), **(extra_context or {})}
        return super().index(request, extra_context=context)
