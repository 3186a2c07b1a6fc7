"""Back office for organisations, memberships, people, their roles and coordinator access.

The partnership and working-group pages also show rows of this app (memberships, team,
coordinator accesses, people of a group). `partnerships` must not import `members`, so
those inlines cannot be declared in partnerships/admin.py. Instead this module takes the
admin classes registered there, unregisters them and registers subclasses that add the
inlines (and the member count column). Imports keep pointing one way: members → partnerships.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.imports import ImportExportAdminMixin
from partnerships import admin as partnerships_admin
from partnerships.models import Partnership, WorkingGroup

from .models import Membership, Organisation, PartnershipRole, Person, WorkingGroupMembership
from .resources import MembershipResource, OrganisationResource, PartnershipRoleResource, PersonResource

TIMESTAMPS = partnerships_admin.TIMESTAMPS


def current_filter(prefix=""):
    """Rows whose period has not ended; `prefix` reaches them across a relation."""
    today = timezone.localdate()
    return Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": today})


class PeriodFilter(admin.SimpleListFilter):
    """Current or ended memberships and roles (the history is kept)."""

    title = _("okres")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("current", _("trwające")), ("former", _("zakończone"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "former":
            return queryset.former()
        return queryset


class NoOverlapFormSet(BaseInlineFormSet):
    """Rows typed on one page must not overlap either (the model's clean() sees only saved rows).

    `other_field` names the second side of the pair: the organisation of a membership,
    the partnership of a membership seen from an organisation, the person of a role
    (with `match_role`, only the same role counts).
    """

    other_field = None
    match_role = False
    message = _("Ten sam okres wpisano dwa razy: okresy nie mogą się na siebie nakładać.")

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            other = data.get(self.other_field)
            if other is None:
                continue
            key = (other.pk, data.get("role")) if self.match_role else other.pk
            rows.append((key, data.get("since"), data.get("until"), form))
        for i, (key, since, until, form) in enumerate(rows):
            for other_key, other_since, other_until, _form in rows[:i]:
                if key == other_key and _overlap(since, until, other_since, other_until):
                    form.add_error(None, self.message)
                    break


def _overlap(since, until, other_since, other_until):
    """Two periods with open ends (None) share at least one day."""
    starts_before_other_ends = since is None or other_until is None or since <= other_until
    other_starts_before_end = other_since is None or until is None or other_since <= until
    return starts_before_other_ends and other_starts_before_end


class MembershipFormSet(NoOverlapFormSet):
    other_field = "organisation"
    message = _("Ta organizacja jest wpisana dwa razy na ten sam okres.")


class OrganisationMembershipFormSet(NoOverlapFormSet):
    other_field = "partnership"
    message = _("To partnerstwo jest wpisane dwa razy na ten sam okres.")


class TeamFormSet(NoOverlapFormSet):
    other_field = "person"
    match_role = True
    message = _("Ta osoba ma wpisaną tę samą rolę dwa razy na ten sam okres.")


class RelatedInline(admin.TabularInline):
    """An inline that loads the rows its autocomplete fields show in one query, not one per row."""

    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)


class MembershipInline(RelatedInline):
    model = Membership
    formset = MembershipFormSet
    fields = ("organisation", "role", "since", "until", "signed_declaration", "note")
    autocomplete_fields = ("organisation",)
    verbose_name = _("organizacja członkowska")
    verbose_name_accusative = _("organizację członkowską")
    verbose_name_plural = _("organizacje członkowskie")


class PartnershipRoleInline(RelatedInline):
    """The team of a partnership, on the partnership's page."""

    model = PartnershipRole
    formset = TeamFormSet
    fk_name = "partnership"
    fields = ("person", "role", "organisation", "since", "until")
    autocomplete_fields = ("person", "organisation")
    verbose_name = _("osoba w zespole")
    verbose_name_accusative = _("osobę do zespołu")
    verbose_name_plural = _("zespół partnerstwa")


class WorkingGroupPeopleInline(RelatedInline):
    model = WorkingGroupMembership
    fk_name = "working_group"
    fields = ("person", "role", "since", "until")
    autocomplete_fields = ("person",)
    verbose_name = _("osoba")
    verbose_name_accusative = _("osobę")
    verbose_name_plural = _("ludzie w zespole")


class PersonRoleInline(RelatedInline):
    """The roles of a person, on the person's page."""

    model = PartnershipRole
    fk_name = "person"
    fields = ("partnership", "role", "organisation", "since", "until")
    autocomplete_fields = ("partnership", "organisation")
    verbose_name = _("rola w partnerstwie")
    verbose_name_accusative = _("rolę w partnerstwie")
    verbose_name_plural = _("role w partnerstwach")


class PersonWorkingGroupInline(RelatedInline):
    model = WorkingGroupMembership
    fk_name = "person"
    fields = ("working_group", "role", "since", "until")
    autocomplete_fields = ("working_group",)
    verbose_name = _("udział w zespole roboczym")
    verbose_name_accusative = _("udział w zespole roboczym")
    verbose_name_plural = _("zespoły robocze")


class OrganisationMembershipInline(RelatedInline):
    model = Membership
    formset = OrganisationMembershipFormSet
    fields = ("partnership", "role", "since", "until", "signed_declaration", "note")
    autocomplete_fields = ("partnership",)
    verbose_name = _("członkostwo w partnerstwie")
    verbose_name_accusative = _("członkostwo w partnerstwie")
    verbose_name_plural = _("członkostwa w partnerstwach")


# The partnership page with its members, team and coordinators (see the module docstring).
admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipAdmin(partnerships_admin.PartnershipAdmin):
    inlines = [
        MembershipInline,
        PartnershipRoleInline,
        *partnerships_admin.PartnershipAdmin.inlines,
    ]
    list_display = (
        *partnerships_admin.PartnershipAdmin.list_display[:2],
        "member_count",
        *partnerships_admin.PartnershipAdmin.list_display[2:],
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_members=Count("memberships", filter=current_filter("memberships__"), distinct=True))
        )

    @admin.display(description=_("członkowie"), ordering="current_members")
    def member_count(self, obj):
        return obj.current_members


