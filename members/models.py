"""Member organisations, their memberships, people, their roles and coordinator access."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.choices import choice_label
from common.history import same
from common.links import slug_url
from common.models import Decided
from common.text import fold
from common.validators import LineField, PlainTextField, validate_single_line, validate_year
from partnerships.models import (
    District,
    EditableQuerySet,
    HttpsURLField,
    Partnership,
    PublishedQuerySet,
    SearchableMixin,
    WorkingGroup,
)

krs_validator = RegexValidator(r"^\d{10}$", _("Numer KRS to dokładnie 10 cyfr, np. 0000123456."), code="invalid_krs")
phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{7,20}$",
    _("Podaj numer telefonu cyframi, np. 22 123 45 67 albo +48 600 100 200."),
    code="invalid_phone",
)


def ended_before_started(start_field, end_field):
    """A check that a period ends on or after the day it starts (open ends allowed)."""
    return (
        Q(**{f"{end_field}__isnull": True})
        | Q(**{f"{start_field}__isnull": True})
        | Q(**{f"{end_field}__gte": F(start_field)})
    )


# Legal forms in a name, folded (see folded_name): "Fundacja Ala" and "Ala Sp. z o.o." are both "ala".
LEGAL_FORMS = re.compile(
    r"\b(?:"
    r"fundacja|stowarzyszenie(?: zwykle)?|spoldzielnia socjalna"
    r"|(?:sp|spolka) z o o|spolka z ograniczona odpowiedzialnoscia"
    r"|s a|spolka akcyjna|sp j|spolka jawna|sp k|spolka komandytowa|s c|spolka cywilna"
    r")\b"
)


def folded_name(name):
    """A name without case, Polish letters, punctuation and legal-form words: "Fundacja „Ala”" -> "ala"."""
    words = " ".join(re.sub(r"[\W_]+", " ", fold(name)).split())
    return " ".join(LEGAL_FORMS.sub(" ", words).split())


class OrganisationQuerySet(EditableQuerySet, PublishedQuerySet):
    partnership_lookup = "memberships__partnership"

    def likely_duplicates(self, *, name, krs=""):
        """Organisations that are probably this one: the same KRS number, or a name equal once folded (folded_name:
        "Fundacja Sąsiedzi" and "SASIEDZI" are one name) unless both have KRS numbers, which makes them two legal
        entities (the rule of the staff dashboard's duplicates). The folded name's longest word narrows the rows."""
        folded = folded_name(name)
        same_krs = self.filter(krs=krs) if krs else self.none()
        if not folded:
            return list(same_krs)
        candidates = self.filter(search_text__contains=max(folded.split(), key=len))
        if krs:
            candidates = candidates.filter(krs="")
        named = [row for row in candidates if folded_name(row.name) == folded]
        return list({row.pk: row for row in [*same_krs, *named]}.values())

    def merged_from(self, slug):
        """The organisation among these that `slug` was the address of before a merge (PreviousAddress), or None."""
        return self.filter(previous_addresses__slug=slug).first()

    def editable_by(self, user, partnership=None):
        """Staff: all; a coordinator: the current members of the partnerships they may edit, and only those that
        are not current members of any other partnership too.

        An organisation is shared by every partnership it belongs to: adding another partnership's member to one's
        own must not let its name, contacts and logo be changed on everybody's pages. Its data are then changed by
        staff (or by a coordinator of all its partnerships); the other coordinators propose changes
        (OrganisationChangeProposal).
        """
        if partnership is None and user is not None and user.is_authenticated and user.is_active and user.is_staff:
            return self.all()
        return self.members_edited_by(user, partnership).not_shared_beyond(user)

    def members_edited_by(self, user, partnership=None):
        """The current members of the partnerships `user` may edit (of `partnership` only, when given), shared or
        not: the organisations whose data they may edit or, when shared, propose changes to."""
        today = timezone.localdate()
        current = Q(memberships__until__isnull=True) | Q(memberships__until__gte=today)
        return super().editable_by(user, partnership, current)

    def not_shared_beyond(self, user):
        """These organisations without those that are current members of a partnership `user` may not edit (staff
        edit all, so for staff: all of these)."""
        if user is not None and user.is_authenticated and user.is_active and user.is_staff:
            return self
        return self.exclude(Exists(shared_outside(Membership.objects.current(), user)))


def shared_outside(periods, user):
    """The current memberships or team roles (`periods`) of the outer row (an organisation or a person) in a
    partnership `user` may not edit: their existence makes the row shared with someone else."""
    field = "organisation" if periods.model is Membership else "person"
    editable = Partnership.objects.editable_by(user).values("pk")
    return periods.filter(**{field: OuterRef("pk")}).exclude(partnership__in=editable)


class Organisation(SearchableMixin):
    class Sector(models.TextChoices):
        NGO = "ngo", _("organizacja pozarządowa")
        PUBLIC = "public", _("instytucja publiczna")
        BUSINESS = "business", _("firma")
        INFORMAL = "informal", _("grupa nieformalna")
        RELIGIOUS = "religious", _("wspólnota wyznaniowa")
        OTHER = "other", _("inne")

    name = LineField(_("nazwa"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sector = models.CharField(_("sektor"), max_length=10, choices=Sector.choices, db_index=True)
    kind = LineField(
        _("rodzaj"), max_length=120, blank=True, help_text=_("Np. biblioteka, fundacja, szkoła podstawowa.")
    )
    description = PlainTextField(_("opis"), blank=True)
    street_address = LineField(_("adres"), max_length=200, blank=True)
    postal_code = LineField(
        _("kod pocztowy"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{2}-\d{3}$", _("Kod pocztowy ma postać 00-000, np. 01-234."))],
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("dzielnica"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = HttpsURLField(_("strona internetowa"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True, validators=[validate_single_line])
    phone = LineField(_("telefon"), max_length=30, blank=True, validators=[phone_validator])
    krs = LineField(
        _("numer KRS"),
        max_length=10,
        blank=True,
        validators=[krs_validator],
        help_text=_("Dla zarejestrowanych organizacji: 10 cyfr."),
    )
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    # The original's width tells which resized copies exist (common/images.py): pages never ask the storage.
    logo_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    logo_alt = LineField(_("opis logo (tekst alternatywny)"), max_length=200, blank=True)
    is_published = models.BooleanField(_("opublikowana"), default=True, db_index=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia organizacji"))
    search_fields = ("name", "kind", "krs", "street_address", "description")

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("organizacja")
        verbose_name_plural = _("organizacje")
        indexes = [
            models.Index(fields=["is_published", "sort_name"], name="organisation_public_idx"),
            models.Index(fields=["sector", "sort_name"], name="organisation_sector_idx"),
            # The directory's counts per sector and district: index-only scans at scale (COUNT(*), not COUNT(id)).
            models.Index(fields=["sector"], condition=Q(is_published=True), name="organisation_count_sector"),
            models.Index(fields=["district"], condition=Q(is_published=True), name="organisation_count_district"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(krs="") | Q(krs__regex=r"^[0-9]{10}$"),
                name="organisation_krs_ten_digits",
                violation_error_message=_("Numer KRS to dokładnie 10 cyfr."),
            ),
            models.UniqueConstraint(
                fields=["krs"],
                condition=~Q(krs=""),
                name="organisation_krs_unique",
                violation_error_message=_("Organizacja z tym numerem KRS już jest w katalogu."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("members:organisation_detail", self.slug)

    def get_sector_display(self):
        return choice_label(self.Sector, self.sector)

    @property
    def sector_rank(self):
        """Position of the sector in the declared order, for grouping members."""
        return self.Sector.values.index(self.sector)


class PreviousAddress(models.Model):
    """The address (slug) of an organisation merged into another: it keeps redirecting to the one that stayed.

    `merged_id` is the id the merged organisation had: its history (kept by django-simple-history after the deletion)
    is found by it. An organisation merged again takes its previous addresses along, so each points at the one that
    stays now.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organizacja"), on_delete=models.CASCADE, related_name="previous_addresses"
    )
    slug = models.SlugField(_("dawny slug"), max_length=100, unique=True)
    name = LineField(_("nazwa połączonej organizacji"), max_length=250)
    merged_id = models.PositiveIntegerField(_("identyfikator połączonej organizacji"))
    merged_on = models.DateField(_("połączono"), default=timezone.localdate)

    class Meta:
        ordering = ["-merged_on", "slug"]
        verbose_name = _("dawny adres")
        verbose_name_plural = _("dawne adresy (połączone organizacje)")

    def __str__(self):
        return self.name


class PeriodQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=today))

    def former(self):
        return self.filter(until__lt=timezone.localdate())


class PartnershipPeriodQuerySet(EditableQuerySet, PeriodQuerySet):
    """Memberships and team roles: periods of one partnership, editable with it."""

    partnership_lookup = "partnership"


class PersonQuerySet(EditableQuerySet):
    """People who have (or had) a role in a partnership are edited with it."""

    partnership_lookup = "roles__partnership"

    def not_shared_beyond(self, user):
        """These people without those who have a current role in a partnership `user` may not edit (for staff: all)."""
        if user is not None and user.is_authenticated and user.is_active and user.is_staff:
            return self
        return self.exclude(Exists(shared_outside(PartnershipRole.objects.current(), user)))


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("organizacja koordynująca")
        MEMBER = "member", _("członek")
        SUPPORTER = "supporter", _("partner wspierający")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organizacja"), on_delete=models.PROTECT, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rola"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("od"), null=True, blank=True, validators=[validate_year])
    until = models.DateField(_("do"), null=True, blank=True, validators=[validate_year])
    signed_declaration = models.BooleanField(_("podpisała deklarację"), default=False)
    note = LineField(_("uwagi"), max_length=300, blank=True)

    objects = PartnershipPeriodQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia członkostwa"))

    class Meta:
        ordering = ["partnership", "organisation__sort_name", "-since"]
        verbose_name = _("członkostwo")
        verbose_name_plural = _("członkostwa")
        constraints = [
            models.CheckConstraint(
                condition=ended_before_started("since", "until"),
                name="membership_ends_after_start",
                violation_error_message=_("Członkostwo nie może skończyć się przed rozpoczęciem."),
            ),
            # One open membership per organisation and partnership; ended ones stay as history.
            models.UniqueConstraint(
                fields=["organisation", "partnership"],
                condition=Q(until__isnull=True),
                name="membership_one_open_per_partnership",
                violation_error_message=_("Ta organizacja już jest członkiem tego partnerstwa."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "partnership", "since"],
                name="membership_one_per_start",
                violation_error_message=_("Ta organizacja ma już członkostwo od tej daty."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.partnership}"

    def get_role_display(self):
        return choice_label(self.Role, self.role)

    def clean(self):
        """Periods of the same organisation in the same partnership must not overlap."""
        super().clean()
        if not (self.organisation_id and self.partnership_id):
            return
        others = Membership.objects.filter(
            organisation_id=self.organisation_id, partnership_id=self.partnership_id
        ).exclude(pk=self.pk)
        if self.until is not None:
            others = others.filter(Q(since__isnull=True) | Q(since__lte=self.until))
        if self.since is not None:
            others = others.filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if others.exists():
            raise ValidationError(
                _("Ta organizacja była już członkiem tego partnerstwa w tym okresie."), code="overlap"
            )

    @property
    def is_current(self):
        return self.until is None or self.until >= timezone.localdate()


class Person(SearchableMixin):
    class RoleNames(models.TextChoices):
        """How the site names this person's roles: chosen by whoever edits the person, never guessed from a name."""

        BOTH = "", _("obie formy (animator/animatorka)")
        FEMININE = "f", _("żeńskie (animatorka, koordynatorka)")
        MASCULINE = "m", _("męskie (animator, koordynator)")

    first_name = LineField(_("imię"), max_length=100)
    last_name = LineField(_("nazwisko"), max_length=100)
    role_names = models.CharField(
        _("nazwy ról"),
        max_length=1,
        choices=RoleNames.choices,
        default=RoleNames.BOTH,
        blank=True,
        help_text=_("Jak nazywać role tej osoby na stronie. Wybierz to, co ta osoba woli."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    photo = models.ImageField(_("zdjęcie"), upload_to="people/", blank=True)
    # The original's width tells which resized copies exist (common/images.py): pages never ask the storage.
    photo_width = models.PositiveIntegerField(_("szerokość oryginału (px)"), null=True, blank=True, editable=False)
    bio = PlainTextField(_("krótko o sobie"), blank=True, max_length=2000)
    email = models.EmailField(_("e-mail"), blank=True, validators=[validate_single_line])
    phone = LineField(_("telefon"), max_length=30, blank=True, validators=[phone_validator])
    # Set only by members.services.record_consent / withdraw_consent: True while the person has a current
    # ContactConsent. The pages, feeds and open data read this flag; the consents are the record.
    public_contact = models.BooleanField(
        _("zgoda na publikację kontaktu"),
        default=False,
        editable=False,
        help_text=_("Bez zgody e-mail i telefon tej osoby nie pokazują się na stronie."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("historia osoby"))
    search_fields = ("first_name", "last_name")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        verbose_name = _("osoba")
        verbose_name_plural = _("osoby")

    def __str__(self):
        return self.full_name

    def sort_source(self):
        return f"{self.last_name} {self.first_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def public_email(self):
        return self.email if self.public_contact else ""

    @property
    def public_phone(self):
        return self.phone if self.public_contact else ""


class PartnershipRole(models.Model):
    class Role(models.TextChoices):
        ANIMATOR = "animator", _("animator/animatorka")
        COORDINATOR = "coordinator", _("koordynator/koordynatorka")
        TEAM = "team", _("zespół koordynujący")
        CONTACT = "contact", _("osoba do kontaktu")

    person = models.ForeignKey(Person, verbose_name=_("osoba"), on_delete=models.CASCADE, related_name="roles")
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerstwo"), on_delete=models.CASCADE, related_name="team_roles"
    )
    role = models.CharField(_("rola"), max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("z ramienia organizacji"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people_roles",
    )
    since = models.DateField(_("od"), null=True, blank=True, validators=[validate_year])
    until = models.DateField(_("do"), null=True, blank=True, validators=[validate_year])

    objects = PartnershipPeriodQuerySet.as_manager()
    history = HistoricalRecords(verbose_name=_("historia roli"))

    class Meta:
        ordering = ["partnership", "role", "person__sort_name"]
        verbose_name = _("rola w partnerstwie")
        verbose_name_plural = _("role w partnerstwach")
        constraints = [
            models.CheckConstraint(
                condition=ended_before_started("since", "until"),
                name="partnership_role_ends_after_start",
                violation_error_message=_("Rola nie może skończyć się przed rozpoczęciem."),
            ),
            models.UniqueConstraint(
                fields=["person", "partnership", "role"],
                condition=Q(until__isnull=True),
                name="partnership_role_one_open",
                violation_error_message=_("Ta osoba już pełni tę rolę w tym partnerstwie."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()} ({self.partnership})"

    def get_role_display(self):
        """The role's name in the form the person's page asks for ("animatorka", "koordynator"), or both forms."""
        role_names = self.person.role_names if self.person_id is not None else Person.RoleNames.BOTH
        gendered = GENDERED_ROLES.get((self.role, role_names))
        return gendered if gendered is not None else choice_label(self.Role, self.role)


GENDERED_ROLES = {
    (PartnershipRole.Role.ANIMATOR, Person.RoleNames.FEMININE): _("animatorka"),
    (PartnershipRole.Role.ANIMATOR, Person.RoleNames.MASCULINE): _("animator"),
    (PartnershipRole.Role.COORDINATOR, Person.RoleNames.FEMININE): _("koordynatorka"),
    (PartnershipRole.Role.COORDINATOR, Person.RoleNames.MASCULINE): _("koordynator"),
}


class WorkingGroupMembership(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, verbose_name=_("zespół roboczy"), on_delete=models.CASCADE, related_name="people"
    )
    person = models.ForeignKey(Person, verbose_name=_("osoba"), on_delete=models.CASCADE, related_name="working_groups")
    role = LineField(_("funkcja"), max_length=100, blank=True, help_text=_("Np. lider zespołu."))
    since = models.DateField(_("od"), null=True, blank=True, validators=[validate_year])
    until = models.DateField(_("do"), null=True, blank=True, validators=[validate_year])

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["working_group", "person__sort_name"]
        verbose_name = _("członkostwo w zespole")
        verbose_name_plural = _("członkostwa w zespołach")
        constraints = [
            models.CheckConstraint(
                condition=ended_before_started("since", "until"),
                name="working_group_membership_ends_after_start",
                violation_error_message=_("Udział w zespole nie może skończyć się przed rozpoczęciem."),
            ),
            models.UniqueConstraint(
                fields=["working_group", "person"],
                condition=Q(until__isnull=True),
                name="working_group_membership_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.working_group}"


class ContactConsent(models.Model):
    """A person's consent to publishing their e-mail and phone: when and how it was given, and its withdrawal.

    A person has at most one current consent (not withdrawn); `Person.public_contact` follows it.
    """

    class How(models.TextChoices):
        WRITTEN = "written", _("na piśmie")
        EMAIL = "email", _("e-mail")
        FORM = "form", _("formularz")
        ORAL = "oral", _("ustnie")
        BEFORE_REGISTER = "before_register", _("przed wprowadzeniem rejestru")

    person = models.ForeignKey(Person, verbose_name=_("osoba"), on_delete=models.CASCADE, related_name="consents")
    given_at = models.DateTimeField(_("udzielona"), default=timezone.now)
    how = models.CharField(_("forma zgody"), max_length=16, choices=How.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zapisał(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("wycofana"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wycofał(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("zgoda na publikację kontaktu")
        verbose_name_plural = _("zgody na publikację kontaktu")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(withdrawn_at__isnull=True),
                name="contact_consent_one_current",
                violation_error_message=_("Ta osoba ma już aktualną zgodę."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("given_at")),
                name="contact_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_how_display()}"

    def get_how_display(self):
        return choice_label(self.How, self.how)

    @property
    def is_current(self):
        return self.withdrawn_at is None


class Erasure(models.Model):
    """The trace an erasure leaves (members.services.erase_person): which person id, by whom, when; no personal data."""

    person_id = models.PositiveIntegerField(_("numer osoby"), db_index=True)
    erased_at = models.DateTimeField(_("usunięto"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usunął(-ęła)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kept_as_anonymous = models.BooleanField(
        _("zostaje jako osoba anonimowa"), help_text=_("Ma role, które zostają na stronach partnerstw.")
    )

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("usunięcie danych osoby")
        verbose_name_plural = _("usunięcia danych osób")

    def __str__(self):
        return _("Osoba nr %(id)s") % {"id": self.person_id}


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OrganisationChangeProposal.Status.PENDING)

    def decidable_by(self, user, partnership=None):
        """The proposals `user` may accept or reject (on `partnership`'s pages, when given): staff all (on a
        partnership's pages, those concerning its current members); a coordinator those concerning a current member
        of a partnership they edit other than the one it came from, and those of an organisation they may now edit
        themselves (no longer shared). The coordinator of the proposing partnership alone may not decide."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if partnership is None and user.is_staff:
            return self.all()
        partnerships = Partnership.objects.editable_by(user)
        if partnership is not None:
            partnerships = partnerships.filter(pk=partnership.pk)
        elsewhere = (
            Membership.objects.current()
            .filter(organisation=OuterRef("organisation"), partnership__in=partnerships.values("pk"))
            .exclude(partnership=OuterRef("partnership"))
        )
        own = Organisation.objects.editable_by(user, partnership).values("pk")
        return self.filter(Exists(elsewhere) | Q(organisation__in=own))


class OrganisationChangeProposal(Decided):
    """A change of a shared organisation's data proposed by a coordinator of one of its partnerships, who may not
    change it directly (Organisation.objects.editable_by). It holds only the fields that differ, each with the value
    it had when proposed ("old", to tell whether someone changed it since) and the proposed one ("new"); the
    organisation is untouched until staff or a coordinator of another of its partnerships accepts
    (members.services.accept_proposal)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("czeka na decyzję")
        ACCEPTED = "accepted", _("przyjęta")
        REJECTED = "rejected", _("odrzucona")

    # What a proposal may change: the text fields of the coordinator's organisation form (the logo is staff's).
    FIELDS = (
        "name",
        "sector",
        "kind",
        "description",
        "street_address",
        "postal_code",
        "district",
        "website",
        "email",
        "phone",
        "krs",
    )

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizacja"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="change_proposals",
    )
    organisation_name = LineField(_("nazwa organizacji w chwili propozycji"), max_length=250)
    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("z partnerstwa"),
        on_delete=models.CASCADE,
        related_name="organisation_change_proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zaproponował(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("zaproponowano"), auto_now_add=True)
    changes = models.JSONField(_("zmiany"), help_text=_('{pole: {"old": wartość wtedy, "new": proponowana}}'))
    status = models.CharField(_("stan"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_note = LineField(_("uzasadnienie decyzji"), max_length=500, blank=True)
    skipped = models.JSONField(
        _("pola pominięte przy przyjęciu"),
        default=list,
        blank=True,
        help_text=_("Pola zmienione przez kogoś innego od czasu propozycji, których nie nadpisano."),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("propozycja zmiany organizacji")
        verbose_name_plural = _("propozycje zmian organizacji")
        indexes = [models.Index(fields=["status", "organisation"], name="proposal_status_org_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="proposal_decided_unless_pending",
            ),
        ]

    def __str__(self):
        return _("Propozycja zmiany: %(name)s") % {"name": self.organisation_name}

    def get_status_display(self):
        return choice_label(self.Status, self.status)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def changed_since(self, organisation=None):
        """The proposed fields that someone changed since the proposal was made: their value now is neither the one
        they had then nor the proposed one (`organisation`: the row as it is now, by default the proposal's)."""
        organisation = organisation or self.organisation
        if organisation is None:
            return []
        changed = []
        for name, change in self.changes.items():
            now = value_of(organisation, name)
            if not same(now, change["old"]) and not same(now, change["new"]):
                changed.append(name)
        return changed

    @property
    def skipped_labels(self):
        return self.field_labels(self.skipped)

    def field_labels(self, names=None):
        """The labels of the proposed fields (or of `names`), in the form's order."""
        chosen = self.changes if names is None else names
        return [str(Organisation._meta.get_field(name).verbose_name) for name in self.FIELDS if name in chosen]


def value_of(organisation, name):
    """A field's value as a proposal keeps it (JSON): a related object by its id."""
    return Organisation._meta.get_field(name).value_from_object(organisation)
