"""Back office for organisations, memberships, people, their roles and coordinator access.

The partnership and working-group pages also show rows of this app (memberships, team,
coordinator accesses, people of a group). `partnerships` must not import `members`, so
those inlines cannot be declared in partnerships/admin.py. Instead this module takes the
admin classes registered there, unregisters them and registers subclasses that add the
inlines (and the member count column). Imports keep pointing one way: members → partnerships.
"""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from common.imports import ImportExportAdminMixin
from partnerships import admin as partnerships_admin
from partnerships.models import Invitation, Partnership, WorkingGroup

from . import queries, services
from .forms import ProposalDecisionForm
from .models import (
    ContactConsent,
    Erasure,
    Membership,
    Organisation,
    OrganisationChangeProposal,
    PartnershipRole,
    Person,
    PreviousAddress,
    WorkingGroupMembership,
)
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


class PreviousAddressInline(admin.TabularInline):
    """The addresses of the organisations merged into this one (see merge_organisations): each redirects here.

    Written by a merge only; deleting one frees its address (it then answers "not found").
    """

    model = PreviousAddress
    fields = ("slug", "name", "merged_on", "merged_history")
    readonly_fields = fields
    extra = 0
    verbose_name = _("dawny adres")
    verbose_name_accusative = _("dawny adres")
    verbose_name_plural = _("połączone organizacje i ich dawne adresy")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("historia"))
    def merged_history(self, obj):
        url = reverse("admin:members_organisation_history", args=[obj.merged_id])
        return format_html('<a href="{}">{}</a>', url, _("historia połączonej organizacji"))


ID = re.compile(r"[1-9][0-9]{0,17}")  # an id any database holds: 18 digits stay below 2**63


def merge_url(first_id, second_id):
    """The staff page comparing two organisations and merging one into the other."""
    return f"{reverse('admin:members_organisation_merge')}?{urlencode({'a': first_id, 'b': second_id})}"


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=_("Która organizacja zostaje?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Wybierz organizację, która zostaje."),
            "invalid_choice": _("Wybierz jedną z dwóch porównywanych organizacji."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(organisation.pk, organisation.name) for organisation in organisations]


