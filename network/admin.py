"""The network's pages and facts in the admin: BORIS staff change them without a developer."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnerships.admin import HistoryAdmin, PublishActionsMixin

from .models import Facts, Page


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
