"""The network's own pages and facts, which BORIS staff keep in the admin.

A `Page` is one of the network's fixed pages (about, easy-to-read, BORIS, how to join, privacy, the
accessibility statement) in one language: its title, a summary, a Markdown body, optionally an
easy-to-read version and a Polish sign language (PJM) video. The site shows the published page of the
visitor's language, else the Polish one (marked as Polish text), else an empty state.

`Facts` holds what the pages' layouts fill in: the network's contacts, who runs the site, and the
accessibility statement's person, dates and status. There is one row; an empty database has none,
and the pages then leave those parts out.

BORIS's support offer: a `SupportKind` is one form of support (seminars, trainings, supervision…) with whom it is
for and how to ask for it, and the kind of the agenda's events it takes; a `SupportRequest` is what someone asked
for through the form on the offer's page, kept for staff to answer.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import LineField, PlainTextField, validate_year
from partnerships.event_kinds import EventKind
from partnerships.models import (
    District,
    EditableQuerySet,
    HttpsURLField,
    Partnership,
    PublishedQuerySet,
    SearchableMixin,
)

MARKDOWN_HELP = _("Markdown: # nagłówek sekcji, ## podsekcja, **pogrubienie**, listy „- ” i „1. ”, [tekst](adres).")


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def shown(self, key, language):
        """The published page `key` in `language`, else in Polish, else None (one query)."""
        rows = self.published().filter(Q(language=language) | Q(language=settings.LANGUAGE_CODE), key=key)
        by_language = {page.language: page for page in rows}
        return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


class Page(models.Model):
    class Key(models.TextChoices):
        ABOUT = "about", _("O sieci")
        EASY_READ = "easy_read", _("O sieci – tekst łatwy do czytania")
        BORIS = "boris", _("Rola BORIS")
        JOIN = "join", _("Jak dołączyć do sieci")
        PRIVACY = "privacy", _("Prywatność")
        ACCESSIBILITY = "accessibility", _("Deklaracja dostępności")

    key = models.CharField(_("strona"), max_length=20, choices=Key.choices)
    language = models.CharField(_("język"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    title = LineField(_("tytuł"), max_length=200)
    summary = PlainTextField(
        _("streszczenie"),
        max_length=500,
        blank=True,
        help_text=_("Jedno lub dwa zdania pod tytułem; wyszukiwarki pokazują je w wynikach."),
    )
    body = PlainTextField(_("treść"), blank=True, help_text=MARKDOWN_HELP)
    easy_read = PlainTextField(
        _("tekst łatwy do czytania"),
        blank=True,
        help_text=_("Ta sama treść krótko i prosto: krótkie zdania, jedna myśl w zdaniu."),
    )
    sign_language_video_url = HttpsURLField(_("film w polskim języku migowym (PJM)"), blank=True)
    is_published = models.BooleanField(
        _("opublikowana"), default=False, help_text=_("Szkic widzą tylko pracownicy BORIS w panelu.")
    )
    updated_at = models.DateTimeField(_("ostatnia zmiana"), auto_now=True)

    history = HistoricalRecords()
    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["key", "language"]
        verbose_name = _("strona sieci")
        verbose_name_plural = _("strony sieci")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"],
                name="network_page_one_per_language",
                violation_error_message=_("Ta strona ma już wersję w tym języku – zmień ją zamiast dodawać drugą."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse(self.key)


class Facts(models.Model):
    """The network's contacts and the accessibility statement's data: one row, edited in the admin."""

    class Status(models.TextChoices):
        FULL = "full", _("w pełni zgodna")
        PARTIAL = "partial", _("częściowo zgodna")
        NONE = "none", _("niezgodna")

    class Assessment(models.TextChoices):
        SELF = "self", _("samoocena")
        EXTERNAL = "external", _("badanie przez podmiot zewnętrzny")

    operator_name = LineField(
        _("kto prowadzi stronę"), max_length=200, blank=True, help_text=_("Np. Stowarzyszenie BORIS.")
    )
    contact_email = models.EmailField(_("e-mail sieci"), blank=True)
    contact_phone = LineField(_("telefon sieci"), max_length=40, blank=True)
    postal_address = LineField(_("adres"), max_length=300, blank=True)
    privacy_email = models.EmailField(
        _("e-mail w sprawach danych osobowych"), blank=True, help_text=_("Puste: strona poda e-mail sieci.")
    )
    a11y_person = LineField(_("osoba odpowiedzialna za dostępność"), max_length=200, blank=True)
    a11y_email = models.EmailField(_("e-mail w sprawach dostępności"), blank=True)
    a11y_phone = LineField(_("telefon w sprawach dostępności"), max_length=40, blank=True)
    a11y_published_on = models.DateField(_("data publikacji strony"), null=True, blank=True, validators=[validate_year])
    a11y_updated_on = models.DateField(
        _("data ostatniej istotnej aktualizacji strony"), null=True, blank=True, validators=[validate_year]
    )
    a11y_prepared_on = models.DateField(
        _("data sporządzenia deklaracji"), null=True, blank=True, validators=[validate_year]
    )
    a11y_status = models.CharField(
        _("stan zgodności z ustawą"), max_length=10, choices=Status.choices, default=Status.PARTIAL
    )
    a11y_assessment = models.CharField(
        _("podstawa deklaracji"), max_length=10, choices=Assessment.choices, default=Assessment.SELF
    )
    a11y_architecture = PlainTextField(_("dostępność architektoniczna"), blank=True, help_text=MARKDOWN_HELP)
    a11y_architecture_en = PlainTextField(
        _("dostępność architektoniczna (po angielsku)"), blank=True, help_text=MARKDOWN_HELP
    )
    history_retention_years = models.PositiveSmallIntegerField(
        _("jak długo przechowywać historię zmian (lata)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Starsze wersje usuwa polecenie purge_history; ostatnia wersja każdego wpisu zostaje."),
    )
    invitation_retention_days = models.PositiveSmallIntegerField(
        _("jak długo przechowywać wygasłe zaproszenia (dni)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    contact_message_retention_months = models.PositiveSmallIntegerField(
        _("jak długo przechowywać wiadomości z formularzy kontaktowych partnerstw (miesiące)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Starsze wiadomości usuwa polecenie purge_history."),
    )
    updated_at = models.DateTimeField(_("ostatnia zmiana"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dane sieci")
        verbose_name_plural = _("dane sieci")

    def __str__(self):
        return str(_("Dane sieci"))

    @classmethod
    def current(cls):
        """The one row, or an empty unsaved one when staff have not filled it in yet (never written by a read)."""
        return cls.objects.first() or cls()

    @property
    def data_email(self):
        return self.privacy_email or self.contact_email


class SupportKind(models.Model):
    """One form of BORIS's support for partnerships, as the support page lists it."""

    name = LineField(_("nazwa"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    event_kind = models.CharField(
        _("rodzaj wydarzeń"),
        max_length=20,
        choices=EventKind.choices,
        blank=True,
        help_text=_("Strona wsparcia pokazuje najbliższe wydarzenia tego rodzaju z kalendarza. Puste: bez wydarzeń."),
    )
    description = PlainTextField(_("opis"), help_text=MARKDOWN_HELP)
    audience = PlainTextField(_("dla kogo"), max_length=1000, blank=True)
    how_to_ask = PlainTextField(_("jak poprosić"), max_length=1000, blank=True, help_text=MARKDOWN_HELP)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0, help_text=_("Mniejsze liczby wyżej."))
    is_published = models.BooleanField(_("opublikowany"), default=True)
    updated_at = models.DateTimeField(_("ostatnia zmiana"), auto_now=True)

    history = HistoricalRecords()
    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name = _("rodzaj wsparcia")
        verbose_name_plural = _("rodzaje wsparcia")

    def __str__(self):
        return self.name


class SupportRequestQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(handled_at__isnull=True)


class SupportRequest(models.Model):
    """A request for support sent through the support page's form; staff see it in the admin and mark it handled.

    No change history: it holds a stranger's contact data, which a copy in the history would keep after the
    request is deleted.
    """

    kind = models.ForeignKey(
        SupportKind, verbose_name=_("rodzaj wsparcia"), on_delete=models.PROTECT, related_name="requests"
    )
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnerstwo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        help_text=_("Puste: inna grupa albo osoba nie wie, do którego partnerstwa należy."),
    )
    name = LineField(_("imię i nazwisko"), max_length=120)
    email = models.EmailField(_("e-mail"))
    message = PlainTextField(_("wiadomość"), max_length=3000)
    language = models.CharField(_("język strony"), max_length=2, choices=settings.LANGUAGES, default="pl")
    created_at = models.DateTimeField(_("wysłano"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("załatwiono"), null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("załatwił(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("prośba o wsparcie")
        verbose_name_plural = _("prośby o wsparcie")

    def __str__(self):
        return f"{self.name}: {self.kind}"


# --- the exchange of resources and contacts ("Giełda zasobów") ------------------------------------------------

# An entry lasts three months unless its partnership says otherwise, and at most a year ahead; renewing it adds
# three months. The renewal reminder goes this many days before it expires.
EXCHANGE_DEFAULT_PERIOD = relativedelta(months=3)
EXCHANGE_LONGEST_PERIOD = relativedelta(months=12)
EXCHANGE_REMINDER_DAYS = 7


def default_expiry():
    """Three months from today (Warsaw): the expiry date a new entry gets."""
    return timezone.localdate() + EXCHANGE_DEFAULT_PERIOD


def latest_expiry(today=None):
    return (today or timezone.localdate()) + EXCHANGE_LONGEST_PERIOD


class ExchangeEntryQuerySet(EditableQuerySet):
    partnership_lookup = "partnership"

    def current(self, today=None):
        """Entries that have not expired: an entry lasts to the end of its expiry date."""
        return self.filter(expires_on__gte=today or timezone.localdate())

    def public(self, today=None):
        """What anyone may see: current, marked public by its partnership, of a published partnership, and for a
        recommended contact, with the contact's consent checked by staff."""
        return self.current(today).filter(
            Q(kind=ExchangeEntry.Kind.OFFER) | Q(kind=ExchangeEntry.Kind.REQUEST) | Q(consent_verified=True),
            is_public=True,
            partnership__is_published=True,
        )

    def visible_to(self, user, today=None):
        """Coordinators (anyone who may edit a partnership) and staff see every current entry; anyone else only the
        public ones."""
        if may_see_all_entries(user):
            return self.current(today)
        return self.public(today)

    def for_list(self):
        return self.select_related("partnership", "district").only(
            "kind",
            "title",
            "description",
            "expires_on",
            "is_public",
            "consent_verified",
            "contact_name",
            "contact_does",
            "created_at",
            "partnership__name",
            "partnership__slug",
            "partnership__is_published",
            "district__name",
            "district__slug",
        )


def may_see_all_entries(user):
    """Coordinators and staff see the exchange's entries that are not public (one query for a logged-in user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or Partnership.objects.editable_by(user).exists()


class ExchangeEntry(SearchableMixin):
    """An offer, a request or a recommended contact of one partnership, shown on the exchange until it expires."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("oferujemy")
        REQUEST = "request", _("szukamy")
        CONTACT = "contact", _("polecamy kontakt")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="exchange_entries"
    )
    kind = models.CharField(_("rodzaj wpisu"), max_length=10, choices=Kind.choices)
    title = LineField(
        _("co"),
        max_length=150,
        help_text=_("Jedno zdanie, np. „Pożyczymy namiot 3×6 m i 40 krzeseł”."),
    )
    description = PlainTextField(
        _("opis"), max_length=1000, blank=True, help_text=_("Krótko: kiedy, na jakich warunkach, dla kogo.")
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("dzielnica"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_entries",
        help_text=_("Gdzie – puste, jeśli to bez znaczenia."),
    )
    expires_on = models.DateField(
        _("aktualne do"),
        default=default_expiry,
        db_index=True,
        help_text=_("Po tym dniu wpis znika z giełdy; można go odnowić. Najdalej rok od dziś."),
    )
    is_public = models.BooleanField(
        _("widoczny dla wszystkich"),
        default=False,
        help_text=_("Bez zaznaczenia wpis widzą tylko zalogowani koordynatorzy partnerstw i BORIS."),
    )
    contact_name = LineField(
        _("kogo polecacie"), max_length=200, blank=True, help_text=_("Nazwa firmy albo imię i nazwisko osoby.")
    )
    contact_does = LineField(
        _("czym się zajmuje"), max_length=200, blank=True, help_text=_("Np. drukarnia, akustyk, prawniczka.")
    )
    consent_note = PlainTextField(
        _("zgoda polecanego"),
        max_length=500,
        blank=True,
        help_text=_("Jak polecana firma albo osoba zgodziła się na wpis, np. „e-mail od p. Nowaka z 3 marca”."),
    )
    consent_verified = models.BooleanField(
        _("zgoda sprawdzona przez BORIS"),
        default=False,
        help_text=_("Polecany kontakt widać publicznie dopiero po sprawdzeniu zgody."),
    )
    reminded_for = models.DateField(
        _("przypomnienie wysłane dla daty"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Data wygaśnięcia, o której koordynatorzy dostali już przypomnienie."),
    )
    created_at = models.DateTimeField(_("dodano"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("ostatnia zmiana"), auto_now=True)

    search_fields = ("title", "description", "contact_name", "contact_does")

    history = HistoricalRecords(excluded_fields=["reminded_for", "sort_name", "search_text"])
    objects = ExchangeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("wpis giełdy zasobów")
        verbose_name_plural = _("wpisy giełdy zasobów")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="offer") | Q(kind="request") | Q(kind="contact"),
                name="exchange_entry_kind",
                violation_error_message=_("Wybierz rodzaj wpisu: oferujemy, szukamy albo polecamy kontakt."),
            ),
            models.CheckConstraint(
                condition=Q(kind="offer") | Q(kind="request") | Q(contact_name__gt=""),
                name="exchange_contact_has_name",
                violation_error_message=_("Polecany kontakt musi mieć nazwę firmy albo osoby."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchange_entry", kwargs={"pk": self.pk})

    def sort_source(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CONTACT and not self.contact_name:
            raise ValidationError({"contact_name": _("Podaj, kogo polecacie: nazwę firmy albo imię i nazwisko.")})

    @property
    def is_contact(self):
        return self.kind == self.Kind.CONTACT

    def is_current(self, today=None):
        return self.expires_on >= (today or timezone.localdate())

    @property
    def is_expired(self):
        return not self.is_current()

    @property
    def shown_publicly(self):
        """Marked public and, for a recommended contact, its consent checked (expiry aside)."""
        return self.is_public and (not self.is_contact or self.consent_verified)


class ExchangeDigestSubscription(models.Model):
    """A coordinator's wish for the weekly e-mail of the exchange's new entries (`send_exchange_digest`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        on_delete=models.CASCADE,
        related_name="exchange_digest",
    )
    created_at = models.DateTimeField(_("od kiedy"), auto_now_add=True)

    class Meta:
        verbose_name = _("subskrypcja przeglądu giełdy")
        verbose_name_plural = _("subskrypcje przeglądu giełdy")

    def __str__(self):
        return str(self.user)
