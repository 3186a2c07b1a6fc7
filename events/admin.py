"""Back office for events of the partnerships and of the whole network."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnerships.admin import TIMESTAMPS, PublishActionsMixin

from .models import Event


class NetworkWideFilter(admin.SimpleListFilter):
    title = _("kto organizuje")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        return [("yes", _("cała sieć (bez organizatora)")), ("no", _("partnerstwa"))]

    def queryset(self, request, queryset):
        organised = Event.organisers.through.objects.values("event_id")
        if self.value() == "yes":
            return queryset.exclude(pk__in=organised)
        if self.value() == "no":
            return queryset.filter(pk__in=organised)
        return queryset


@admin.register(Event)
class EventAdmin(PublishActionsMixin, admin.ModelAdmin):
    list_display = ("title", "start", "end", "kind", "status", "place", "organiser_names", "is_published")
    list_filter = (
        "kind",
        "status",
        "is_published",
        NetworkWideFilter,
        ("organisers", admin.RelatedOnlyFieldListFilter),
        "place__district",
    )
    list_select_related = ("place",)
    search_fields = ("title", "slug", "audience", "organisers__name", "place__name")
    autocomplete_fields = ("place", "organisers")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = TIMESTAMPS
    date_hierarchy = "start"
    ordering = ("-start", "-pk")
    fieldsets = (
        (_("Podstawowe"), {"fields": ("title", "slug", "kind", "organisers", "audience", "description")}),
        (_("Termin"), {"fields": ("start", "end", "all_day")}),
        (_("Miejsce"), {"fields": ("place", "online_url", "registration_url")}),
        (_("Zdjęcie"), {"fields": ("image", "image_alt")}),
        (_("Status i publikacja"), {"fields": ("status", "cancellation_reason", "is_published", *TIMESTAMPS)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organisers")

    @admin.display(description=_("organizatorzy"))
    def organiser_names(self, obj):
        names = [partnership.name for partnership in obj.organisers.all()]
        return ", ".join(names) if names else _("cała sieć")
