"""The "wymaga uwagi" filter on the admin lists the dashboard links to.

Each list of the dashboard links to its model's admin list with `?attention=<check>`; the filter picks the rows
with the same rule the dashboard counted them with (backoffice/dashboard.py), so both show the same rows.

The partnership, event, co-organiser invitation and organisation admins are declared in their apps, which know
nothing of the dashboard: as members/admin.py does for its inlines, this module registers subclasses of them that
add the filter. It imports those modules first, so it takes their final classes whatever the order of INSTALLED_APPS.

The queue of background tasks (the e-mails of common/mail.py) is listed here too, under Polish names, in place of
django-tasks-db's own list.

Two-step verification (common/otp.py) shows on the accounts' list, in place of django-otp's own lists of devices
(English, with the secrets): whether each account has an authenticator app, a filter, and an action that removes a
lost phone's app and the recovery codes, after which the person sets up a new app at their next login.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as static_admin  # noqa: F401 (registers StaticDevice, unregistered below)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401 (registers TOTPDevice, unregistered below)
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import TaskResultStatus
from django_tasks_db import admin as tasks_admin  # noqa: F401 (registers DBTaskResult, unregistered below)
from django_tasks_db.models import DBTaskResult, get_date_max

from events import admin as events_admin
from events.models import CoOrganiserInvitation, Event
from members import admin as members_admin
from members.models import Organisation
from partnerships import admin as partnerships_admin
from partnerships.admin import PolishNamesMixin
from partnerships.models import Partnership

from . import dashboard
from .models import BackgroundTask


class AttentionFilter(admin.SimpleListFilter):
    title = _("wymaga uwagi")
    parameter_name = dashboard.FILTER
    checks = None  # the dashboard's TextChoices of checks on this model

    def lookups(self, request, model_admin):
        return self.checks.choices

    def queryset(self, request, queryset):
        if self.value() not in self.checks.values:
            return queryset  # no check chosen, or an unknown one: the whole list, as Django's own filters do
        return queryset.filter(pk__in=dashboard.picked_rows(self.checks(self.value()), timezone.now()))


class PartnershipAttentionFilter(AttentionFilter):
    checks = dashboard.PartnershipCheck


class EventAttentionFilter(AttentionFilter):
    checks = dashboard.EventCheck


class InvitationAttentionFilter(AttentionFilter):
    checks = dashboard.InvitationCheck


class OrganisationAttentionFilter(AttentionFilter):
    checks = dashboard.OrganisationCheck


admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipAdmin(members_admin.PartnershipAdmin):
    list_filter = (*members_admin.PartnershipAdmin.list_filter, PartnershipAttentionFilter)


admin.site.unregister(Event)


@admin.register(Event)
class EventAdmin(events_admin.EventAdmin):
    list_filter = (*events_admin.EventAdmin.list_filter, EventAttentionFilter)


admin.site.unregister(CoOrganiserInvitation)


@admin.register(CoOrganiserInvitation)
class CoOrganiserInvitationAdmin(events_admin.CoOrganiserInvitationAdmin):
    list_filter = (*events_admin.CoOrganiserInvitationAdmin.list_filter, InvitationAttentionFilter)


admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(members_admin.OrganisationAdmin):
    list_filter = (*members_admin.OrganisationAdmin.list_filter, OrganisationAttentionFilter)


# Failed logins (django-axes, registered here rather than by axes: AXES_ENABLE_ADMIN is off), with the site's Polish
# names: staff unlock an account or an address by deleting its rows.
@admin.register(AccessAttempt)
class AccessAttemptAdmin(PolishNamesMixin, axes_admin.AccessAttemptAdmin):
    verbose_name_accusative = _("próbę logowania")


# The queue of background tasks: each row one attempt at a task. An e-mail's attempt that met a failing mail server
# queued the next one and says so (common/mail.py); an e-mail whose last attempt failed is "nie udało się".
admin.site.unregister(DBTaskResult)

STATES = {
    TaskResultStatus.READY: _("czeka"),
    TaskResultStatus.RUNNING: _("w toku"),
    TaskResultStatus.SUCCESSFUL: _("wykonane"),
    TaskResultStatus.FAILED: _("nie udało się"),
}

FINISHED = (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


class TaskStateFilter(admin.SimpleListFilter):
    title = _("stan")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in STATES else queryset


@admin.register(BackgroundTask)
class BackgroundTaskAdmin(PolishNamesMixin, admin.ModelAdmin):
    verbose_name_accusative = _("zadanie w tle")
    list_display = ("subject", "recipients", "attempt", "state", "enqueued", "not_before", "finished")
    list_filter = (TaskStateFilter,)
    ordering = ("-enqueued_at",)
    fields = ("subject", "recipients", "attempt", "state", "enqueued", "not_before", "finished", "error")
    readonly_fields = fields

    # Rows are written by the queue only. As with failed logins, staff may delete the rows they have dealt with,
    # once finished: a waiting or running task belongs to the worker.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status in FINISHED)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.filter(status__in=FINISHED))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        no_saving = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**no_saving, **(extra_context or {})})

    def task_kwargs(self, obj):
        return obj.args_kwargs.get("kwargs", {})

    @admin.display(description=_("temat"))
    def subject(self, obj):
        return self.task_kwargs(obj).get("subject") or obj.task_name

    @admin.display(description=_("adresaci"))
    def recipients(self, obj):
        return ", ".join(self.task_kwargs(obj).get("to", []))

    @admin.display(description=_("próba"))
    def attempt(self, obj):
        return self.task_kwargs(obj).get("attempt", 1)

    @admin.display(description=_("stan"), ordering="status")
    def state(self, obj):
        outcome = obj.return_value if obj.status == TaskResultStatus.SUCCESSFUL else None
        if isinstance(outcome, dict) and outcome.get("sent") is False:
            return _("nie wysłano, ponowione")  # the next attempt is the row that waits ("nie wcześniej niż")
        return STATES.get(obj.status, obj.status)

    @admin.display(description=_("dodano"), ordering="enqueued_at")
    def enqueued(self, obj):
        return self.when(obj.enqueued_at)

    @admin.display(description=_("nie wcześniej niż"))
    def not_before(self, obj):
        return self.when(None if obj.run_after == get_date_max() else obj.run_after)

    @admin.display(description=_("zakończono"), ordering="finished_at")
    def finished(self, obj):
        return self.when(obj.finished_at)

    @admin.display(description=_("błąd"))
    def error(self, obj):
        """The exception's last line ("ConnectionRefusedError: …"); the whole traceback is in the worker's log."""
        outcome = obj.return_value if isinstance(obj.return_value, dict) else {}
        lines = obj.traceback.strip().splitlines()
        return lines[-1] if lines else outcome.get("error") or self.get_empty_value_display()

    def when(self, value):
        """A date and time as the admin's lists show them, also on the read-only page (which would print None)."""
        return formats.localize(timezone.localtime(value)) if value else self.get_empty_value_display()


# Two-step verification on the accounts' list (see the top of this module).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.unregister(User)


class SecondFactorFilter(admin.SimpleListFilter):
    title = _("weryfikacja dwuetapowa")
    parameter_name = "weryfikacja"

    def lookups(self, request, model_admin):
        return [("tak", _("włączona")), ("nie", _("wyłączona"))]

    def queryset(self, request, queryset):
        if self.value() not in ("tak", "nie"):
            return queryset
        return queryset.filter(has_second_factor=self.value() == "tak")


@admin.register(User)
class UserAdmin(partnerships_admin.UserAdmin):
    list_display = (*partnerships_admin.UserAdmin.list_display, "second_factor")
    list_filter = (*partnerships_admin.UserAdmin.list_filter, SecondFactorFilter)
    actions = (*(partnerships_admin.UserAdmin.actions or ()), "remove_second_factor")

    def get_queryset(self, request):
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_second_factor=Exists(apps))

    @admin.display(description=_("weryfikacja dwuetapowa"), boolean=True, ordering="has_second_factor")
    def second_factor(self, obj):
        return obj.has_second_factor

    @admin.action(description=_("Usuń weryfikację dwuetapową (zgubiony telefon)"), permissions=["change"])
    def remove_second_factor(self, request, queryset):
        """The accounts' authenticator apps and recovery codes go; staff set up a new app at their next login."""
        users = list(queryset)
        with transaction.atomic():
            TOTPDevice.objects.filter(user__in=users).delete()
            StaticDevice.objects.filter(user__in=users).delete()
        self.message_user(
            request,
            _(
                "Usunięto weryfikację dwuetapową kont: %(count)d. Pracownicy ustawią nową aplikację przy następnym "
                "logowaniu, koordynatorzy mogą ją włączyć na stronie swojego konta."
            )
            % {"count": len(users)},
        )
