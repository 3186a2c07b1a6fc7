"""Districts, places, partnerships, the network's working groups and positions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.choices import choice_label
from common.geo import WARSAW_LAT, WARSAW_LON
from common.links import slug_url
from common.text import fold, make_slug, polish_sort_key, with_street_words
from common.validators import LineField, PlainTextField, validate_single_line, validate_year


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class SearchableMixin(models.Model):
    """Keeps derived columns in step with the text they come from, on every save.

    `sort_name` is a Polish collation key of the display name (lists sort by
    it); `search_text` is the searchable text folded to lower-case ASCII
    ("Żoliborz" -> "zoliborz"), so typed queries match with or without Polish
    letters on any database. Bulk `update()` bypasses save(): call
    `refresh_derived()` and save after one.
    """

    sort_name = models.CharField(_("klucz sortowania"), max_length=500, editable=False, db_index=True, default="")
    search_text = models.TextField(_("tekst do wyszukiwania"), editable=False, blank=True, default="")

    # Fields whose text is searchable, most important first; subclasses extend it.
    search_fields = ("name",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name", "search_text"}
        super().save(*args, **kwargs)

    def sort_source(self):
        return self.name

    def refresh_derived(self):
        self.sort_name = polish_sort_key(self.sort_source())
        text = fold(" ".join(str(getattr(self, field) or "") for field in self.search_fields))
        self.search_text = with_street_words(text)


class PublishedQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Staff see drafts too; everyone else only what is published."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.public()


class EditableQuerySet(models.QuerySet):
    """The one rule for who may edit a row that belongs to partnerships: staff edit everything; a coordinator edits
    the rows of the partnerships they may edit (`Partnership.objects.editable_by`). Edit views fetch only from
    `editable_by(user, partnership)`, so anyone else gets a 404."""

    partnership_lookup = ""  # the path from a row to its partnership(s), e.g. "organisers"

    def editable_by(self, user, partnership=None, *conditions):
        """Rows `user` may edit, optionally of one partnership only. `conditions` (Q objects on the same relation) go
        into the same filter() call, so they hold for the same related row."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if partnership is None and user.is_staff and not conditions:
            return self.all()
        lookup = self.partnership_lookup
        filters = {f"{lookup}__in": Partnership.objects.editable_by(user).values("pk")}
        if partnership is not None:
            filters[lookup] = partnership
        return self.filter(*conditions, **filters).distinct()


class PlaceQuerySet(EditableQuerySet):
    partnership_lookup = "partnerships"


