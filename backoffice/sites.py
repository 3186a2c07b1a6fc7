"""The admin site of the project: Django's own, with the staff dashboard on its start page and the year's report."""

from functools import update_wrapper

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from common.otp import second_factor_redirect

from . import dashboard, report


class BackofficeSite(admin.AdminSite):
    """`admin.site` (see BackofficeAdminConfig): the start page gets the dashboard, shown by templates/admin/index.html.

    The admin lets only active staff reach index(), so the dashboard is read for them alone.
    """

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard.overview(timezone.now()), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def get_urls(self):
        return [
            path("raport/", self.admin_view(self.report_view), name="report"),
            path("raport/xlsx/", self.admin_view(self.report_xlsx_view), name="report_xlsx"),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        """Django's admin_view (active staff only, the login page for visitors), but a signed-in account that is not
        staff, such as a coordinator, is refused (403) on every admin page rather than asked to sign in again; it may
        still sign out. ModelAdmins, the history and import/export pages all wrap their views with this.

        A staff session that has not passed its second factor sees the admin as an anonymous visitor would
        (common/otp.py): it is sent to the code page, which then leads back here."""
        protected = super().admin_view(view, cacheable)
        if view == self.logout:
            return protected

        def refuse_or_view(request, *args, **kwargs):
            if (to_code_page := second_factor_redirect(request)) is not None:
                return to_code_page
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return protected(request, *args, **kwargs)

        return update_wrapper(refuse_or_view, protected)

    def report_year(self, request):
        """The form of `?rok=`, bound to this year when the address names none."""
        data = request.GET if "rok" in request.GET else {"rok": timezone.localdate().year}
        return report.YearForm(data)

    def report_view(self, request):
        """The year's report for the city; a year that cannot be read shows why (400), with no tables."""
        form = self.report_year(request)
        year_report = report.year_report(form.cleaned_data["rok"], timezone.localdate()) if form.is_valid() else None
        return self.report_page(request, form, year_report)

    def report_page(self, request, form, year_report):
        title = _("Raport roczny dla miasta")
        if year_report:
            title = _("Raport roczny dla miasta – %(year)s") % {"year": year_report.year}
        context = {
            **self.each_context(request),
            "title": title,
            "form": form,
            "report": year_report,
        }
        return TemplateResponse(request, "admin/backoffice/report.html", context, status=200 if year_report else 400)

    def report_xlsx_view(self, request):
        """The same report as an XLSX file named after its year; a bad year gets the page with its message."""
        form = self.report_year(request)
        if not form.is_valid():
            return self.report_page(request, form, None)
        year = form.cleaned_data["rok"]
        content = report.workbook(report.year_report(year, timezone.localdate()))
        filename = f"raport-roczny-wspl-{year}.xlsx"  # in Polish in either language of the admin
        return HttpResponse(
            content,
            content_type=report.XLSX_CONTENT_TYPE,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )
