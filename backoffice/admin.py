"""The "wymaga uwagi" filter on the admin lists the dashboard links to.

Each list of the dashboard links to its model's admin list with `?attention=<check>`; the filter picks the rows
with the same rule the dashboard counted them with (backoffice/dashboard.py), so both show the same rows.

The partnership, event and organisation admins are declared in their apps, which know nothing of the
dashboard: as members/admin.py does for its inlines, this module registers subclasses of them that add the
filter. It imports those modules first, so it takes their final classes whatever the order of INSTALLED_APPS.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import admin as events_admin
from events.models import Event
from members import admin as members_admin
from members.models import Organisation
from partnerships.admin import PolishNamesMixin
from partnerships.models import Partnership

from . import dashboard


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


admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(members_admin.OrganisationAdmin):
    list_filter = (*members_admin.OrganisationAdmin.list_filter, OrganisationAttentionFilter)


# Failed logins (django-axes, registered here rather than by axes: AXES_ENABLE_ADMIN is off), with the site's Polish
# names: staff unlock an account or an address by deleting its rows.
@admin.register(AccessAttempt)
class AccessAttemptAdmin(PolishNamesMixin, axes_admin.AccessAttemptAdmin):
    verbose_name_accusative = _("próbę logowania")