admin.site.unregister(WorkingGroup)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(partnerships_admin.WorkingGroupAdmin):
    inlines = [*partnerships_admin.WorkingGroupAdmin.inlines, WorkingGroupPeopleInline]


@admin.register(Organisation)
class OrganisationAdmin(
    ImportExportAdminMixin,
    partnerships_admin.ImagePipelineAdminMixin,
    partnerships_admin.PublishActionsMixin,
    partnerships_admin.HistoryAdmin,
):
    verbose_name_accusative = _("organizację")
    resource_classes = [OrganisationResource]
    list_display = ("name", "sector", "kind", "district", "krs", "partnership_count", "is_published", "updated_at")
    list_filter = ("sector", "district", "is_published")
    list_select_related = ("district",)
    search_fields = ("name", "slug", "kind", "krs", "email")
    ordering = ("sort_name",)  # explicit: the GROUP BY of the count drops Meta.ordering
    autocomplete_fields = ("district",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    inlines = [OrganisationMembershipInline]
    fieldsets = (
        (_("Podstawowe"), {"fields": ("name", "slug", "sector", "kind", "krs", "description")}),
        (_("Adres i kontakt"), {"fields": ("street_address", "postal_code", "district", "website", "email", "phone")}),
        (_("Logo"), {"fields": ("logo", "logo_alt")}),
        (_("Publikacja"), {"fields": ("is_published", *TIMESTAMPS)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_partnerships=Count("memberships", filter=current_filter("memberships__"), distinct=True))
        )

    @admin.display(description=_("partnerstwa"), ordering="current_partnerships")
    def partnership_count(self, obj):
        return obj.current_partnerships


@admin.register(Membership)
class MembershipAdmin(ImportExportAdminMixin, partnerships_admin.HistoryAdmin):
    verbose_name_accusative = _("członkostwo")
    resource_classes = [MembershipResource]
    list_display = ("organisation", "partnership", "role", "since", "until", "signed_declaration")
    list_filter = (PeriodFilter, "role", "signed_declaration", "organisation__sector")
    list_select_related = ("organisation", "partnership")
    search_fields = ("organisation__name", "organisation__krs", "partnership__name")
    autocomplete_fields = ("organisation", "partnership")
    fields = ("partnership", "organisation", "role", "since", "until", "signed_declaration", "note")


@admin.register(Person)
class PersonAdmin(ImportExportAdminMixin, partnerships_admin.ImagePipelineAdminMixin, partnerships_admin.HistoryAdmin):
    verbose_name_accusative = _("osobę")
    resource_classes = [PersonResource]
    list_display = ("full_name", "email", "phone", "public_contact", "user", "updated_at")
    list_filter = ("public_contact", ("user", admin.EmptyFieldListFilter), "roles__role")
    list_select_related = ("user",)
    search_fields = ("first_name", "last_name", "slug", "email", "user__username")
    autocomplete_fields = ("user",)
    prepopulated_fields = {"slug": ("first_name", "last_name")}
    readonly_fields = TIMESTAMPS
    inlines = [PersonRoleInline, PersonWorkingGroupInline]
    fieldsets = (
        (_("Podstawowe"), {"fields": ("first_name", "last_name", "slug", "photo", "bio")}),
        (_("Kontakt"), {"fields": ("email", "phone", "public_contact")}),
        (_("Konto"), {"fields": ("user", *TIMESTAMPS)}),
    )

    @admin.display(description=_("imię i nazwisko"), ordering="sort_name")
    def full_name(self, obj):
        return obj.full_name


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(ImportExportAdminMixin, partnerships_admin.HistoryAdmin):
    verbose_name_accusative = _("rolę w partnerstwie")
    resource_classes = [PartnershipRoleResource]
    list_display = ("person", "role", "partnership", "organisation", "since", "until")
    list_filter = (PeriodFilter, "role")
    list_select_related = ("person", "partnership", "organisation")
    search_fields = ("person__first_name", "person__last_name", "person__email", "partnership__name")
    autocomplete_fields = ("person", "partnership", "organisation")
    fields = ("person", "partnership", "role", "organisation", "since", "until")


@admin.register(WorkingGroupMembership)
class WorkingGroupMembershipAdmin(partnerships_admin.PolishNamesMixin, admin.ModelAdmin):
    verbose_name_accusative = _("członkostwo w zespole")
    list_display = ("person", "working_group", "role", "since", "until")
    list_filter = (PeriodFilter, "working_group")
    list_select_related = ("person", "working_group")
    search_fields = ("person__first_name", "person__last_name", "working_group__name", "role")
    autocomplete_fields = ("person", "working_group")
    fields = ("working_group", "person", "role", "since", "until")
