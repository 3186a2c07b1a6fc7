"""Back office for events of the partnerships and of the whole network."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.imports import ImportExportAdminMixin
from partnerships.admin import TIMESTAMPS, HistoryAdmin, ImagePipelineAdminMixin, PolishNamesMixin, PublishActionsMixin

from . import recurrence, services
from .forms import RecurrenceFields
from .models import CoOrganiserInvitation, Event, Minutes, MinutesAttachment, Occurrence
from .resources import EventResource

INLINE_DATES = 60


class EventAdminForm(RecurrenceFields, forms.ModelForm):
    """The event form with the same builder as the coordinator's (events/forms.py), and one more choice for staff:
    "własna reguła" keeps the RRULE typed in by hand."""

    class Meta:
        model = Event
        fields = (
            "title",
            "slug",
            "kind",
            "organisers",
            "audience",
            "description",
            "start",
            "end",
            "all_day",
            "recurrence",
            "place",
            "online_url",
            "registration_url",
            "image",
            "image_alt",
            "working_group",
            "status",
            "cancellation_reason",
            "is_published",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeat"].choices = recurrence.Pattern.CHOICES
        self.show_recurrence(self.instance)

    def clean(self):
        cleaned = super().clean()
        pattern = cleaned.get("repeat") or recurrence.Pattern.NONE
        if pattern == recurrence.Pattern.NONE:
            if "recurrence" not in self.changed_data:
                cleaned["recurrence"] = ""
            return cleaned
        if pattern == recurrence.Pattern.CUSTOM:
            if not cleaned.get("recurrence"):
                self.add_error("recurrence", _("Wpisz własną regułę RRULE albo wybierz wzór powtarzania z listy."))
            return cleaned
        if cleaned.get("start"):
            rule = self.build_recurrence(cleaned["start"])
            # After an error the form is refused; the model then checks no rule against the start.
            cleaned["recurrence"] = rule or ""
        return cleaned


class OccurrenceFormSet(BaseInlineFormSet):
    """Only the dates from a month ago on, at most INLINE_DATES of them: a long series stays editable."""

    def get_queryset(self):
        if not hasattr(self, "_recent_dates"):
            since = timezone.now() - timedelta(days=31)
            self._recent_dates = super().get_queryset().filter(end__gte=since).order_by("start")[:INLINE_DATES]
        return self._recent_dates


class OccurrenceInline(admin.TabularInline):
    """Single dates of a series: cancel one (with a reason), skip it or move it; the rest stays as it is."""

    model = Occurrence
    formset = OccurrenceFormSet
    fields = ("original_start", "start", "end", "status", "cancellation_reason", "moved")
    readonly_fields = ("original_start", "moved")
    extra = 0
    can_delete = False
    verbose_name = _("termin cyklu")
    verbose_name_accusative = _("termin cyklu")
    verbose_name_plural = _("terminy cyklu (od miesiąca wstecz) – odwołaj, pomiń albo przenieś pojedynczy termin")

    def has_add_permission(self, request, obj=None):
        return False


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
class EventAdmin(ImportExportAdminMixin, ImagePipelineAdminMixin, PublishActionsMixin, HistoryAdmin):
    verbose_name_accusative = _("wydarzenie")
    resource_classes = [EventResource]
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
    autocomplete_fields = ("place", "organisers", "working_group")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*TIMESTAMPS, "sequence")
    form = EventAdminForm
    inlines = [OccurrenceInline]
    date_hierarchy = "start"
    ordering = ("-start", "-pk")
    fieldsets = (
        (
            _("Podstawowe"),
            {"fields": ("title", "slug", "kind", "working_group", "organisers", "audience", "description")},
        ),
        (
            _("Termin"),
            {
                "fields": (
                    "start",
                    "end",
                    "all_day",
                    "repeat",
                    "repeat_weekdays",
                    ("repeat_until", "repeat_count"),
                    "recurrence",
                ),
                "description": _(
                    "Dla spotkań cyklicznych początek i koniec to pierwszy termin. Pojedynczy termin cyklu "
                    "odwołasz, pominiesz albo przeniesiesz na liście terminów pod formularzem."
                ),
            },
        ),
        (_("Miejsce"), {"fields": ("place", "online_url", "registration_url")}),
        (_("Zdjęcie"), {"fields": ("image", "image_alt")}),
        (
            _("Status i publikacja"),
            {"fields": ("status", "cancellation_reason", "is_published", "sequence", *TIMESTAMPS)},
        ),
    )

    def get_inline_instances(self, request, obj=None):
        """The list of dates only for a saved series (a single event has just its own date)."""
        if obj is None or not obj.recurrence:
            return []
        return super().get_inline_instances(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Dates edited in the list were saved after the event: settle them against the rule once more.
        form.instance.rebuild_occurrences()
        # Staff set the organisers directly: a partnership they added needs no invitation any more.
        services.settle_co_organiser_invitations(event=form.instance, by=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organisers")

    @admin.display(description=_("organizatorzy"))
    def organiser_names(self, obj):
        names = [partnership.name for partnership in obj.organisers.all()]
        return ", ".join(names) if names else _("cała sieć")


@admin.register(CoOrganiserInvitation)
class CoOrganiserInvitationAdmin(PolishNamesMixin, admin.ModelAdmin):
    """Invitations to co-organise an event, made by the coordinator area's event form: staff see who has not
    answered and may answer for the invited partnership (accept or decline the selected ones)."""

    verbose_name_accusative = _("zaproszenie do współorganizacji")
    list_display = ("event", "partnership", "inviter", "invited_at", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("event", "partnership", "inviter", "decided_by")
    search_fields = ("event__title", "partnership__name", "inviter__name")
    date_hierarchy = "invited_at"
    actions = ["accept_selected", "decline_selected"]
    fields = ("event", "partnership", "inviter", "invited_by", "invited_at", "status", "decided_by", "decided_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # made by the event form, with the e-mail to the invited partnership

    def _answer(self, request, queryset, answer, done_message):
        done, refused = 0, []
        for invitation in queryset.select_related("event"):
            try:
                answer(invitation=invitation, by=request.user)
            except ValidationError as error:
                refused.append(f"{invitation}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done})
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Akceptuj zaznaczone zaproszenia"), permissions=["change"])
    def accept_selected(self, request, queryset):
        self._answer(
            request,
            queryset,
            services.accept_co_organiser_invitation,
            _("Zaakceptowano zaproszenia: %(count)d. Te partnerstwa są już współorganizatorami."),
        )

    @admin.action(description=_("Odrzuć zaznaczone zaproszenia"), permissions=["change"])
    def decline_selected(self, request, queryset):
        self._answer(
            request, queryset, services.decline_co_organiser_invitation, _("Odrzucono zaproszenia: %(count)d.")
        )


class MinutesAttachmentForm(forms.ModelForm):
    class Meta:
        model = MinutesAttachment
        fields = ("title", "file")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.size = upload.size  # pages show it without asking the storage
        return upload


class MinutesAttachmentInline(admin.TabularInline):
    model = MinutesAttachment
    form = MinutesAttachmentForm
    extra = 1
    verbose_name_accusative = _("załącznik")


@admin.register(Minutes)
class MinutesAdmin(PublishActionsMixin, HistoryAdmin):
    """The minutes of a general meeting or of a working group's meeting, with their PDF attachments; the public
    sees them on the meeting's page once they are published."""

    verbose_name_accusative = _("protokół")
    list_display = ("event", "event_start", "is_published", "published_at")
    list_filter = ("is_published", "event__kind")
    list_select_related = ("event",)
    search_fields = ("event__title", "body")
    autocomplete_fields = ("event", "working_groups")
    readonly_fields = ("published_at", *TIMESTAMPS)
    inlines = [MinutesAttachmentInline]
    fieldsets = (
        (None, {"fields": ("event", "body", "working_groups")}),
        (_("Publikacja"), {"fields": ("is_published", "published_at", *TIMESTAMPS)}),
    )

    @admin.display(description=_("data spotkania"), ordering="event__start")
    def event_start(self, obj):
        return obj.event.start

    def save_formset(self, request, form, formset, change):
        """A replaced PDF is deleted from the storage once the change is committed (a removed attachment's goes with
        its row: events/apps.py)."""
        gone = []
        for attachment_form in formset.initial_forms:
            stored = getattr(attachment_form.initial.get("file"), "name", "")
            if stored and attachment_form not in formset.deleted_forms and "file" in attachment_form.changed_data:
                gone.append(stored)
        super().save_formset(request, form, formset, change)
        storage = MinutesAttachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in gone])

    def _set_published(self, request, queryset, value):
        """Published in bulk: the minutes published for the first time are dated, as when saved one by one."""
        changed = super()._set_published(request, queryset, value)
        if value:
            first_time = Minutes.objects.filter(pk__in=queryset.values("pk"), published_at__isnull=True)
            first_time.update(published_at=timezone.now())
        return changed
