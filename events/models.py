"""Events of the partnerships and of the whole network."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models import HttpsURLField, Partnership, Place, SearchableMixin


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.public()

    def upcoming(self, now=None):
        """Events that have not ended yet, soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_cards(self):
        """With what an event card shows: the place and its district, and its published organisers.

        An unpublished partnership stays invisible to the public here too.
        """
        return self.select_related("place__district").prefetch_related(
            models.Prefetch(
                "organisers", queryset=Partnership.objects.public().only("pk", "name", "slug", "is_published")
            )
        )

    def in_district(self, district):
        """Held in the district, or organised by a partnership working there."""
        return self.filter(Q(place__district=district) | Q(organisers__districts=district)).distinct()


class Event(SearchableMixin):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("spotkanie partnerstwa")
        LOCAL = "local", _("wydarzenie dla mieszkańców")
        TRAINING = "training", _("szkolenie")
        SEMINAR = "seminar", _("seminarium")
        CONSULTATION = "consultation", _("konsultacje")
        STUDY_VISIT = "study_visit", _("wizyta studyjna")
        SUPERVISION = "supervision", _("superwizja")
        GENERAL_MEETING = "general_meeting", _("spotkanie ogólne WSPL")
        WORKING_GROUP = "working_group", _("spotkanie zespołu roboczego")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("zaplanowane")
        CANCELLED = "cancelled", _("odwołane")

    title = models.CharField(_("tytuł"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=16, choices=Kind.choices, default=Kind.LOCAL, db_index=True)
    description = models.TextField(_("opis"), blank=True)
    start = models.DateTimeField(_("początek"))
    end = models.DateTimeField(_("koniec"))
    all_day = models.BooleanField(_("cały dzień"), default=False)
    place = models.ForeignKey(
        Place, verbose_name=_("miejsce"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    online_url = HttpsURLField(_("link do spotkania online"), blank=True)
    organisers = models.ManyToManyField(
        Partnership,
        verbose_name=_("organizatorzy"),
        related_name="events",
        blank=True,
        help_text=_("Bez organizatora wydarzenie jest wydarzeniem całej sieci."),
    )
    audience = models.CharField(_("dla kogo"), max_length=200, blank=True)
    registration_url = HttpsURLField(_("link do zapisów"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    cancellation_reason = models.CharField(_("powód odwołania"), max_length=300, blank=True)
    image = models.ImageField(_("zdjęcie"), upload_to="events/", blank=True)
    image_alt = models.CharField(_("opis zdjęcia (tekst alternatywny)"), max_length=200, blank=True)
    is_published = models.BooleanField(_("opublikowane"), default=True)
    sequence = models.PositiveIntegerField(
        _("numer wersji"), default=0, editable=False, help_text=_("Rośnie przy każdej zmianie (iCalendar SEQUENCE).")
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia wydarzenia"))
    search_fields = ("title", "audience", "description")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("wydarzenie")
        verbose_name_plural = _("wydarzenia")
        indexes = [
            models.Index(fields=["is_published", "end", "start"], name="event_public_end_idx"),
            models.Index(fields=["is_published", "start"], name="event_public_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="event_ends_after_start",
                violation_error_message=_("Wydarzenie musi skończyć się później, niż się zaczyna."),
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancellation_reason=""),
                name="event_reason_only_when_cancelled",
                violation_error_message=_("Powód odwołania podaje się tylko dla odwołanego wydarzenia."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def sort_source(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_network_wide(self):
        """True when no partnership organises it. Uses prefetched organisers when present."""
        return not self.organisers.all()