# What the merge page compares, side by side.
COMPARED_FIELDS = (
    "name",
    "slug",
    "sector",
    "kind",
    "krs",
    "description",
    "street_address",
    "postal_code",
    "district",
    "website",
    "email",
    "phone",
    "logo",
    "is_published",
)


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
    inlines = [OrganisationMembershipInline, PreviousAddressInline]
    actions = [*partnerships_admin.PublishActionsMixin.actions, "merge_selected"]
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

    def get_urls(self):
        merge = path("merge/", self.admin_site.admin_view(self.merge_view), name="members_organisation_merge")
        return [merge, *super().get_urls()]

    @admin.action(description=_("Połącz dwie zaznaczone organizacje"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        ids = list(queryset.order_by("sort_name", "pk").values_list("pk", flat=True)[:3])
        if len(ids) != 2:
            self.message_user(request, _("Aby połączyć organizacje, zaznacz dokładnie dwie."), messages.WARNING)
            return None
        return HttpResponseRedirect(merge_url(*ids))

    def merge_view(self, request):
        """Two organisations side by side (?a=<id>&b=<id>); staff choose the one that stays and confirm (POST)."""
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        ids = [request.GET.get(key, "") for key in ("a", "b")]
        if not all(ID.fullmatch(value) for value in ids):
            raise Http404
        ids = [int(value) for value in ids]
        organisations = self.merge_candidates(ids)
        if len(organisations) != len(set(ids)):
            raise Http404
        form = MergeForm(request.POST if request.method == "POST" else None, organisations=organisations)
        if len(organisations) == 1:
            form = None  # the same organisation twice: nothing to merge, the page says so
        elif form.is_bound and form.is_valid():
            chosen = form.cleaned_data["keep"]
            keep = next(row for row in organisations if row.pk == chosen)
            remove = next(row for row in organisations if row.pk != chosen)
            try:
                services.merge_organisations(keep=keep, remove=remove, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = format_html(
                    _("Połączono organizacje: „{removed}” jest teraz częścią „{kept}” (stary adres przekierowuje)."),
                    removed=remove.name,
                    kept=keep.name,
                )
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:members_organisation_change", args=[keep.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Połącz organizacje"),
            "organisations": organisations,
            "compared": self.compared(organisations),
            "shared": self.shared_partnerships(organisations),
            "form": form,
        }
        return TemplateResponse(request, "admin/members/organisation/merge.html", context)

    def merge_candidates(self, ids):
        """The organisations of `ids` in their order, with what would move from each: one query and one prefetch."""
        memberships = Membership.objects.select_related("partnership").order_by("partnership__sort_name", "since")
        rows = (
            Organisation.objects.filter(pk__in=ids)
            .select_related("district")
            .annotate(
                role_count=Count("people_roles", distinct=True),
                address_count=Count("previous_addresses", distinct=True),
            )
            .prefetch_related(Prefetch("memberships", queryset=memberships))
        )
        return sorted(rows, key=lambda row: ids.index(row.pk))

    def compared(self, organisations):
        """[(label, [value of each organisation])] for COMPARED_FIELDS, as the page shows them."""
        empty = self.get_empty_value_display()

        def shown(organisation, name):
            if name == "sector":
                return organisation.get_sector_display()
            value = getattr(organisation, name)
            if isinstance(value, bool):
                return _("tak") if value else _("nie")
            if name == "logo":
                return _("jest") if value else empty
            return Truncator(str(value)).chars(120) if value else empty

        return [
            (Organisation._meta.get_field(name).verbose_name, [shown(row, name) for row in organisations])
            for name in COMPARED_FIELDS
        ]

    def shared_partnerships(self, organisations):
        """The partnerships both organisations are (or were) members of, by name."""
        if len(organisations) != 2:
            return []
        first, second = ({m.partnership for m in row.memberships.all()} for row in organisations)
        return [partnership.name for partnership in sorted(first & second, key=lambda row: row.sort_name)]


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


class PersonConsentInline(admin.TabularInline):
    """The consents of a person, read-only: they are recorded on their own page and withdrawn by the action."""

    model = ContactConsent
    fields = ("given_at", "how", "recorded_by", "withdrawn_at", "withdrawn_by")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = _("zgoda na publikację kontaktu")
    verbose_name_accusative = _("zgodę na publikację kontaktu")
    verbose_name_plural = _("zgody na publikację kontaktu")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by", "withdrawn_by")


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
    readonly_fields = ("public_contact", *TIMESTAMPS)
    inlines = [PersonRoleInline, PersonWorkingGroupInline, PersonConsentInline]
    actions = ["withdraw_consents"]
    fieldsets = (
        (_("Podstawowe"), {"fields": ("first_name", "last_name", "role_names", "slug", "photo", "bio")}),
        (_("Kontakt"), {"fields": ("email", "phone", "public_contact")}),
        (_("Konto"), {"fields": ("user", *TIMESTAMPS)}),
    )

    @admin.display(description=_("imię i nazwisko"), ordering="sort_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.action(description=_("Wycofaj zgodę na publikację kontaktu"), permissions=["change"])
    def withdraw_consents(self, request, queryset):
        people = list(queryset.filter(public_contact=True))
        for person in people:
            services.withdraw_consent(person=person, by=request.user)
        self.message_user(request, _("Wycofano zgody: %(count)d.") % {"count": len(people)})

    # --- a person's data on request (RODO): the export and the erasure ---------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/dane/", view(self.data_view), name="members_person_data"),
            path("<path:object_id>/dane.json", view(self.data_json_view), name="members_person_data_json"),
            path("<path:object_id>/usun-dane/", view(self.erase_view), name="members_person_erase"),
            *super().get_urls(),
        ]

    def person_or_404(self, request, object_id, permission):
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404(_("Nie ma takiej osoby."))
        if not permission(request, person):
            raise PermissionDenied
        return person

    def data_view(self, request, object_id):
        person = self.person_or_404(request, object_id, self.has_view_or_change_permission)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Dane osoby (RODO): %(name)s") % {"name": person.full_name},
            "person": person,
            "sections": queries.person_data(person),
        }
        return TemplateResponse(request, "admin/members/person/data.html", context)

    def data_json_view(self, request, object_id):
        person = self.person_or_404(request, object_id, self.has_view_or_change_permission)
        data = {section.key: section.rows for section in queries.person_data(person)}
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="dane-osoby-{person.pk}.json"'
        return response

    def erase_view(self, request, object_id):
        person = self.person_or_404(request, object_id, self.has_delete_permission)
        error = None
        if request.method == "POST":
            try:
                erasure = services.erase_person(person=person, by=request.user)
            except ValidationError as refused:
                error = refused.messages[0]
            else:
                messages.success(
                    request,
                    _("Usunięto dane osoby nr %(id)s (zostaje tylko ślad usunięcia).") % {"id": erasure.person_id},
                )
                return redirect("admin:members_person_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Usuń dane osoby (RODO): %(name)s") % {"name": person.full_name},
            "person": person,
            "error": error,
            "keeps_roles": services.stays_as_anonymous(person),
            "accounts": list(services.accounts_of(person)),
            "invitations": Invitation.objects.filter(email__iexact=person.email or None).count(),
            "data_url": reverse("admin:members_person_data", args=[person.pk]),
        }
        return TemplateResponse(request, "admin/members/person/erase.html", context, status=400 if error else 200)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = ContactConsent
        fields = ("person", "how", "given_at")

    def clean_given_at(self):
        given_at = self.cleaned_data["given_at"]
        if given_at > timezone.now():
            raise ValidationError(_("Zgoda nie może być udzielona w przyszłości."), code="future")
        return given_at


