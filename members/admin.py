"""Back office for organisations, memberships, people, their roles and coordinator access.

The partnership and working-group pages also show rows of this app (memberships, team,
coordinator accesses, people of a group). `partnerships` must not import `members`, so
those inlines cannot be declared in partnerships/admin.py. Instead this module takes the
admin classes registered there, unregisters them and registers subclasses that add the
inlines (and the member count column). Imports keep pointing one way: members → partnerships.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordinator import services
from partnerships import admin as partnerships_admin
from partnerships.models import Partnership, WorkingGroup

from .models import (
    CoordinatorAccess,
    Invitation,
    Membership,
    Organisation,
    PartnershipRole,
    Person,
    WorkingGroupMembership,
)

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
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or self._should_delete_form(form):
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
    verbose_name_plural = _("organizacje członkowskie")


class PartnershipRoleInline(RelatedInline):
    """The team of a partnership, on the partnership's page."""

    model = PartnershipRole
    formset = TeamFormSet
    fk_name = "partnership"
    fields = ("person", "role", "organisation", "since", "until")
    autocomplete_fields = ("person", "organisation")
    verbose_name = _("osoba w zespole")
    verbose_name_plural = _("zespół partnerstwa")


class CoordinatorAccessInline(RelatedInline):
    model = CoordinatorAccess
    fields = ("user", "granted_at")
    readonly_fields = ("granted_at",)
    autocomplete_fields = ("user",)
    verbose_name = _("konto z prawem edycji")
    verbose_name_plural = _("konta z prawem edycji tego partnerstwa")


class WorkingGroupPeopleInline(RelatedInline):
    model = WorkingGroupMembership
    fk_name = "working_group"
    fields = ("person", "role", "since", "until")
    autocomplete_fields = ("person",)
    verbose_name = _("osoba")
    verbose_name_plural = _("ludzie w zespole")


class PersonRoleInline(RelatedInline):
    """The roles of a person, on the person's page."""

    model = PartnershipRole
    fk_name = "person"
    fields = ("partnership", "role", "organisation", "since", "until")
    autocomplete_fields = ("partnership", "organisation")
    verbose_name = _("rola w partnerstwie")
    verbose_name_plural = _("role w partnerstwach")


class PersonWorkingGroupInline(RelatedInline):
    model = WorkingGroupMembership
    fk_name = "person"
    fields = ("working_group", "role", "since", "until")
    autocomplete_fields = ("working_group",)
    verbose_name = _("udział w zespole roboczym")
    verbose_name_plural = _("zespoły robocze")


class OrganisationMembershipInline(RelatedInline):
    model = Membership
    formset = OrganisationMembershipFormSet
    fields = ("partnership", "role", "since", "until", "signed_declaration", "note")
    autocomplete_fields = ("partnership",)
    verbose_name = _("członkostwo w partnerstwie")
    verbose_name_plural = _("członkostwa w partnerstwach")


# The partnership page with its members, team and coordinators (see the module docstring).
admin.site.unregister(Partnership)


@admin.register(Partnership)
class PartnershipAdmin(partnerships_admin.PartnershipAdmin):
    inlines = [
        MembershipInline,
        PartnershipRoleInline,
        CoordinatorAccessInline,
        *partnerships_admin.PartnershipAdmin.inlines,
    ]
    list_display = (
        *partnerships_admin.PartnershipAdmin.list_display[:4],
        "member_count",
        *partnerships_admin.PartnershipAdmin.list_display[4:],
    )
    actions = [*partnerships_admin.PartnershipAdmin.actions, "invite_coordinator"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_members=Count("memberships", filter=current_filter("memberships__"), distinct=True))
        )

    @admin.display(description=_("członkowie"), ordering="current_members")
    def member_count(self, obj):
        return obj.current_members

    @admin.action(description=_("Zaproś koordynatora (e-mailem)"), permissions=["change"])
    def invite_coordinator(self, request, queryset):
        first = queryset.order_by("sort_name").first()
        url = reverse("admin:members_invitation_add")
        return HttpResponseRedirect(f"{url}?partnership={first.pk}" if first else url)


admin.site.unregister(WorkingGroup)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(partnerships_admin.WorkingGroupAdmin):
    inlines = [*partnerships_admin.WorkingGroupAdmin.inlines, WorkingGroupPeopleInline]


