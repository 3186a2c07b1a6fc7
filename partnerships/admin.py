"""Back office for districts, places, partnerships, working groups and positions.

This module imports nothing from `members` or `events`: dependencies point one way.
Whatever on these pages belongs to another app (memberships, team roles, coordinator
accesses, the people of a working group) is added by that app's admin module, which
re-registers a subclass of the admin classes defined here (see members/admin.py).

It also holds what every admin of the site shares: `PolishNamesMixin` (names in the
right case in the admin's sentences) and `HistoryAdmin` (the history pages in Polish),
used by the staff accounts and groups of django.contrib.auth too (re-registered below).
"""

import dataclasses
import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import bulk_update_with_history

from common import images
from common.geo import AreaGeoJSONFormMixin
from common.history import RevertError, ShortDiff, author_name, m2m_ids, made_changes, revert_change
from common.imports import ImportExportAdminMixin

from . import services
from .models import (
    ContactMessage,
    CoordinatorAccess,
    District,
    Invitation,
    Partnership,
    Place,
    Position,
    PreviousName,
    WorkingGroup,
)
from .resources import PartnershipResource

TIMESTAMPS = ("created_at", "updated_at")


# The success message the admin view under way says instead of Django's (see PolishNamesMixin.message_user).
_success_message = ContextVar("admin_success_message", default=None)


@contextmanager
def _saying(message):
    token = _success_message.set(message)
    try:
        yield
    finally:
        _success_message.reset(token)


