"""The network's pages and facts in the admin: BORIS staff change them without a developer. Also BORIS's support
offer (the kinds of support the support page lists) and the requests sent through its form. The exchange's entries,
where staff tick a recommended contact's consent after checking it."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.admin import HandledFilter, HistoryAdmin, PolishNamesMixin, PublishActionsMixin

from . import services
from .models import ExchangeEntry, Facts, Page, SupportKind, SupportRequest


@admin.register(Page)
class PageAdmin(PublishActionsMixin, HistoryAdmin):
    verbose_name_accusative = _("stronę sieci")
    list_display = ("title", "key", "language", "is_published", "updated_at")
    list_filter = ("key", "language", "is_published")
    search_fields = ("title", "summary", "body")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("key", "language", "is_published", "title", "summary", "body")}),
        (_("Dostępność"), {"fields": ("easy_read", "sign_language_video_url")}),
        (_("Historia zmian"), {"fields": ("updated_at",)}),
    )


@admin.register(Facts)
class FactsAdmin(HistoryAdmin):
    """One row: it can be added while there is none (the pages read the first row); deleted, the pages show empty
    contacts and "nie podano" in the accessibility statement."""

    verbose_name_accusative = _("dane sieci")
    readonly_fields = ("updated_at",)
    fieldsets = (
        (_("Kontakt z siecią"), {"fields": ("operator_name", "contact_email", "contact_phone", "postal_address")}),
        (
            _("Dane osobowe"),
            {
                "fields": (
                    "privacy_email",
                    "history_retention_years",
                    "invitation_retention_days",
                    "contact_message_retention_months",
                )
            },
        ),
        (
            _("Deklaracja dostępności"),
            {
                "fields": (
                    "a11y_status",
                    "a11y_assessment",
                    "a11y_published_on",
                    "a11y_updated_on",
                    "a11y_prepared_on",
                    "a11y_person",
                    "a11y_email",
                    "a11y_phone",
                    "a11y_architecture",
                    "a11y_architecture_en",
                )
            },
        ),
        (_("Historia zmian"), {"fields": ("updated_at",)}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Facts.objects.exists()


@admin.register(SupportKind)
class SupportKindAdmin(PublishActionsMixin, HistoryAdmin):
    verbose_name_accusative = _("rodzaj wsparcia")
    list_display = ("name", "event_kind", "order", "is_published", "updated_at")
    list_editable = ("order",)
    list_filter = ("is_published", "event_kind")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("updated_at",)
    fields = ("name", "slug", "event_kind", "description", "audience", "how_to_ask", "order", "is_published")


@admin.register(SupportRequest)
class SupportRequestAdmin(PolishNamesMixin, admin.ModelAdmin):
    """Requests come from the support page's form only: staff read them, answer by e-mail, mark them handled and
    delete them when they are no longer needed (they hold a stranger's contact data)."""

    verbose_name_accusative = _("prośbę o wsparcie")
    list_display = ("created_at", "name", "kind", "partnership", "email", "handled_at")
    list_filter = (HandledFilter, "kind", ("partnership", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("kind", "partnership")
    search_fields = ("name", "email", "message")
    date_hierarchy = "created_at"
    fields = ("created_at", "kind", "partnership", "name", "email", "message", "language", "handled_at", "handled_by")
    readonly_fields = fields
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        no_saving = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**no_saving, **(extra_context or {})})

    @admin.action(description=_("Oznacz jako załatwione"), permissions=["change"])
    def mark_handled(self, request, queryset):
        changed = services.mark_handled(requests=queryset, by=request.user)
        if changed:
            self.message_user(
                request, _("Oznaczono jako załatwione. Liczba zmienionych próśb: %(count)d.") % {"count": changed}
            )
        else:
            self.message_user(request, _("Zaznaczone prośby były już załatwione."), messages.WARNING)


class ExpiredFilter(admin.SimpleListFilter):
    title = _("aktualność")
    parameter_name = "expired"

    def lookups(self, request, model_admin):
        return [("no", _("aktualne")), ("yes", _("wygasłe"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "no":
            return queryset.filter(expires_on__gte=today)
        if self.value() == "yes":
            return queryset.filter(expires_on__lt=today)
        return queryset


@admin.register(ExchangeEntry)
class ExchangeEntryAdmin(HistoryAdmin):
    """The exchange's entries, which coordinators write in their area. Staff tick "zgoda sprawdzona" once they
    checked that a recommended firm or person agreed to be listed: only then is a public recommendation shown."""

    verbose_name_accusative = _("wpis giełdy zasobów")
    list_display = ("title", "kind", "partnership", "expires_on", "is_public", "consent_verified", "created_at")
    list_filter = (
        "kind",
        "is_public",
        "consent_verified",
        ExpiredFilter,
        ("partnership", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("partnership",)
    search_fields = ("title", "description", "contact_name", "contact_does", "partnership__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("partnership",)
    readonly_fields = ("created_at", "updated_at", "reminded_for")
    fieldsets = (
        (None, {"fields": ("partnership", "kind", "title", "description", "district", "expires_on", "is_public")}),
        (
            _("Polecany kontakt"),
            {"fields": ("contact_name", "contact_does", "consent_note", "consent_verified")},
        ),
        (_("Historia zmian"), {"fields": ("created_at", "updated_at", "reminded_for")}),
    )