@admin.register(Organisation)
class OrganisationAdmin(
    partnerships_admin.ImagePipelineAdminMixin, partnerships_admin.PublishActionsMixin, SimpleHistoryAdmin
):
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
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "partnership", "role", "since", "until", "signed_declaration")
    list_filter = (PeriodFilter, "role", "signed_declaration", "organisation__sector")
    list_select_related = ("organisation", "partnership")
    search_fields = ("organisation__name", "organisation__krs", "partnership__name")
    autocomplete_fields = ("organisation", "partnership")
    fields = ("partnership", "organisation", "role", "since", "until", "signed_declaration", "note")


@admin.register(Person)
class PersonAdmin(partnerships_admin.ImagePipelineAdminMixin, SimpleHistoryAdmin):
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
class PartnershipRoleAdmin(SimpleHistoryAdmin):
    list_display = ("person", "role", "partnership", "organisation", "since", "until")
    list_filter = (PeriodFilter, "role")
    list_select_related = ("person", "partnership", "organisation")
    search_fields = ("person__first_name", "person__last_name", "person__email", "partnership__name")
    autocomplete_fields = ("person", "partnership", "organisation")
    fields = ("person", "partnership", "role", "organisation", "since", "until")


@admin.register(WorkingGroupMembership)
class WorkingGroupMembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "working_group", "role", "since", "until")
    list_filter = (PeriodFilter, "working_group")
    list_select_related = ("person", "working_group")
    search_fields = ("person__first_name", "person__last_name", "working_group__name", "role")
    autocomplete_fields = ("person", "working_group")
    fields = ("working_group", "person", "role", "since", "until")


@admin.register(CoordinatorAccess)
class CoordinatorAccessAdmin(admin.ModelAdmin):
    list_display = ("user", "user_email", "partnership", "granted_at")
    list_select_related = ("user", "partnership")
    search_fields = ("user__username", "user__email", "user__last_name", "partnership__name", "partnership__slug")
    autocomplete_fields = ("user", "partnership")
    readonly_fields = ("granted_at",)
    date_hierarchy = "granted_at"
    fields = ("user", "partnership", "granted_at")
    actions = ["revoke_selected"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.action(description=_("Odbierz zaznaczonym prawo edycji"), permissions=["delete"])
    def revoke_selected(self, request, queryset):
        accesses = list(queryset.select_related("user", "partnership"))
        for access in accesses:
            services.revoke_access(access=access, by=request.user)
        self.message_user(request, _("Odebrano uprawnienia. Liczba kont: %(count)d.") % {"count": len(accesses)})


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("stan")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("czeka")), ("accepted", _("przyjęte")), ("closed", _("wycofane lub wygasłe"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "pending":
            return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "closed":
            return queryset.filter(accepted_at__isnull=True).filter(
                Q(revoked_at__isnull=False) | Q(expires_at__lte=now)
            )
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """ "Zaproś koordynatora": adding an invitation sends the e-mail with a one-time link."""

    list_display = ("email", "partnership", "created_at", "expires_at", "accepted_at", "revoked_at", "invited_by")
    list_filter = (InvitationStateFilter,)
    list_select_related = ("partnership", "invited_by")
    search_fields = ("email", "partnership__name")
    autocomplete_fields = ("partnership",)
    date_hierarchy = "created_at"
    actions = ["revoke_selected"]
    add_fields = ("email", "partnership")
    readonly = (
        "email",
        "partnership",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.readonly

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly

    def save_model(self, request, obj, form, change):
        if change:
            return
        sent = services.invite_coordinator(
            email=obj.email, partnership=obj.partnership, by=request.user, url_for=request.build_absolute_uri
        )
        obj.pk, obj._state.adding = sent.pk, False
        obj.token_hash, obj.created_at, obj.expires_at = sent.token_hash, sent.created_at, sent.expires_at
        messages.success(request, _("Wysłano zaproszenie na adres %(email)s.") % {"email": sent.email})

    @admin.action(description=_("Wycofaj zaznaczone zaproszenia"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        invitations = list(queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True))
        for invitation in invitations:
            services.revoke_invitation(invitation=invitation, by=request.user)
        self.message_user(request, _("Wycofano zaproszenia: %(count)d.") % {"count": len(invitations)})
