"""Good practices ("Dobre praktyki"): how a partnership did something, told in one fixed shape so that practices
can be compared — the need, the steps, who took part, what it needed (in ranges), what worked and what did not, the
results, a contact and photos.

A practice belongs to the partnership that tells it. Its coordinators write it as a draft and send it for
publication; staff publish it, or the coordinators themselves when staff allow it for their partnership
(`Partnership.publishes_practices`). Topics are a fixed list staff keep in the admin.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.choices import choice_label
from common.links import slug_url
from common.validators import LineField, PlainTextField, validate_year
from members.models import Organisation, Person
from partnerships.models import EditableQuerySet, Partnership, PublishedQuerySet, SearchableMixin, WorkingGroup

MARKDOWN_HELP = _("Markdown: **pogrubienie**, listy „- ” i „1. ”, [tekst](adres).")


class Topic(models.Model):
    """One topic of the fixed list practices are filed under (e.g. "dom sąsiedzki", "finansowanie")."""

    name = LineField(_("nazwa"), max_length=80, unique=True)
    name_en = LineField(_("nazwa po angielsku"), max_length=80, blank=True, help_text=_("Puste: po polsku."))
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0, help_text=_("Mniejsze liczby wyżej."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name = _("temat dobrych praktyk")
        verbose_name_plural = _("tematy dobrych praktyk")

    def __str__(self):
        return self.name

    @property
    def shown_name(self):
        """The name in the page's language (English when staff gave one), else in Polish."""
        return self.name_en if self.name_en and get_language() == "en" else self.name


