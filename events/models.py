"""Events of the partnerships and of the whole network, and the dates they happen on.

An Event is what people edit: one date, or a series (an RRULE in `recurrence`).
Its dates are materialised as Occurrence rows on every save, so lists, the month
calendar and the feeds read dates with one indexed query instead of expanding
rules per request. A single date of a series can be cancelled, skipped or moved;
rebuilding the dates keeps those exceptions.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import RowNumber, TruncDate
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import documents
from common.choices import choice_label
from common.links import slug_url
from common.models import Decided
from common.validators import LineField, PlainTextField, validate_year
from partnerships.event_kinds import EventKind
from partnerships.models import (
    EditableQuerySet,
    HttpsURLField,
    Partnership,
    Place,
    PublishedQuerySet,
    SearchableMixin,
    WorkingGroup,
)

from . import recurrence as rrules

# The kinds of event that may have minutes (a protocol of what the meeting decided).
MINUTES_KINDS = (EventKind.GENERAL_MEETING, EventKind.WORKING_GROUP)

# A change to one of these fields means the dates must be worked out again.
SCHEDULE_FIELDS = frozenset({"start", "end", "all_day", "recurrence", "status", "cancellation_reason"})


def public_organisers():
    """Only published partnerships are shown as organisers, anywhere: pages, feeds and widgets."""
    return Partnership.objects.public().only("pk", "name", "slug", "is_published")


class EventQuerySet(EditableQuerySet, PublishedQuerySet):
    partnership_lookup = "organisers"

    def upcoming(self, now=None):
        """Events with a date that has not ended yet, by their next date.

        Each row carries `next_start` and `next_end`: the next date of a series (a
        single event's own date), which cards show; and `next_status` and `next_moved`:
        whether that date is cancelled on its own or moved, which cards mark as the agenda does.
        """
        now = now or timezone.now()
        following = Occurrence.objects.listed().filter(event=OuterRef("pk"), end__gte=now).order_by("start", "pk")
        return (
            self.annotate(
                next_start=Subquery(following.values("start")[:1]),
                next_end=Subquery(following.values("end")[:1]),
                next_status=Subquery(following.values("status")[:1]),
                next_moved=Subquery(following.values("moved")[:1]),
            )
            .filter(next_start__isnull=False)
            .order_by("next_start", "pk")
        )

    def past(self, now=None):
        """Events all of whose dates have ended, the most recent first (by their last date)."""
        now = now or timezone.now()
        dates = Occurrence.objects.listed().filter(event=OuterRef("pk"))
        return (
            self.annotate(last_start=Subquery(dates.order_by("-start").values("start")[:1]))
            .filter(last_start__isnull=False)
            .exclude(Exists(dates.filter(end__gte=now)))
            .order_by("-last_start", "-pk")
        )

    def for_cards(self):
        """With what an event card shows: the place and its district, and its published organisers.

        An unpublished partnership stays invisible to the public here too.
        """
        return self.select_related("place__district").prefetch_related(
            models.Prefetch("organisers", queryset=public_organisers())
        )

    def with_invitation_answers(self):
        """For the inviting side's lists: `unanswered_invitations` of each event, the invitations to co-organise it
        that are not accepted (waiting or declined), by the invited partnership's name."""
        waiting = CoOrganiserInvitation.objects.exclude(status=CoOrganiserInvitation.Status.ACCEPTED)
        return self.prefetch_related(
            models.Prefetch(
                "co_organiser_invitations",
                queryset=waiting.select_related("partnership").order_by("partnership__sort_name"),
                to_attr="unanswered_invitations",
            )
        )

    def in_district(self, district):
        """Held in the district, or organised by a partnership working there."""
        return self.filter(Q(place__district=district) | Q(organisers__districts=district)).distinct()


def shadowed_by_another_page(slug):
    """True when /wydarzenia/<slug>/ (in any language) would open another page than the event."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            path = reverse("events:detail", kwargs={"slug": slug})
            try:
                if resolve(path).url_name != "detail":
                    return True
            except Resolver404:
                return True
    return False


WORKING_GROUP_KIND_MESSAGE = _(
    "Do zespołu roboczego należą tylko spotkania zespołu roboczego: wybierz ten rodzaj albo usuń zespół."
)
MINUTES_KIND_MESSAGE = _("Protokół ma tylko spotkanie ogólne WSPL albo spotkanie zespołu roboczego.")


class Event(SearchableMixin):
    Kind = EventKind  # partnerships/event_kinds.py: BORIS's support offer names these kinds too

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("zaplanowane")
        CANCELLED = "cancelled", _("odwołane")

    title = LineField(_("tytuł"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=16, choices=Kind.choices, default=Kind.LOCAL, db_index=True)
    description = PlainTextField(_("opis"), blank=True)
    start = models.DateTimeField(_("początek"), validators=[validate_year])
    end = models.DateTimeField(_("koniec"))  # an all-day event on 31 December 2100 ends at 2101-01-01 00:00
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
    audience = LineField(_("dla kogo"), max_length=200, blank=True)
    registration_url = HttpsURLField(_("link do zapisów"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    cancellation_reason = LineField(_("powód odwołania"), max_length=300, blank=True)
    recurrence = LineField(
        _("reguła powtarzania (RRULE)"),
        max_length=300,
        blank=True,
        help_text=_(
            "Puste pole: jeden termin. Dla cyklu reguła RFC 5545 bez DTSTART, z datą końcową albo liczbą terminów, "
            "np. FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231 (co poniedziałek do końca roku) albo "
            "FREQ=MONTHLY;BYDAY=+2TU;COUNT=10 (co 2. wtorek miesiąca, 10 razy). Początek i koniec to pierwszy termin."
        ),
    )
    image = models.ImageField(_("zdjęcie"), upload_to="events/", blank=True)
    # The original's width tells which resized copies exist (common/images.py): pages never ask the storage.
    image_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    image_alt = LineField(_("opis zdjęcia (tekst alternatywny)"), max_length=200, blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("zespół roboczy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("Tylko dla spotkania zespołu roboczego: zespół, którego to spotkanie."),
    )
    is_published = models.BooleanField(_("opublikowane"), default=True)
    sequence = models.PositiveIntegerField(
        _("numer wersji"), default=0, editable=False, help_text=_("Rośnie przy każdej zmianie (iCalendar SEQUENCE).")
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia wydarzenia"), m2m_fields=[organisers])
    search_fields = ("title", "audience", "description")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("wydarzenie")
        verbose_name_plural = _("wydarzenia")
        indexes = [
            models.Index(fields=["is_published", "end", "start"], name="event_public_end_idx"),
            models.Index(fields=["is_published", "start"], name="event_public_start_idx"),
            # What the agenda's count, the home page's figures and the feeds join dates with (the published
            # events, their status and place): read from this index alone, not from the table with its texts.
            models.Index(fields=["id", "status", "place"], condition=Q(is_published=True), name="event_public_cover"),
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
            models.CheckConstraint(
                condition=Q(working_group__isnull=True) | Q(kind="working_group"),
                name="event_working_group_only_for_its_meetings",
                violation_error_message=WORKING_GROUP_KIND_MESSAGE,
            ),
        ]

    def __str__(self):
        return self.title

    @transaction.atomic
    def save(self, *args, **kwargs):
        """Save, count the change in `sequence` (iCalendar SEQUENCE) and work out the dates again.

        Bulk `update()` and `bulk_create()` bypass this: call `rebuild_occurrences()` after them.
        """
        self.recurrence = rrules.normalise(self.recurrence)
        if self.recurrence:
            # dateutil's rrule works in whole seconds; the first date must be one of the rule's dates.
            self.start, self.end = self.start.replace(microsecond=0), self.end.replace(microsecond=0)
        update_fields = kwargs.get("update_fields")
        if not self._state.adding:
            self.sequence += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence", "updated_at"}
        super().save(*args, **kwargs)
        if update_fields is None or SCHEDULE_FIELDS.intersection(update_fields):
            self.rebuild_occurrences()

    def get_absolute_url(self):
        return slug_url("events:detail", self.slug)

    def get_kind_display(self):
        return choice_label(self.Kind, self.kind)

    def get_status_display(self):
        return choice_label(self.Status, self.status)

    def clean(self):
        super().clean()
        if self.slug and shadowed_by_another_page(self.slug):
            raise ValidationError(
                {"slug": _("Ten adres zajmuje już inna strona wydarzeń (np. archiwum lub kalendarz) – wybierz inny.")}
            )
        if self.working_group_id is not None and self.kind != self.Kind.WORKING_GROUP:
            raise ValidationError({"kind": WORKING_GROUP_KIND_MESSAGE})
        if self.pk is not None and self.kind not in MINUTES_KINDS and Minutes.objects.filter(event=self).exists():
            raise ValidationError(
                {
                    "kind": _(
                        "To wydarzenie ma protokół, więc pozostaje spotkaniem ogólnym WSPL albo spotkaniem zespołu "
                        "roboczego."
                    )
                }
            )
        if self.start and self.end:
            try:
                self.recurrence = rrules.validate(self.recurrence, self.start)
            except ValidationError as error:
                raise ValidationError({"recurrence": error.messages}) from error

    def sort_source(self):
        return self.title

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_series(self):
        return bool(self.recurrence)

    @property
    def is_network_wide(self):
        """True when no partnership organises it. Uses prefetched organisers when present."""
        return not self.organisers.all()

    @property
    def shown_start(self):
        """The date a card shows: the next date when the list knows it (see upcoming()), else the first."""
        return getattr(self, "next_start", None) or self.start

    @property
    def shown_end(self):
        return getattr(self, "next_end", None) or self.end

    def recurrence_text(self):
        """The series in words, e.g. "co 2. wtorek miesiąca"; "" for a single event."""
        return rrules.describe(self.recurrence, self.start)

    def rebuild_occurrences(self):
        """Make the Occurrence rows match the event: one for a single event, one per date of a series.

        Exceptions of a series (a cancelled, skipped or moved date) are kept: matched by
        their original start, or by its day when the series' time of day has changed.
        Dates that dropped out of the rule go, exceptions among them.
        """
        existing = list(self.occurrences.all())
        if not self.recurrence:
            row = existing.pop(0) if existing else Occurrence(event=self)
            if existing:
                Occurrence.objects.filter(pk__in=[o.pk for o in existing]).delete()
            wanted = {
                "start": self.start,
                "end": self.end,
                "original_start": self.start,
                "status": self.status,
                "cancellation_reason": self.cancellation_reason,
                "moved": False,
            }
            if row.pk is None or any(getattr(row, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(row, name, value)
                row.save()
            return
        times = rrules.occurrence_times(self.recurrence, self.start, self.end)
        by_original = {o.original_start: o for o in existing}
        matched = {start: by_original[start] for start, _end in times if start in by_original}
        used = {row.pk for row in matched.values()}
        # Exceptions whose date is no longer generated as it was: findable by their day.
        leftovers_by_day = {}
        for o in existing:
            if o.pk not in used and o.is_exception:
                leftovers_by_day.setdefault(timezone.localdate(o.original_start, rrules.WARSAW), o)
        to_create, to_update = [], []
        for start, end in times:
            row = matched.get(start) or leftovers_by_day.pop(timezone.localdate(start, rrules.WARSAW), None)
            if row is None:
                to_create.append(Occurrence(event=self, start=start, end=end, original_start=start))
                continue
            used.add(row.pk)
            before = (row.start, row.end, row.original_start, row.status, row.cancellation_reason)
            if not row.moved:
                row.start, row.end = start, end
            row.original_start = start
            if row.status == Occurrence.Status.SCHEDULED:
                row.cancellation_reason = ""
            if before != (row.start, row.end, row.original_start, row.status, row.cancellation_reason):
                to_update.append(row)
        stale = [o.pk for o in existing if o.pk not in used]
        if stale:
            Occurrence.objects.filter(pk__in=stale).delete()
        if to_update:
            Occurrence.objects.bulk_update(to_update, ["start", "end", "original_start", "cancellation_reason"])
        if to_create:
            Occurrence.objects.bulk_create(to_create)


@functools.cache
def longest_occurrence():
    """A subquery: the length of the longest date of any event (read from the index on end - start).

    Built once per process: an expression is copied whenever a query uses it, so one serves every query."""
    length = ExpressionWrapper(F("end") - F("start"), output_field=models.DurationField())
    rows = Occurrence.objects.annotate(length=length).order_by("-length").values("length")[:1]
    return Subquery(rows, output_field=models.DurationField())


class OccurrenceQuerySet(models.QuerySet):
    def listed(self):
        """Dates that exist: everything but the dates skipped in a series."""
        return self.exclude(status=Occurrence.Status.SKIPPED)

    def public(self):
        """Dates of published events."""
        return self.listed().filter(event__is_published=True)

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_staff:
            return self.listed()
        return self.public()

    def upcoming(self, now=None):
        """Dates that have not ended yet, soonest first.

        No date is longer than the longest one, so a date that has not ended started at most
        that long ago: the bound (a subquery answered by `occurrence_length_idx`) lets the
        database read the start index from there instead of from the first date ever.
        """
        now = now or timezone.now()
        return self.filter(end__gte=now, start__gte=Value(now) - longest_occurrence()).order_by(
            "start", "event_id", "pk"
        )

    def past(self, now=None):
        """Dates that have ended, the most recent first (a date that has ended has started, too)."""
        now = now or timezone.now()
        return self.filter(end__lt=now, start__lt=now).order_by("-start", "-event_id", "-pk")

    def overlapping(self, start, end):
        """Dates that take place (at least partly) between two moments."""
        return self.filter(start__lt=end, end__gt=start)

    def scheduled(self):
        """Dates that take place: neither the date nor the whole event is cancelled."""
        return self.filter(status=Occurrence.Status.SCHEDULED, event__status=Event.Status.SCHEDULED)

    def count_per_day(self):
        """{Warsaw date: number of dates starting that day}, in one query."""
        days = self.annotate(day=TruncDate("start", tzinfo=rrules.WARSAW)).order_by().values("day")
        return {row["day"]: row["n"] for row in days.annotate(n=Count("pk"))}

    def first_per_day(self, n):
        """At most `n` dates per Warsaw day (the earliest), in one query: keeps a busy month calendar small."""
        day = TruncDate("start", tzinfo=rrules.WARSAW)
        ranked = self.annotate(
            day_rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()])
        )
        return ranked.filter(day_rank__lte=n)

    def first_per_kind(self, n):
        """At most `n` dates of each kind of event (the earliest), in one query: BORIS's support page shows a few
        dates of each kind of support it offers."""
        ranked = self.annotate(
            kind_rank=Window(
                RowNumber(),
                partition_by=[F("event__kind")],
                order_by=[F("start").asc(), F("event_id").asc(), F("pk").asc()],
            )
        )
        return ranked.filter(kind_rank__lte=n)

    def for_cards(self):
        """With what a card shows, in two queries: the event with its place, and its published organisers."""
        return self.select_related("event__place__district").prefetch_related(
            models.Prefetch("event__organisers", queryset=public_organisers())
        )


class Occurrence(models.Model):
    """One date of an event: the only date of a single event, or one date of a series.

    Rows are made by Event.rebuild_occurrences(); editors change only the status of a
    date of a series, or move it (a moved date keeps its original start, which is the
    iCalendar RECURRENCE-ID).
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("odbędzie się")
        CANCELLED = "cancelled", _("odwołany")
        SKIPPED = "skipped", _("pominięty (tego dnia nie ma w cyklu)")

    event = models.ForeignKey(Event, verbose_name=_("wydarzenie"), on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("początek"))
    end = models.DateTimeField(_("koniec"))
    original_start = models.DateTimeField(
        _("termin według cyklu"), help_text=_("Kiedy ten termin wypadałby według reguły cyklu (RECURRENCE-ID).")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = LineField(
        _("powód"),
        max_length=300,
        blank=True,
        help_text=_("Dlaczego termin jest odwołany albo pominięty; powód odwołania widać publicznie."),
    )
    moved = models.BooleanField(_("przeniesiony"), default=False, editable=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("termin")
        verbose_name_plural = _("terminy")
        indexes = [
            # Lists order dates by (start, event, pk), both ways: the index gives that order without a sort.
            models.Index(fields=["start", "event", "id"], name="occurrence_order_idx"),
            models.Index(F("end") - F("start"), name="occurrence_length_idx"),
            models.Index(fields=["end"], name="occurrence_end_idx"),
            models.Index(fields=["event", "start"], name="occurrence_event_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "original_start"], name="occurrence_unique_original_start"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="occurrence_ends_after_start",
                violation_error_message=_("Termin musi skończyć się później, niż się zaczyna."),
            ),
            models.CheckConstraint(
                # Two equalities, not status__in: PostgreSQL writes an IN list back differently after pg_restore,
                # and the restore drill compares the schema as PostgreSQL describes it.
                condition=Q(status="cancelled") | Q(status="skipped") | Q(cancellation_reason=""),
                name="occurrence_reason_only_when_not_held",
                violation_error_message=_("Powód podaje się tylko dla odwołanego albo pominiętego terminu."),
            ),
        ]

    def __str__(self):
        return f"{self.event.title} – {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """A date of a series is moved when it no longer starts or lasts as the rule says."""
        if self.original_start is None:
            self.original_start = self.start
        length = self.event.end - self.event.start
        self.moved = self.start != self.original_start or self.end - self.start != length
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The event's page for this date (a single event's page is the event's own)."""
        if not self.event.recurrence:
            return self.event.get_absolute_url()
        day = timezone.localdate(self.start, rrules.WARSAW)
        return slug_url("events:occurrence", self.event.slug, day=day)

    def get_status_display(self):
        return choice_label(self.Status, self.status)

    @property
    def original_end(self):
        """When this date would end according to the rule."""
        return self.original_start + (self.event.end - self.event.start)

    @property
    def is_exception(self):
        """A date that differs from what the rule says: cancelled, skipped or moved."""
        return self.status != self.Status.SCHEDULED or self.moved

    @property
    def is_cancelled(self):
        """Cancelled on its own or with the whole event."""
        return self.status == self.Status.CANCELLED or self.event.status == Event.Status.CANCELLED

    @property
    def reason(self):
        """Why the date does not take place: its own reason, else the whole event's when that is cancelled."""
        return self.cancellation_reason or (self.event.cancellation_reason if self.event.is_cancelled else "")

    @property
    def is_skipped(self):
        return self.status == self.Status.SKIPPED

    @property
    def local_date(self):
        return timezone.localdate(self.start, rrules.WARSAW)


class CoOrganiserInvitationQuerySet(EditableQuerySet):
    """Invitations are decided by the invited partnership: `editable_by(user, partnership)` gives its coordinators
    (and staff) the invitations to that partnership only; the inviting side never finds them here."""

    partnership_lookup = "partnership"

    def pending(self):
        return self.filter(status=CoOrganiserInvitation.Status.PENDING)

    def to_answer(self, now=None):
        """What the invited partnership's coordinators are asked about: every pending invitation, and the declined
        ones of events with a date still to come (they may change their mind)."""
        coming = Occurrence.objects.listed().filter(event=OuterRef("event"), end__gte=now or timezone.now())
        return self.filter(
            Q(status=CoOrganiserInvitation.Status.PENDING)
            | Q(Exists(coming), status=CoOrganiserInvitation.Status.DECLINED)
        )

    def for_list(self):
        """With what a list of invitations shows: the event and its place, the invited and the inviting partnership."""
        return self.select_related("event__place", "partnership", "inviter").order_by("event__start", "pk")


class CoOrganiserInvitation(Decided):
    """A partnership asked to co-organise an event of another one: it becomes an organiser only once it accepts.

    `Event.organisers` holds the accepted organisers only, so no public page, feed, widget or data set shows an
    event under a partnership that did not agree to it. Declined invitations are kept: the inviting side sees
    the answer, and may not invite again; the invited side may still accept later.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("czeka na akceptację")
        ACCEPTED = "accepted", _("zaakceptowane")
        DECLINED = "declined", _("odrzucone")

    event = models.ForeignKey(
        Event, verbose_name=_("wydarzenie"), on_delete=models.CASCADE, related_name="co_organiser_invitations"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("zaproszone partnerstwo"),
        on_delete=models.CASCADE,
        related_name="co_organiser_invitations",
    )
    inviter = models.ForeignKey(
        Partnership,
        verbose_name=_("zapraszające partnerstwo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_co_organiser_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zaprosił(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("zaproszono"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)

    objects = CoOrganiserInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_at", "pk"]
        verbose_name = _("zaproszenie do współorganizacji")
        verbose_name_plural = _("zaproszenia do współorganizacji")
        constraints = [
            models.UniqueConstraint(fields=["event", "partnership"], name="coorganiser_invitation_unique"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="coorganiser_invitation_decided_when_answered",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status"], name="coorg_invitation_to_idx")]

    def __str__(self):
        return f"{self.event} – {self.partnership}"

    def get_status_display(self):
        return choice_label(self.Status, self.status)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_declined(self):
        return self.status == self.Status.DECLINED


class MinutesQuerySet(PublishedQuerySet):
    def public(self):
        """Published minutes of published events: nobody but staff sees a draft, nor minutes of a hidden event."""
        return self.filter(is_published=True, event__is_published=True)

    def for_page(self):
        """With what the event's page shows: the attachments, and the working groups chosen that are published."""
        return self.prefetch_related(
            "attachments",
            models.Prefetch("working_groups", queryset=WorkingGroup.objects.public().only("pk", "name", "slug")),
        )


def minutes_file_name(instance, filename):
    """Where an attachment of minutes is stored: a new random name, never the uploaded file's (common/documents.py)."""
    return documents.random_name("minutes", "pdf")


class Minutes(models.Model):
    """The minutes (protokół) of a general meeting of the network or of a working group's meeting: what was decided,
    with PDF attachments and the working groups the meeting set up or chose. The public sees them once published."""

    event = models.OneToOneField(Event, verbose_name=_("spotkanie"), on_delete=models.CASCADE, related_name="minutes")
    body = PlainTextField(
        _("treść protokołu"),
        help_text=_("Markdown: **pogrubienie**, *kursywa*, listy od „- ”, nagłówki od „# ”, linki [tekst](adres)."),
    )
    working_groups = models.ManyToManyField(
        WorkingGroup,
        verbose_name=_("zespoły powołane lub wybrane na spotkaniu"),
        related_name="chosen_at",
        blank=True,
    )
    is_published = models.BooleanField(_("opublikowany"), default=False)
    published_at = models.DateTimeField(_("opublikowano"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = MinutesQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia protokołu"), m2m_fields=[working_groups])

    class Meta:
        ordering = ["-event__start", "pk"]
        verbose_name = _("protokół")
        verbose_name_plural = _("protokoły")

    def __str__(self):
        return str(_("Protokół: %(event)s") % {"event": self.event.title})

    def save(self, *args, **kwargs):
        """The first publication is dated; hiding the minutes again keeps that date."""
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#protokol"

    def clean(self):
        super().clean()
        event = getattr(self, "event", None) if self.event_id is not None else None
        if event is not None and event.kind not in MINUTES_KINDS:
            raise ValidationError({"event": MINUTES_KIND_MESSAGE})


class MinutesAttachment(models.Model):
    """A PDF file of the minutes (the signed protocol, a list of attendance): PDF only, at most 10 MB."""

    minutes = models.ForeignKey(
        Minutes, verbose_name=_("protokół"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = LineField(_("tytuł"), max_length=200)
    file = documents.PdfFileField(_("plik PDF"), upload_to=minutes_file_name, max_length=200)
    # The size is kept with the row, so a page writes "(PDF, 120 kB)" without asking the storage.
    size = models.PositiveIntegerField(_("rozmiar (bajty)"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["minutes", "pk"]
        verbose_name = _("załącznik protokołu")
        verbose_name_plural = _("załączniki protokołu")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """A form that takes a new file sets its size (documents.PdfUploadField); otherwise it is read once here."""
        if self.file and self.size is None:
            self.size = self.file.size
        super().save(*args, **kwargs)

    def size_label(self):
        return documents.size_label(self.size)