class CurrentConsentFilter(admin.SimpleListFilter):
    title = _("stan zgody")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("aktualne")), ("no", _("wycofane"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "yes")
        return queryset


@admin.register(ContactConsent)
class ContactConsentAdmin(partnerships_admin.PolishNamesMixin, admin.ModelAdmin):
    """Consents are recorded here (the add form) and withdrawn by the action; a recorded consent is not edited."""

    verbose_name_accusative = _("zgodę na publikację kontaktu")
    form = ConsentForm
    list_display = ("person", "how", "given_at", "recorded_by", "withdrawn_at", "withdrawn_by")
    list_filter = (CurrentConsentFilter, "how")
    list_select_related = ("person", "recorded_by", "withdrawn_by")
    search_fields = ("person__first_name", "person__last_name", "person__email")
    autocomplete_fields = ("person",)
    actions = ["withdraw_selected"]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("person", "how", "given_at", "recorded_by", "withdrawn_at", "withdrawn_by")

    def get_fields(self, request, obj=None):
        return ("person", "how", "given_at") if obj is None else self.get_readonly_fields(request, obj)

    # A consent recorded by mistake may be deleted; a current one is withdrawn first, so the contact leaves the pages.
    def delete_model(self, request, obj):
        self.delete_queryset(request, ContactConsent.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for person in {
                consent.person for consent in queryset.filter(withdrawn_at__isnull=True).select_related("person")
            }:
                services.withdraw_consent(person=person, by=request.user)
            queryset.delete()

    def save_model(self, request, obj, form, change):
        if not change:
            consent = services.record_consent(person=obj.person, how=obj.how, given_at=obj.given_at, by=request.user)
            obj.pk = consent.pk

    @admin.action(description=_("Wycofaj zaznaczone zgody"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        people = {consent.person for consent in queryset.filter(withdrawn_at__isnull=True).select_related("person")}
        for person in people:
            services.withdraw_consent(person=person, by=request.user)
        self.message_user(request, _("Wycofano zgody: %(count)d.") % {"count": len(people)})


@admin.register(Erasure)
class ErasureAdmin(partnerships_admin.PolishNamesMixin, admin.ModelAdmin):
    """The trace of each erasure (members.services.erase_person), written by it alone and never changed."""

    verbose_name_accusative = _("usunięcie danych osoby")
    list_display = ("person_id", "erased_at", "erased_by", "kept_as_anonymous")
    list_select_related = ("erased_by",)
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        no_saving = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**no_saving, **(extra_context or {})})


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


@admin.register(OrganisationChangeProposal)
class OrganisationChangeProposalAdmin(partnerships_admin.PolishNamesMixin, admin.ModelAdmin):
    """Changes of shared organisations proposed by coordinators: the list, and instead of an edit form the page that
    shows each field (then → now → proposed) with "Przyjmij" and "Odrzuć" (members.services.accept_proposal)."""

    verbose_name_accusative = _("propozycję zmiany organizacji")
    list_display = ("organisation_name", "partnership", "proposed_fields", "proposed_by", "created_at", "status")
    list_filter = ("status",)
    list_select_related = ("partnership", "proposed_by")
    search_fields = ("organisation_name", "organisation__name", "partnership__name")
    ordering = ("-created_at", "-pk")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("pola"))
    def proposed_fields(self, obj):
        return ", ".join(obj.field_labels())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        proposal = self.get_object(request, unquote(object_id))
        if proposal is None:
            raise Http404(_("Nie ma takiej propozycji."))
        if not self.has_view_or_change_permission(request, proposal):
            raise PermissionDenied
        may_decide = proposal.is_pending and self.has_change_permission(request, proposal)
        form = None
        if may_decide:
            form = ProposalDecisionForm(request.POST if request.method == "POST" else None, proposal=proposal)
        elif request.method == "POST":
            raise PermissionDenied
        if form is not None and form.is_bound and form.is_valid():
            said = form.decide(by=request.user)
            if said is not None:
                for level, text in said:
                    self.message_user(request, text, getattr(messages, level.upper()))
                return HttpResponseRedirect(reverse("admin:members_organisationchangeproposal_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            # The admin's title of a change page ("Zmień propozycję zmiany organizacji"); the page names the proposal.
            "title": _("Zmień %(name)s") % {"name": self.verbose_name_accusative},
            "proposal": proposal,
            "changes": queries.proposed_changes(proposal),
            "form": form,
        }
        status = 400 if form is not None and form.errors else 200
        return TemplateResponse(request, "admin/members/organisationchangeproposal/decide.html", context, status=status)