class PracticeQuerySet(EditableQuerySet, PublishedQuerySet):
    partnership_lookup = "partnership"

    def public(self):
        return self.filter(is_published=True, partnership__is_published=True)

    def waiting(self):
        """Drafts their partnership sent for publication."""
        return self.filter(is_published=False, submitted_at__isnull=False)

    def readable_by(self, user):
        """What `user` may read on the site: the published practices, every draft for staff, and the drafts of the
        partnerships a coordinator edits (to see them as they will look before they go out)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.public()
        if user.is_staff:
            return self.all()
        editable = Partnership.objects.editable_by(user).values("pk")
        return self.filter(Q(is_published=True, partnership__is_published=True) | Q(partnership__in=editable))

    def for_cards(self):
        """What a practice's card in a list shows: its partnership's name and address and its topics."""
        return self.select_related("partnership").prefetch_related("topics")


class Practice(SearchableMixin):
    class Time(models.TextChoices):
        WEEKS = "weeks", _("do miesiąca")
        MONTHS = "months", _("od 1 do 3 miesięcy")
        HALF_YEAR = "half_year", _("od 3 do 12 miesięcy")
        YEARS = "years", _("ponad rok")

    class Money(models.TextChoices):
        NONE = "none", _("bez pieniędzy")
        SMALL = "small", _("do 1 000 zł")
        MEDIUM = "medium", _("od 1 000 do 10 000 zł")
        LARGE = "large", _("od 10 000 do 50 000 zł")
        HUGE = "huge", _("ponad 50 000 zł")

    class Space(models.TextChoices):
        NONE = "none", _("nie trzeba miejsca")
        ROOM = "room", _("sala na spotkania od czasu do czasu")
        OUTDOOR = "outdoor", _("przestrzeń na zewnątrz")
        HOUSE = "house", _("stałe miejsce, np. dom sąsiedzki")

    class People(models.TextChoices):
        FEW = "few", _("1–3 osoby")
        TEAM = "team", _("4–10 osób")
        MANY = "many", _("11–30 osób")
        CROWD = "crowd", _("ponad 30 osób")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="practices"
    )
    title = LineField(_("tytuł"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = LineField(
        _("w skrócie"), max_length=300, help_text=_("Jedno zdanie: co zrobiliście i po co. Widać je na liście.")
    )
    easy_read = PlainTextField(
        _("w prostych słowach"),
        max_length=2000,
        blank=True,
        help_text=_("Ta sama historia krótko i prosto: krótkie zdania, jedna myśl w zdaniu."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("tematy"), related_name="practices", blank=True)
    problem = PlainTextField(_("problem lub potrzeba"), max_length=5000, help_text=MARKDOWN_HELP)
    steps = PlainTextField(_("co zrobiliśmy – krok po kroku"), max_length=10000, help_text=MARKDOWN_HELP)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organizacje, które wzięły udział"), related_name="practices", blank=True
    )
    partner_partnerships = models.ManyToManyField(
        Partnership,
        verbose_name=_("inne partnerstwa, które wzięły udział"),
        related_name="shared_practices",
        blank=True,
    )
    participants_note = LineField(
        _("kto jeszcze wziął udział"), max_length=500, blank=True, help_text=_("Np. mieszkańcy, rada osiedla.")
    )
    time_needed = models.CharField(_("czas"), max_length=10, choices=Time.choices, blank=True)
    money_needed = models.CharField(_("pieniądze"), max_length=10, choices=Money.choices, blank=True)
    space_needed = models.CharField(_("miejsce"), max_length=10, choices=Space.choices, blank=True)
    people_needed = models.CharField(_("ludzie do pracy"), max_length=10, choices=People.choices, blank=True)
    needs_note = LineField(_("czego jeszcze było trzeba"), max_length=500, blank=True)
    worked = PlainTextField(_("co się udało"), max_length=5000, blank=True, help_text=MARKDOWN_HELP)
    did_not_work = PlainTextField(
        _("co się nie udało i czego się nauczyliśmy"), max_length=5000, blank=True, help_text=MARKDOWN_HELP
    )
    results = PlainTextField(_("rezultaty"), max_length=5000, blank=True, help_text=MARKDOWN_HELP)
    contact_person = models.ForeignKey(
        Person,
        verbose_name=_("osoba do kontaktu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        help_text=_("Ktoś z zespołu partnerstwa. Jej e-mail i telefon widać tylko, gdy zgodziła się na to."),
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("zespół roboczy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        help_text=_("Gdy praktyka jest dorobkiem zespołu roboczego sieci."),
    )
    started_on = models.DateField(_("początek"), null=True, blank=True, validators=[validate_year])
    ended_on = models.DateField(
        _("koniec"), null=True, blank=True, validators=[validate_year], help_text=_("Puste: trwa nadal.")
    )
    is_published = models.BooleanField(_("opublikowana"), default=False, db_index=True)
    submitted_at = models.DateTimeField(_("zgłoszona do publikacji"), null=True, blank=True)
    published_at = models.DateTimeField(_("opublikowano"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ostatnia zmiana"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[topics, organisations, partner_partnerships])
    objects = PracticeQuerySet.as_manager()
    search_fields = ("title", "summary", "easy_read", "problem", "steps", "results")

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("dobra praktyka")
        verbose_name_plural = _("dobre praktyki")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="practice_dates_in_order",
                violation_error_message=_("Koniec nie może być przed początkiem."),
            )
        ]

    def __str__(self):
        return self.title

    def sort_source(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("practices:detail", self.slug)

    def may_publish(self, user):
        """Staff publish any practice; its partnership's coordinators only when staff allow it for that partnership."""
        if user.is_staff:
            return True
        return (
            self.partnership.publishes_practices
            and Partnership.objects.editable_by(user).filter(pk=self.partnership_id).exists()
        )

    def get_time_needed_display(self):
        return choice_label(self.Time, self.time_needed)

    def get_money_needed_display(self):
        return choice_label(self.Money, self.money_needed)

    def get_space_needed_display(self):
        return choice_label(self.Space, self.space_needed)

    def get_people_needed_display(self):
        return choice_label(self.People, self.people_needed)


class Photo(models.Model):
    """A photo of a practice, always with its text alternative."""

    practice = models.ForeignKey(
        Practice, verbose_name=_("dobra praktyka"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("zdjęcie"), upload_to="practices/")
    # The original's width tells which resized copies exist (common/images.py): pages never ask the storage.
    image_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    alt = LineField(
        _("opis zdjęcia (tekst alternatywny)"),
        max_length=200,
        help_text=_("Co widać na zdjęciu, dla osób, które go nie widzą."),
    )
    caption = LineField(_("podpis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("zdjęcie dobrej praktyki")
        verbose_name_plural = _("zdjęcia dobrych praktyk")

    def __str__(self):
        return self.alt