class PolishNamesMixin:
    """Names in the right grammatical case in the admin's sentences; every ModelAdmin of the site has it.

    Django glues the model's verbose name, a nominative ("osoba"), into sentences that need
    another case: "Dodaj osobę", "Zmień osobę", "Czy chcesz skasować osobę …?", "Dodano osobę …".
    Each admin names its model in the accusative in `verbose_name_accusative` (each inline
    too, for the "Dodaj …" link under its table, see templates/admin/edit_inline/tabular.html).
    This mixin puts it in the page titles and, through the documented `extra_context` of the
    admin views, in the context of the templates of templates/admin/ that build sentences
    with it; the success messages of adding, saving and deleting (one object or the selected
    ones) it says in its own words through `message_user`. Where a sentence would need a
    number of objects (bulk deletion, the row count) the templates count "pozycje" instead.
    """

    verbose_name_accusative = None  # e.g. _("osobę"): "Dodaj osobę"

    def names_context(self, extra_context, **context):
        return {"verbose_name_accusative": self.verbose_name_accusative, **context, **(extra_context or {})}

    def changelist_view(self, request, extra_context=None):
        if self.has_change_permission(request):
            title = _("Wybierz %(name)s do zmiany")
        else:
            title = _("Wybierz %(name)s do obejrzenia")
        title = title % {"name": self.verbose_name_accusative}
        return super().changelist_view(request, self.names_context(extra_context, title=title))

    def add_view(self, request, form_url="", extra_context=None):
        title = _("Dodaj %(name)s") % {"name": self.verbose_name_accusative}
        return super().add_view(request, form_url, self.names_context(extra_context, title=title))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # As Django decides between "Change" and "View"; no admin of the site has per-object permissions.
        title = _("Zmień %(name)s") if self.has_change_permission(request) else _("Zobacz %(name)s")
        title = title % {"name": self.verbose_name_accusative}
        return super().change_view(request, object_id, form_url, self.names_context(extra_context, title=title))

    def delete_view(self, request, object_id, extra_context=None):
        # `object_name` is what the sentences of templates/admin/delete_confirmation.html name.
        context = self.names_context(extra_context, object_name=self.verbose_name_accusative)
        return super().delete_view(request, object_id, context)

    def message_user(self, request, message, level=messages.INFO, extra_tags="", fail_silently=False):
        """Every admin message passes here: Django's success message of the view under way becomes ours."""
        said = _success_message.get()
        if said is not None and level == messages.SUCCESS:
            message = said
        super().message_user(request, message, level, extra_tags, fail_silently)

    def response_add(self, request, obj, post_url_continue=None):
        with _saying(
            format_html(_("Dodano {name} „{obj}”."), name=self.verbose_name_accusative, obj=self.link_to(request, obj))
        ):
            return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        linked = format_html('<a href="{}">{}</a>', request.path, obj)
        with _saying(format_html(_("Zapisano {name} „{obj}”."), name=self.verbose_name_accusative, obj=linked)):
            return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        with _saying(format_html(_("Usunięto {name} „{obj}”."), name=self.verbose_name_accusative, obj=obj_display)):
            return super().response_delete(request, obj_display, obj_id)

    def link_to(self, request, obj):
        """The object, linked to its change page when the user may change it (as in Django's messages)."""
        if not self.has_change_permission(request, obj):
            return str(obj)
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        return format_html('<a href="{}">{}</a>', url, obj)

    def get_actions(self, request):
        """Django's "delete selected" action, labelled and reporting as this site's actions do."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            delete, name, _description = actions["delete_selected"]
            actions[name] = (_reporting_count(delete), name, _("Usuń zaznaczone"))
        return actions


def _reporting_count(delete):
    def delete_selected(modeladmin, request, queryset):
        # Evaluated here, the rows are not read again: the action reuses them.
        count = len(queryset)
        with _saying(_("Usunięto. Liczba usuniętych pozycji: %(count)d.") % {"count": count}):
            return delete(modeladmin, request, queryset)

    return delete_selected


class HistoryValues(HistoricalRecordContextHelper):
    """The changes on a history page as the back office shows values elsewhere.

    django-simple-history prints the raw values: "None", "True", "2026-10-23", "active".
    Here: the admin's empty value, "tak"/"nie", dates in the language's format, choice labels.
    """

    def __init__(self, model, historical_record, *, empty_value_display, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.empty_value_display = empty_value_display

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):  # the objects of a many-to-many field
            return value
        labels = _choice_labels(self.model._meta.get_field(change.field))
        if value is None or value == "":
            return self.empty_value_display
        if labels and value in labels:
            return labels[value]
        if isinstance(value, bool):
            return _("tak") if value else _("nie")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "DATE_FORMAT")
        return value

    def get_obj_diff_display(self):
        return ShortDiff(max_length=self.max_displayed_delta_change_chars)

    def context_for_delta_changes(self, delta):
        # Saves that changed nothing a person can see ("" into None, "\n" into "\r\n") are not shown as changes.
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=made_changes(delta)))


def _choice_labels(field):
    labels = {}
    for value, label in field.choices or ():
        if isinstance(label, (list, tuple)):  # a named group of choices
            labels.update(label)
        else:
            labels[value] = label
    return labels


class HistoryAdmin(PolishNamesMixin, SimpleHistoryAdmin):
    """An admin with django-simple-history's history pages, in Polish (templates/simple_history/ and HistoryValues)."""

    def history_view(self, request, object_id, extra_context=None):
        context = self.names_context(extra_context, empty_value_display=self.get_empty_value_display())
        return super().history_view(request, object_id, context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record, empty_value_display=self.get_empty_value_display())

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # django-simple-history's select_related() without names, for a model with no foreign key (a partnership),
        # stops following the author (nullable): named here again, so authors are not read one by one.
        return super().get_history_queryset(request, history_manager, pk_name, object_id).select_related("history_user")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """What each version on the page changed, as django-simple-history's does, in a fixed number of queries: the
        many-to-many values of the page's versions are read at once (its diff reads them for every version)."""
        records = list(historical_records)
        m2m = m2m_ids(self.model, records)
        related = {}
        for name, by_record in m2m.items():
            model_field = self.model._meta.get_field(name)
            related[name] = (
                model_field.m2m_reverse_field_name(),
                model_field.related_model._default_manager.in_bulk(set().union(*by_record.values())),
            )

        def rows(name, ids):
            target, objects = related[name]
            return [{target: objects.get(pk, "–")} for pk in sorted(ids)]

        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(older, excluded_fields=list(m2m), foreign_keys_are_objs=foreign_keys_are_objs)
            changes = list(delta.changes)
            for name, by_record in m2m.items():
                old, new = by_record[older.history_id], by_record[newer.history_id]
                if old != new:
                    changes.append(ModelChange(name, rows(name, old), rows(name, new)))
            changes.sort(key=lambda change: change.field)
            delta = ModelDelta(changes, [change.field for change in changes], older, newer)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One change of the object (a history record): what it changed, and "Cofnij tę zmianę" for staff who may
        change the object. Undoing sets back only the fields of this change that nobody changed since
        (common.history.revert_change); django-simple-history's page here restored a whole old version, and so
        undid later changes of other people too."""
        request.current_app = self.admin_site.name
        object_id = unquote(object_id)
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404
        record = self.model.history.filter(id=object_id, history_id=version_id).select_related("history_user").first()
        if record is None:
            raise Http404
        obj = self.get_queryset(request).filter(pk=object_id).first() or record.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        may_revert = not self.revert_disabled(request, obj)
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        if request.method == "POST":
            if not may_revert:
                raise PermissionDenied
            try:
                done = revert_change(record=record, by=request.user)
            except RevertError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(request.path)
            first, *rest = done.messages()
            self.message_user(request, first, messages.SUCCESS if done.fields else messages.WARNING)
            for line in rest:
                self.message_user(request, line, messages.WARNING)
            return HttpResponseRedirect(history_url)
        previous = record.prev_record if record.history_type == "~" else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            changes = self.get_historical_record_context_helper(request, record).context_for_delta_changes(delta)
        info = self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Zmiana z %(date)s")
            % {"date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")},
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "original": obj,
            "record": record,
            "who": author_name(record),
            "changes": changes,
            "can_revert": may_revert and bool(changes),
            "changelist_url": reverse("admin:{}_{}_changelist".format(*info), current_app=self.admin_site.name),
            "change_url": reverse("admin:{}_{}_change".format(*info), args=[obj.pk], current_app=self.admin_site.name),
            "history_url": history_url,
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)


def _check_upload(value):
    if isinstance(value, UploadedFile):
        images.check_image(value)


# The checks of the site's image pipeline on every image field of an admin form (formfield_overrides).
IMAGE_FIELD_CHECKS = {models.ImageField: {"validators": [_check_upload]}}


def store_uploaded_images(obj, form):
    """Store the images uploaded in `form` for `obj` through the site's pipeline (common/images.py) and set their
    widths; return the names of the files they replace or remove, to delete once the change is committed."""
    replaced = []
    for field in obj._meta.fields:
        if not isinstance(field, models.ImageField) or field.name not in form.changed_data:
            continue
        old_name = form.initial.get(field.name)
        old_name = getattr(old_name, "name", old_name)
        upload = form.cleaned_data.get(field.name)
        width = None  # the image was removed
        if isinstance(upload, UploadedFile):
            stored = images.store_image(upload, field.upload_to)
            setattr(obj, field.name, stored.name)
            width = stored.width
        setattr(obj, images.width_field(field.name), width)
        if old_name and old_name != getattr(obj, field.name).name:
            replaced.append(old_name)
    return replaced


def delete_when_committed(names):
    transaction.on_commit(lambda: [images.delete_image(name) for name in names])


class ImagePipelineAdminMixin:
    """Image uploads in the admin go through the site's pipeline (partnerships/images.py) too:
    only real JPEG/PNG/WebP within the limits, re-encoded without EXIF, with resized copies;
    replaced or removed files are deleted with their copies once the change is saved. The same holds for the images
    of inline rows (a practice's photos), whose inline declares `formfield_overrides = IMAGE_FIELD_CHECKS`."""

    formfield_overrides = IMAGE_FIELD_CHECKS

    def save_model(self, request, obj, form, change):
        replaced = store_uploaded_images(obj, form)
        super().save_model(request, obj, form, change)
        delete_when_committed(replaced)

    def save_formset(self, request, form, formset, change):
        replaced = []
        for inline_form in formset.deleted_forms:
            replaced += [
                getattr(inline_form.instance, field.name).name
                for field in inline_form.instance._meta.fields
                if isinstance(field, models.ImageField) and getattr(inline_form.instance, field.name)
            ]
        for inline_form in formset.forms:
            if inline_form.has_changed() and inline_form not in formset.deleted_forms:
                replaced += store_uploaded_images(inline_form.instance, inline_form)
        super().save_formset(request, form, formset, change)
        delete_when_committed(replaced)


def update_with_history(request, model, rows, reason, **changes):
    """Set `changes` on `rows` in a few UPDATEs, with one history record a row naming the staff member and `reason`.

    An admin action changes many rows at once; its trail in the history is the same as a change made in a form's
    (who, when, what), which a plain `update()` would not leave. `updated_at` is set too, as save() would.
    Returns how many rows changed.
    """
    rows = list(rows)
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    for row in rows:
        for name, value in changes.items():
            setattr(row, name, value)
    if hasattr(model, "history"):
        bulk_update_with_history(rows, model, list(changes), default_user=request.user, default_change_reason=reason)
    else:
        model._default_manager.bulk_update(rows, list(changes))
    return len(rows)


class PublishActionsMixin:
    """ "Opublikuj zaznaczone" / "Ukryj zaznaczone" for every model with `is_published`.

    Only rows whose flag really changes are touched and counted, so the message says how many changed; each keeps
    a history record of who published or hid it (update_with_history).
    """

    actions = ["publish_selected", "unpublish_selected"]

    def _set_published(self, request, queryset, value):
        # Through the default manager: the admin's own queryset may carry annotations.
        pks = queryset.exclude(is_published=value).values("pk")
        rows = queryset.model._default_manager.filter(pk__in=pks)
        return update_with_history(request, queryset.model, rows, self.change_reason(value), is_published=value)

    @staticmethod
    def change_reason(value):
        """What the history says of a row published (or hidden) by the action."""
        return str(_("opublikowano w panelu (zbiorczo)") if value else _("ukryto w panelu (zbiorczo)"))

    @admin.action(description=_("Opublikuj zaznaczone"), permissions=["change"])
    def publish_selected(self, request, queryset):
        changed = self._set_published(request, queryset, True)
        if changed:
            self.message_user(request, _("Opublikowano. Liczba zmienionych pozycji: %(count)d.") % {"count": changed})
        else:
            self.message_user(request, _("Zaznaczone pozycje były już opublikowane."), messages.WARNING)

    @admin.action(description=_("Ukryj zaznaczone"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        changed = self._set_published(request, queryset, False)
        if changed:
            self.message_user(request, _("Ukryto. Liczba zmienionych pozycji: %(count)d.") % {"count": changed})
        else:
            self.message_user(request, _("Zaznaczone pozycje były już ukryte."), messages.WARNING)


@admin.register(District)
class DistrictAdmin(PolishNamesMixin, admin.ModelAdmin):
    verbose_name_accusative = _("dzielnicę")
    list_display = ("name", "slug", "bank", "population", "area_km2", "partnership_count", "place_count")
    list_filter = ("bank",)
    search_fields = ("name", "slug")
    # Explicit: a GROUP BY (the counts below) drops Meta.ordering, autocomplete lists included.
    ordering = ("sort_name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "bank", "population", "area_km2", "description")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                partnership_total=Count("partnerships", distinct=True),
                place_total=Count("places", distinct=True),
            )
        )

    @admin.display(description=_("partnerstwa"), ordering="partnership_total")
    def partnership_count(self, obj):
        return obj.partnership_total

    @admin.display(description=_("miejsca"), ordering="place_total")
    def place_count(self, obj):
        return obj.place_total


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    verbose_name_accusative = _("miejsce")
    list_display = ("name", "district", "street_address", "is_neighbourhood_house", "has_coordinates", "updated_at")
    list_filter = ("is_neighbourhood_house", "district")
    list_select_related = ("district",)
    search_fields = ("name", "slug", "street_address")
    autocomplete_fields = ("district",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    fieldsets = (
        (_("Podstawowe"), {"fields": ("name", "slug", "is_neighbourhood_house", "description", "accessibility")}),
        (_("Adres i położenie"), {"fields": ("street_address", "postal_code", "district", "latitude", "longitude")}),
        (_("Historia zmian"), {"fields": TIMESTAMPS}),
    )

    @admin.display(description=_("współrzędne"), boolean=True)
    def has_coordinates(self, obj):
        return obj.has_coordinates


class CoordinatorAccessInline(admin.TabularInline):
    model = CoordinatorAccess
    fields = ("user", "granted_at")
    readonly_fields = ("granted_at",)
    autocomplete_fields = ("user",)
    verbose_name = _("konto z prawem edycji")
    verbose_name_accusative = _("konto z prawem edycji")
    verbose_name_plural = _("konta z prawem edycji tego partnerstwa")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class PreviousNameInline(admin.TabularInline):
    model = PreviousName
    fields = ("name", "slug", "until")
    extra = 0
    verbose_name = _("dawna nazwa")
    verbose_name_accusative = _("dawną nazwę")
    verbose_name_plural = _("dawne nazwy (stare adresy przekierowują na bieżącą stronę)")


class VerifiedFilter(admin.SimpleListFilter):
    title = _("aktualność danych")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("recent", _("potwierdzone w ostatnim roku")),
            ("stale", _("potwierdzone ponad rok temu")),
            ("never", _("nigdy nie potwierdzone")),
        ]

    def queryset(self, request, queryset):
        year_ago = timezone.localdate() - timedelta(days=365)
        if self.value() == "recent":
            return queryset.filter(last_verified_on__gte=year_ago)
        if self.value() == "stale":
            return queryset.filter(last_verified_on__lt=year_ago)
        if self.value() == "never":
            return queryset.filter(last_verified_on__isnull=True)
        return queryset


class PartnershipAdminForm(AreaGeoJSONFormMixin, forms.ModelForm):
    """Checks the area polygon (GeoJSON inside Warsaw) with Polish messages."""

    class Meta:
        model = Partnership
        fields = ("area_geojson",)  # the admin adds the fields of its fieldsets


@admin.register(Partnership)
class PartnershipAdmin(ImportExportAdminMixin, ImagePipelineAdminMixin, PublishActionsMixin, HistoryAdmin):
    verbose_name_accusative = _("partnerstwo")
    form = PartnershipAdminForm
    resource_classes = [PartnershipResource]

    def get_changeform_initial_data(self, request):
        """A new partnership starts as a draft: it shows publicly once staff publish it, not with six "jeszcze nie"
        badges on the day it is added (its coordinators see and fill it in meanwhile)."""
        return {"is_published": False, **super().get_changeform_initial_data(request)}

    # Few, narrow columns: the list fits 1280 px beside the admin's menu and the filters
    # (tests/browser/test_admin_width.py). Kind and formal status are in the filters;
    # a hidden partnership says so under its status.
    list_display = ("name", "status_shown", "district_names", "verified_on")
    list_filter = ("kind", "status", "formal_status", "districts", "citywide", "is_published", VerifiedFilter)
    search_fields = ("name", "slug", "area", "contact_email", "previous_names__name")
    ordering = ("sort_name",)  # kept when a subclass annotates counts (GROUP BY drops Meta.ordering)
    autocomplete_fields = ("districts", "places")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = TIMESTAMPS
    actions = [*PublishActionsMixin.actions, "mark_verified_today", "invite_coordinator"]
    inlines = [PreviousNameInline, CoordinatorAccessInline]
    fieldsets = (
        (
            _("Podstawowe"),
            {"fields": ("name", "slug", "kind", "status", "founded_year", "formal_status", "declaration_signed_on")},
        ),
        (_("Obszar"), {"fields": ("districts", "citywide", "area", "places", "area_geojson")}),
        (_("Opis"), {"fields": ("summary", "description", "goals", "logo", "logo_alt", "cover", "cover_alt")}),
        (
            _("Kontakt"),
            {"fields": ("contact_name", "contact_email", "contact_phone", "website", "facebook_url", "instagram_url")},
        ),
        (
            _("Sześć warunków"),
            {
                "description": _(
                    "Warunki dobrze rozwijającego się partnerstwa. Na stronie pokazują się jako profil "
                    "partnerstwa, nie jako ocena."
                ),
                "fields": [(f"condition_{key}", f"condition_{key}_note") for key, _label in Partnership.CONDITIONS],
            },
        ),
        (_("Dostępność"), {"fields": ("easy_read_summary", "sign_language_video_url")}),
        (_("Publikacja"), {"fields": ("is_published", "last_verified_on", *TIMESTAMPS)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description=_("stan"), ordering="status")
    def status_shown(self, obj):
        if obj.is_published:
            return obj.get_status_display()
        return format_html('{}<br><span class="quiet">{}</span>', obj.get_status_display(), _("ukryte"))

    @admin.display(description=_("potwierdzone"), ordering="last_verified_on")
    def verified_on(self, obj):
        # Text, not a date: the admin keeps dates on one line, this one may wrap when the list is narrow.
        return date_format(obj.last_verified_on) if obj.last_verified_on else None

    @admin.display(description=_("dzielnice"))
    def district_names(self, obj):
        if obj.citywide:
            return _("cała Warszawa")
        return ", ".join(district.name for district in obj.districts.all()) or "–"

    @admin.action(description=_("Oznacz dane jako potwierdzone dziś"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        rows = Partnership.objects.filter(pk__in=queryset.values("pk"))
        reason = str(_("dane potwierdzone w panelu (zbiorczo)"))
        changed = update_with_history(request, Partnership, rows, reason, last_verified_on=timezone.localdate())
        self.message_user(request, _("Potwierdzono dane. Liczba partnerstw: %(count)d.") % {"count": changed})

    @admin.action(description=_("Zaproś koordynatora (e-mailem)"), permissions=["change"])
    def invite_coordinator(self, request, queryset):
        first = queryset.order_by("sort_name").first()
        url = reverse("admin:partnerships_invitation_add")
        return HttpResponseRedirect(f"{url}?partnership={first.pk}" if first else url)


class WorkingGroupStateFilter(admin.SimpleListFilter):
    title = _("czy działa")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("działa")), ("no", _("zakończył pracę"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=today))
        if self.value() == "no":
            return queryset.filter(dissolved_on__lt=today)
        return queryset


@admin.register(WorkingGroup)
class WorkingGroupAdmin(PolishNamesMixin, PublishActionsMixin, admin.ModelAdmin):
    verbose_name_accusative = _("zespół roboczy")
    list_display = ("name", "purpose", "established_on", "dissolved_on", "is_published")
    list_filter = (WorkingGroupStateFilter, "is_published")
    search_fields = ("name", "slug", "purpose")
    autocomplete_fields = ("partnerships",)
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "established_on"
    fieldsets = (
        (_("Podstawowe"), {"fields": ("name", "slug", "purpose", "description")}),
        (_("Skład i okres działania"), {"fields": ("partnerships", "established_on", "dissolved_on")}),
        (_("Publikacja"), {"fields": ("is_published",)}),
    )


@admin.register(Position)
class PositionAdmin(PolishNamesMixin, PublishActionsMixin, admin.ModelAdmin):
    verbose_name_accusative = _("stanowisko")
    list_display = ("title", "adopted_on", "working_group", "is_published")
    list_filter = ("is_published", "working_group")
    list_select_related = ("working_group",)
    search_fields = ("title", "slug", "summary")
    autocomplete_fields = ("working_group", "partnerships")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "adopted_on"
    fieldsets = (
        (_("Podstawowe"), {"fields": ("title", "slug", "adopted_on", "summary", "body")}),
        (_("Kto przygotował i poparł"), {"fields": ("working_group", "partnerships")}),
        (_("Publikacja"), {"fields": ("is_published",)}),
    )


@admin.register(CoordinatorAccess)
class CoordinatorAccessAdmin(PolishNamesMixin, admin.ModelAdmin):
    verbose_name_accusative = _("uprawnienie koordynatora")
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
class InvitationAdmin(PolishNamesMixin, admin.ModelAdmin):
    """ "Zaproś koordynatora": adding an invitation sends the e-mail with a one-time link."""

    verbose_name_accusative = _("zaproszenie")
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
        obj.pk = sent.pk
        obj.token_hash, obj.created_at, obj.expires_at = sent.token_hash, sent.created_at, sent.expires_at
        messages.success(request, _("Wysłano zaproszenie na adres %(email)s.") % {"email": sent.email})

    @admin.action(description=_("Wycofaj zaznaczone zaproszenia"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        invitations = list(queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True))
        for invitation in invitations:
            services.revoke_invitation(invitation=invitation, by=request.user)
        self.message_user(request, _("Wycofano zaproszenia: %(count)d.") % {"count": len(invitations)})


class HandledFilter(admin.SimpleListFilter):
    """Waiting or handled: a visitor's message here, a request for BORIS's support (network/admin.py)."""

    title = _("załatwiona")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("czeka")), ("yes", _("załatwiona"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(PolishNamesMixin, admin.ModelAdmin):
    """What visitors wrote through "Dołącz / Skontaktuj się": to read, never to edit (each was e-mailed when it came).
    The partnership's coordinators mark them as handled in their area, staff here too (for a partnership without
    coordinators the message came to BORIS). Deleted after the period of "Dane sieci" (purge_history)."""

    verbose_name_accusative = _("wiadomość z formularza kontaktowego")
    list_display = ("created_at", "partnership", "name", "email", "reason", "handled_at")
    list_filter = (("partnership", admin.RelatedOnlyFieldListFilter), HandledFilter, "reason")
    list_select_related = ("partnership",)
    search_fields = ("name", "email", "partnership__name")
    date_hierarchy = "created_at"
    fields = ("partnership", "name", "email", "reason", "message", "created_at", "handled_at", "handled_by")
    readonly_fields = fields
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Oznacz zaznaczone jako załatwione"), permissions=["change"])
    def mark_handled(self, request, queryset):
        waiting = list(queryset.filter(handled_at__isnull=True))
        for message in waiting:
            services.mark_contact_message_handled(message=message, by=request.user)
        self.message_user(request, _("Oznaczono jako załatwione: %(count)d.") % {"count": len(waiting)})


# The staff accounts and groups of django.contrib.auth (registered by its admin module, imported above)
# with the site's Polish names too.
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PolishNamesMixin, auth_admin.UserAdmin):
    verbose_name_accusative = _("użytkownika")


@admin.register(Group)
class GroupAdmin(PolishNamesMixin, auth_admin.GroupAdmin):
    verbose_name_accusative = _("grupę")
