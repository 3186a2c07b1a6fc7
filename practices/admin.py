"""Back office for good practices: the topics, and each practice with its photos. Publishing and hiding go through
practices/services.py, so the practice's history names the staff member who did it."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.admin import (
    IMAGE_FIELD_CHECKS,
    TIMESTAMPS,
    HistoryAdmin,
    ImagePipelineAdminMixin,
    PublishActionsMixin,
)

from . import services
from .models import Photo, Practice, Topic


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    verbose_name_accusative = _("temat dobrych praktyk")
    list_display = ("order", "name", "name_en")
    list_display_links = ("name",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "name_en", "slug", "order")


class PhotoInline(admin.TabularInline):
    """The photos, each with its text alternative; uploads go through the site's image checks."""

    model = Photo
    fields = ("image", "alt", "caption", "order")
    extra = 0
    formfield_overrides = IMAGE_FIELD_CHECKS
    verbose_name_accusative = _("zdjęcie")


class WaitingFilter(admin.SimpleListFilter):
    title = _("czeka na publikację")
    parameter_name = "czeka"

    def lookups(self, request, model_admin):
        return [("tak", _("tak, partnerstwo ją zgłosiło")), ("nie", _("nie"))]

    def queryset(self, request, queryset):
        if self.value() == "tak":
            return queryset.waiting()
        if self.value() == "nie":
            return queryset.exclude(pk__in=Practice.objects.waiting().values("pk"))
        return queryset


@admin.register(Practice)
class PracticeAdmin(ImagePipelineAdminMixin, PublishActionsMixin, HistoryAdmin):
    verbose_name_accusative = _("dobrą praktykę")
    list_display = ("title", "partnership", "is_published", "waiting_since", "updated_at")
    list_filter = ("is_published", WaitingFilter, "topics", ("partnership", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("partnership",)
    search_fields = ("title", "slug", "summary", "partnership__name")
    autocomplete_fields = ("partnership", "organisations", "partner_partnerships", "contact_person", "working_group")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("submitted_at", "published_at", *TIMESTAMPS)
    inlines = [PhotoInline]
    ordering = ("-updated_at", "-pk")
    fieldsets = (
        (_("Podstawowe"), {"fields": ("partnership", "title", "slug", "summary", "easy_read", "topics")}),
        (_("Jak to było"), {"fields": ("problem", "steps", "worked", "did_not_work", "results")}),
        (
            _("Kto wziął udział"),
            {"fields": ("organisations", "partner_partnerships", "participants_note", "working_group")},
        ),
        (
            _("Czego było trzeba"),
            {"fields": ("time_needed", "money_needed", "space_needed", "people_needed", "needs_note")},
        ),
        (_("Kontakt i daty"), {"fields": ("contact_person", "started_on", "ended_on")}),
        (_("Publikacja"), {"fields": ("is_published", "submitted_at", "published_at", *TIMESTAMPS)}),
    )

    @admin.display(description=_("czeka od"), ordering="submitted_at")
    def waiting_since(self, obj):
        return obj.submitted_at if not obj.is_published else None

    def save_model(self, request, obj, form, change):
        """Published in the form: dated as the publishing service dates it; hidden: back to the drafts, no longer
        waiting (as "Ukryj zaznaczone" does)."""
        if obj.is_published and obj.published_at is None:
            obj.published_at = timezone.now()
        if not obj.is_published and "is_published" in form.changed_data:
            obj.submitted_at = None
        super().save_model(request, obj, form, change)

    def _set_published(self, request, queryset, value):
        """Through the services, one practice at a time: each keeps who published or hid it and when."""
        change = services.publish_practice if value else services.unpublish_practice
        reason = self.change_reason(value)
        rows = list(queryset.exclude(is_published=value).select_related("partnership"))
        for practice in rows:
            change(practice=practice, by=request.user, reason=reason)
        return len(rows)