class District(SearchableMixin):
    class Bank(models.TextChoices):
        LEFT = "left", _("lewobrzeżna")
        RIGHT = "right", _("prawobrzeżna")

    name = LineField(_("nazwa"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    population = models.PositiveIntegerField(_("liczba mieszkańców"), null=True, blank=True)
    area_km2 = models.DecimalField(_("powierzchnia (km²)"), max_digits=6, decimal_places=2, null=True, blank=True)
    bank = models.CharField(_("brzeg Wisły"), max_length=5, choices=Bank.choices, blank=True)
    description = PlainTextField(_("opis"), blank=True)

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("dzielnica")
        verbose_name_plural = _("dzielnice")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:district_detail", self.slug)

    def get_bank_display(self):
        return choice_label(self.Bank, self.bank)


class Place(SearchableMixin):
    name = LineField(_("nazwa"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    street_address = LineField(_("adres"), max_length=200)
    postal_code = LineField(
        _("kod pocztowy"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{2}-\d{3}$", _("Kod pocztowy ma postać 00-000, np. 01-234."))],
    )
    district = models.ForeignKey(District, verbose_name=_("dzielnica"), on_delete=models.PROTECT, related_name="places")
    latitude = models.DecimalField(
        _("szerokość geograficzna"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(WARSAW_LAT[0], _("Ten punkt leży poza Warszawą (szerokość za mała).")),
            MaxValueValidator(WARSAW_LAT[1], _("Ten punkt leży poza Warszawą (szerokość za duża).")),
        ],
    )
    longitude = models.DecimalField(
        _("długość geograficzna"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(WARSAW_LON[0], _("Ten punkt leży poza Warszawą (długość za mała).")),
            MaxValueValidator(WARSAW_LON[1], _("Ten punkt leży poza Warszawą (długość za duża).")),
        ],
    )
    description = PlainTextField(_("opis"), blank=True)
    accessibility = LineField(
        _("dostępność"), max_length=300, blank=True, help_text=_("Np. wejście bez progów, winda, toaleta.")
    )
    is_neighbourhood_house = models.BooleanField(_("dom sąsiedzki / centrum aktywności lokalnej"), default=False)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historia miejsca"))
    search_fields = ("name", "street_address", "description")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("miejsce")
        verbose_name_plural = _("miejsca")
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=WARSAW_LAT[0], latitude__lte=WARSAW_LAT[1])
                    & Q(longitude__gte=WARSAW_LON[0], longitude__lte=WARSAW_LON[1])
                ),
                name="place_coordinates_in_warsaw",
                violation_error_message=_("Współrzędne muszą wskazywać punkt w Warszawie (podaj obie)."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:place_detail", self.slug)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class PartnershipQuerySet(PublishedQuerySet):
    CARD_FIELDS = ("name", "slug", "sort_name", "kind", "status", "summary", "area", "citywide", "is_published")

    def for_cards(self):
        """With what a partnership card shows, districts included."""
        return self.only(*self.CARD_FIELDS).prefetch_related(
            models.Prefetch("districts", queryset=District.objects.only("name", "slug", "sort_name"))
        )

    def renamed_from(self, slug):
        """The partnership among these that `slug` was the address of before a rename (PreviousName), or None.

        Every old slug points at the partnership itself, so one renamed twice (A → B → C) is found from A too.
        """
        return self.filter(previous_names__slug=slug).first()

    def editable_by(self, user):
        """The one rule for who may edit a partnership: staff, or a granted coordinator."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(coordinator_accesses__user=user).distinct()


class Partnership(SearchableMixin):
    class Kind(models.TextChoices):
        LOCAL = "local", _("lokalne")
        THEMATIC = "thematic", _("tematyczne")

    class Status(models.TextChoices):
        FORMING = "forming", _("w tworzeniu")
        ACTIVE = "active", _("działające")
        DORMANT = "dormant", _("uśpione")

    class FormalStatus(models.TextChoices):
        DECLARATION = "declaration", _("podpisana deklaracja partnerska")
        INFORMAL = "informal", _("nieformalne – wspólne zasady i plany")
        REGISTERED = "registered", _("zarejestrowane stowarzyszenie")

    # The six conditions of a partnership that develops well, from the network's charter.
    CONDITIONS = [
        ("animator", _("Animator i zespół koordynujący")),
        ("projects", _("Projekty oparte na lokalnych potrzebach")),
        ("communication", _("Komunikacja ze społecznością")),
        ("local_government", _("Wsparcie samorządu")),
        ("space", _("Miejsce do działania")),
        ("multisector", _("Współpraca różnych sektorów")),
    ]

    name = LineField(_("nazwa"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices, default=Kind.LOCAL, db_index=True)
    status = models.CharField(_("stan"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    founded_year = models.PositiveSmallIntegerField(
        _("rok powstania"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    formal_status = models.CharField(
        _("forma współpracy"), max_length=12, choices=FormalStatus.choices, default=FormalStatus.INFORMAL
    )
    declaration_signed_on = models.DateField(
        _("data podpisania deklaracji"), null=True, blank=True, validators=[validate_year]
    )
    districts = models.ManyToManyField(District, verbose_name=_("dzielnice"), related_name="partnerships", blank=True)
    citywide = models.BooleanField(_("działa w całej Warszawie"), default=False)
    area = LineField(
        _("obszar działania"), max_length=300, blank=True, help_text=_("Np. nazwa osiedla i ulice graniczne.")
    )
    summary = LineField(_("w skrócie"), max_length=300, blank=True)
    description = PlainTextField(_("opis"), blank=True)
    goals = PlainTextField(_("cele"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="partnerships/logos/", blank=True)
    # The original's width tells which resized copies exist (common/images.py): pages never ask the storage.
    logo_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    logo_alt = LineField(_("opis logo (tekst alternatywny)"), max_length=200, blank=True)
    cover = models.ImageField(_("zdjęcie"), upload_to="partnerships/covers/", blank=True)
    cover_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    cover_alt = LineField(_("opis zdjęcia (tekst alternatywny)"), max_length=200, blank=True)
    places = models.ManyToManyField(Place, verbose_name=_("miejsca spotkań"), related_name="partnerships", blank=True)

    contact_name = LineField(
        _("kontakt – kto"),
        max_length=200,
        blank=True,
        help_text=_("Rola lub organizacja, np. „Koordynatorka partnerstwa” albo „OPS Wola”."),
    )
    contact_email = models.EmailField(_("e-mail kontaktowy"), blank=True, validators=[validate_single_line])
    contact_phone = LineField(_("telefon kontaktowy"), max_length=30, blank=True)
    website = HttpsURLField(_("strona internetowa"), blank=True)
    facebook_url = HttpsURLField(_("Facebook"), blank=True)
    instagram_url = HttpsURLField(_("Instagram"), blank=True)

    condition_animator = models.BooleanField(_("jest animator i zespół koordynujący"), default=False)
    condition_animator_note = LineField(_("animator – opis"), max_length=500, blank=True)
    condition_projects = models.BooleanField(_("są projekty oparte na lokalnych potrzebach"), default=False)
    condition_projects_note = LineField(_("projekty – opis"), max_length=500, blank=True)
    condition_communication = models.BooleanField(_("działa komunikacja ze społecznością"), default=False)
    condition_communication_note = LineField(_("komunikacja – opis"), max_length=500, blank=True)
    condition_local_government = models.BooleanField(_("jest wsparcie samorządu"), default=False)
    condition_local_government_note = LineField(_("samorząd – opis"), max_length=500, blank=True)
    condition_space = models.BooleanField(_("jest miejsce do działania"), default=False)
    condition_space_note = LineField(_("miejsce – opis"), max_length=500, blank=True)
    condition_multisector = models.BooleanField(_("współpracują różne sektory"), default=False)
    condition_multisector_note = LineField(_("sektory – opis"), max_length=500, blank=True)

    easy_read_summary = PlainTextField(
        _("tekst łatwy do czytania"),
        blank=True,
        help_text=_("Krótko i prosto: kto to jest, co robi, jak przyjść. Krótkie zdania."),
    )
    sign_language_video_url = HttpsURLField(_("film w polskim języku migowym (PJM)"), blank=True)
    area_geojson = models.JSONField(
        _("obszar na mapie (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Wielokąt obszaru działania w formacie GeoJSON (współrzędne WGS84)."),
    )

    is_published = models.BooleanField(_("opublikowane"), default=True, db_index=True)
    last_verified_on = models.DateField(_("dane potwierdzone"), null=True, blank=True, validators=[validate_year])
    publishes_practices = models.BooleanField(
        _("koordynatorzy sami publikują dobre praktyki"),
        default=False,
        help_text=_("Bez tego dobre praktyki partnerstwa publikują pracownicy BORIS."),
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = PartnershipQuerySet.as_manager()
    # Districts and places are part of the record too: a coordinator may change them.
    history = HistoricalRecords(verbose_name=_("historia partnerstwa"), m2m_fields=[districts, places])
    search_fields = ("name", "area", "summary", "description", "goals")

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("partnerstwo")
        verbose_name_plural = _("partnerstwa")
        indexes = [models.Index(fields=["is_published", "sort_name"], name="partnership_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(declaration_signed_on__isnull=True) | Q(formal_status="declaration"),
                name="partnership_declaration_date_needs_declaration",
                violation_error_message=_("Datę deklaracji podaje się tylko przy podpisanej deklaracji."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        loaded_name, loaded_slug = getattr(self, "_loaded_name_slug", (None, None))
        super().save(*args, **kwargs)
        if loaded_slug and loaded_slug != self.slug:
            # A rename keeps the old name and makes the old address redirect here.
            PreviousName.objects.update_or_create(
                slug=loaded_slug,
                defaults={"partnership": self, "name": loaded_name or self.name, "until": timezone.localdate()},
            )
        if loaded_slug != self.slug:
            # A new address that was someone's old one now belongs to this page alone.
            PreviousName.objects.filter(slug=self.slug).delete()
        self._loaded_name_slug = (self.name, self.slug)

    def get_absolute_url(self):
        return slug_url("partnerships:detail", self.slug)

    def get_kind_display(self):
        return choice_label(self.Kind, self.kind)

    def get_status_display(self):
        return choice_label(self.Status, self.status)

    def get_formal_status_display(self):
        return choice_label(self.FormalStatus, self.formal_status)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        loaded = dict(zip(field_names, values, strict=True))
        instance._loaded_name_slug = (loaded.get("name"), loaded.get("slug"))
        return instance

    def conditions(self):
        """The six conditions as (label, met, note) rows for templates."""
        return [
            (label, getattr(self, f"condition_{key}"), getattr(self, f"condition_{key}_note"))
            for key, label in self.CONDITIONS
        ]


class PreviousName(models.Model):
    """An earlier name of a partnership; its slug keeps redirecting to the current page."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="previous_names"
    )
    name = LineField(_("dawna nazwa"), max_length=200)
    slug = models.SlugField(_("dawny slug"), max_length=100, unique=True)
    until = models.DateField(_("używana do"), null=True, blank=True, validators=[validate_year])

    class Meta:
        ordering = ["-until"]
        verbose_name = _("dawna nazwa")
        verbose_name_plural = _("dawne nazwy")

    def __str__(self):
        return self.name


class WorkingGroup(SearchableMixin):
    name = LineField(_("nazwa"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    purpose = LineField(_("cel"), max_length=300)
    description = PlainTextField(_("opis"), blank=True)
    established_on = models.DateField(_("powołany"), null=True, blank=True, validators=[validate_year])
    dissolved_on = models.DateField(_("zakończył pracę"), null=True, blank=True, validators=[validate_year])
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerstwa"), related_name="working_groups", blank=True
    )
    is_published = models.BooleanField(_("opublikowany"), default=True)

    objects = PublishedQuerySet.as_manager()
    search_fields = ("name", "purpose", "description")

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("zespół roboczy")
        verbose_name_plural = _("zespoły robocze")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="working_group_dates_in_order",
                violation_error_message=_("Zespół nie może zakończyć pracy przed powołaniem."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:working_group_detail", self.slug)


class Position(SearchableMixin):
    """A dated public statement (stanowisko) of the network."""

    title = LineField(_("tytuł"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    adopted_on = models.DateField(_("data przyjęcia"), db_index=True, validators=[validate_year])
    summary = LineField(_("w skrócie"), max_length=400)
    body = PlainTextField(_("treść"))
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("przygotował zespół"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("poparły partnerstwa"), related_name="positions", blank=True
    )
    is_published = models.BooleanField(_("opublikowane"), default=True)

    objects = PublishedQuerySet.as_manager()
    search_fields = ("title", "summary", "body")

    class Meta:
        ordering = ["-adopted_on", "title"]
        verbose_name = _("stanowisko")
        verbose_name_plural = _("stanowiska")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("partnerships:position_detail", self.slug)

    def sort_source(self):
        return self.title


def unique_slug(model, text, *, exclude_pk=None, field="slug"):
    """A free slug for `model` made from `text`: "nasze-stegny", then "nasze-stegny-2"…"""
    base = make_slug(text)
    slug, n = base, 2
    taken = model.objects.filter(**{f"{field}__startswith": base})
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list(field, flat=True))
    while slug in taken:
        slug = f"{base[:90]}-{n}"
        n += 1
    return slug


class CoordinatorAccess(models.Model):
    """Edit rights of a user account to one partnership, granted by staff."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        on_delete=models.CASCADE,
        related_name="coordinator_accesses",
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnerstwo"),
        on_delete=models.CASCADE,
        related_name="coordinator_accesses",
    )
    granted_at = models.DateTimeField(_("nadano"), auto_now_add=True)

    # Who granted and who withdrew a right, and when: a withdrawn right is gone, its history record stays.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uprawnienie koordynatora")
        verbose_name_plural = _("uprawnienia koordynatorów")
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="coordinator_access_unique"),
        ]

    def __str__(self):
        return f"{self.user} → {self.partnership}"


class Invitation(models.Model):
    """A one-time, expiring invitation for a person to coordinate a partnership.

    Only a hash of the token is stored; the token itself travels in the e-mail.
    """

    email = models.EmailField(_("e-mail"), validators=[validate_single_line])
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(_("skrót tokenu"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zaprosił(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("wysłano"), auto_now_add=True)
    expires_at = models.DateTimeField(_("ważne do"))
    accepted_at = models.DateTimeField(_("przyjęto"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(_("wycofano"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wycofał(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("zaproszenie")
        verbose_name_plural = _("zaproszenia")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.partnership}"

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class VerificationReminder(models.Model):
    """A reminder e-mailed to a partnership's coordinators that its data wait for their check (`send_reminders`).

    A partnership's data are due for a check a year after they were last verified (or, never verified, after it
    was added): the first reminder goes eleven months after that date, the second a month after the first. One
    row per partnership, date and reminder number, so running the command again the same day sends nothing
    twice; once the coordinators verify, the new date starts a new round a year later.
    """

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="verification_reminders"
    )
    checked_since = models.DateField(_("dane potwierdzone (albo dodane)"))
    number = models.PositiveSmallIntegerField(_("przypomnienie"))
    recipients = models.TextField(_("adresaci"))
    sent_at = models.DateTimeField(_("wysłano"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("przypomnienie o potwierdzeniu danych")
        verbose_name_plural = _("przypomnienia o potwierdzeniu danych")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "checked_since", "number"], name="verification_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.partnership} ({self.number})"


class ContactMessageQuerySet(models.QuerySet):
    def readable_by(self, user, partnership):
        """The messages of `partnership` when `user` may edit it (staff, its coordinators), else none."""
        return self.filter(partnership=partnership, partnership__in=Partnership.objects.editable_by(user))


class ContactMessage(models.Model):
    """A message a visitor sent from a partnership's page ("Dołącz / Skontaktuj się"), e-mailed to its coordinators.

    Kept for the network's `contact_message_retention_months` (network.Facts), then deleted by `purge_history`.
    Never shown publicly: its table does not move the data version (settings.DATA_VERSION_PRIVATE_TABLES).
    """

    class Reason(models.TextChoices):
        RESIDENT = "resident", _("chcę dołączyć jako mieszkaniec/ka")
        ORGANISATION = "organisation", _("chcę dołączyć jako organizacja")
        QUESTION = "question", _("mam pytanie")

    MESSAGE_LIMIT = 3000

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="contact_messages"
    )
    name = LineField(_("imię i nazwisko"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254, validators=[validate_single_line])
    reason = models.CharField(_("w jakiej sprawie"), max_length=20, choices=Reason.choices)
    message = PlainTextField(_("wiadomość"), max_length=MESSAGE_LIMIT)
    created_at = models.DateTimeField(_("wysłano"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("załatwiono"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("załatwił(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("wiadomość z formularza kontaktowego")
        verbose_name_plural = _("wiadomości z formularza kontaktowego")
        indexes = [models.Index(fields=["partnership", "-created_at"], name="contact_message_newest")]

    def __str__(self):
        return f"{self.name} → {self.partnership}"

    def get_reason_display(self):
        return choice_label(self.Reason, self.reason)

    @property
    def is_handled(self):
        return self.handled_at is not None
