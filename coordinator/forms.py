"""Forms of the coordinator area and of the accounts: ModelForms with explicit fields.

Messages are Polish and specific to the field. Edit forms carry a version of the row they
were loaded from (`VersionedForm`): a form saved after someone else changed the row is
refused with "Ktoś zmienił te dane w międzyczasie" and the current values. Image fields
are plain file fields checked by the image pipeline (partnerships/images.py); services
store them.
"""

import enum
import hashlib
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.images import ACCEPT, check_image
from events.models import Event
from members.models import Membership, Organisation, PartnershipRole, Person, phone_validator
from partnerships.models import District, Partnership, Place

TEXT_LIMIT = 20_000
STALE_MESSAGE = _(
    "Ktoś zmienił te dane w międzyczasie. Poniżej są aktualne wartości z bazy – porównaj je ze swoimi "
    "zmianami. Jeśli zapiszesz formularz jeszcze raz, Twoja wersja zastąpi aktualną."
)
EMAIL_MESSAGE = _("Podaj poprawny adres e-mail, np. kontakt@example.org.")
URL_MESSAGE = _("Podaj poprawny adres strony, np. https://example.org.")
DATE_MESSAGE = _("Podaj datę w postaci RRRR-MM-DD, np. 2026-05-14.")
TIME_MESSAGE = _("Podaj godzinę w postaci GG:MM, np. 18:30.")
TOO_LONG_MESSAGE = _("Ten tekst jest za długi: najwyżej %(limit_value)d znaków (teraz ma %(show_value)d).")
ALT_MESSAGE = _("Opisz obraz słowami (tekst alternatywny) – to pole jest wymagane, gdy jest obraz.")


def limit_length(field, limit=TEXT_LIMIT):
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG_MESSAGE))
    field.widget.attrs.setdefault("maxlength", str(limit))


def polish_messages(form):
    """Field-specific messages for e-mail, URL, date and length errors of every field in a form."""
    for field in form.fields.values():
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = EMAIL_MESSAGE
        elif isinstance(field, forms.URLField):
            field.error_messages["invalid"] = URL_MESSAGE
        elif isinstance(field, forms.DateField):
            field.error_messages["invalid"] = DATE_MESSAGE
        elif isinstance(field, forms.TimeField):
            field.error_messages["invalid"] = TIME_MESSAGE
        if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) and not field.max_length:
            limit_length(field)
        if isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"
            field.widget.format = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class ImageUploadField(forms.FileField):
    """A file that must really be a JPEG, PNG or WebP image (decided by Pillow, not by the name)."""

    widget = forms.FileInput(attrs={"accept": ACCEPT})
    default_error_messages = {
        "invalid": _("Nie udało się odczytać pliku. Wybierz go jeszcze raz."),
        "empty": _("Plik jest pusty."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("JPEG, PNG albo WebP, najwyżej 10 MB i 40 megapikseli."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            check_image(upload)
        return upload


def version_of(instance):
    """A fingerprint of the row as it is in the database: it changes with any saved change."""
    parts = []
    for model_field in instance._meta.concrete_fields:
        value = model_field.value_from_object(instance)
        if isinstance(value, enum.Enum):  # a choice set in Python, e.g. Partnership.Kind.LOCAL
            value = value.value
        parts.append(f"{model_field.attname}={value!r}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _display(instance, field_name):
    value = getattr(instance, field_name)
    field = instance._meta.get_field(field_name)
    if field.many_to_many:
        return ", ".join(str(item) for item in value.all()) or "–"
    if field.choices:
        return getattr(instance, f"get_{field_name}_display")() or "–"
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    if value in (None, ""):
        return "–"
    return str(value)


class VersionedForm(forms.ModelForm):
    """Refuses to save over a change made by someone else since the form was loaded."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loaded_version = version_of(self.instance) if self.instance.pk else ""
        self.fields["version"].initial = self.loaded_version
        self.stale = False
        self.current_values = []
        polish_messages(self)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") != self.loaded_version:
            self.stale = True
            self.current_values = [
                (self.fields[name].label, _display(self.instance, name))
                for name in self._meta.fields
                if name in self.fields and name in cleaned and self._differs(name, cleaned[name])
            ]
            # Saving again (knowingly, after seeing the current values) is allowed.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = self.loaded_version
            raise ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def _differs(self, name, submitted):
        field = self.instance._meta.get_field(name)
        current = getattr(self.instance, name)
        if field.many_to_many:
            return {item.pk for item in current.all()} != {item.pk for item in submitted or []}
        return (current or None) != (submitted or None)


# --- the partnership ----------------------------------------------------------------------

CONDITION_FIELDS = [
    name for key, _label in Partnership.CONDITIONS for name in (f"condition_{key}", f"condition_{key}_note")
]


class PartnershipProfileForm(VersionedForm):
    class Meta:
        model = Partnership
        fields = [
            "summary",
            "description",
            "goals",
            "status",
            "founded_year",
            "formal_status",
            "declaration_signed_on",
            "districts",
            "citywide",
            "area",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "facebook_url",
            "instagram_url",
            *CONDITION_FIELDS,
            "easy_read_summary",
        ]
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "declaration_signed_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 10}),
            "goals": forms.Textarea(attrs={"rows": 6}),
            "easy_read_summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "description": _(
                "Możesz używać Markdown: **pogrubienie**, *kursywa*, listy zaczynane od „-”, "
                "linki [tekst](https://…), nagłówki „## …”. Kod HTML zostanie usunięty."
            ),
            "goals": _("Markdown, jak w opisie. Np. lista celów, każdy w wierszu zaczynanym od „-”."),
        }
        error_messages = {
            "founded_year": {
                "min_value": _("Rok powstania nie może być wcześniejszy niż 1990."),
                "max_value": _("Podaj prawdziwy rok powstania, np. 2015."),
                "invalid": _("Rok powstania to liczba, np. 2015."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = District.objects.only("name", "slug", "sort_name")
        self.fields["contact_phone"].validators.append(phone_validator)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("declaration_signed_on")
            and cleaned.get("formal_status") != Partnership.FormalStatus.DECLARATION
        ):
            self.add_error(
                "declaration_signed_on",
                _("Datę podpisania deklaracji podaje się tylko przy formie „podpisana deklaracja partnerska”."),
            )
        return cleaned


class ImagesFormMixin:
    """Pairs of (image field, alt-text field): the alt text is required whenever an image is shown."""

    image_pairs = ()

    def uploads(self):
        """{model field: new upload | False (remove) | None (unchanged)} for the services."""
        result = {}
        for field, _alt in self.image_pairs:
            if self.cleaned_data.get(f"{field}_file"):
                result[field] = self.cleaned_data[f"{field}_file"]
            elif self.cleaned_data.get(f"{field}_remove"):
                result[field] = False
            else:
                result[field] = None
        return result

    def clean_images(self, cleaned):
        for field, alt in self.image_pairs:
            new = cleaned.get(f"{field}_file")
            keeps = bool(getattr(self.instance, field)) and not cleaned.get(f"{field}_remove")
            if alt and (new or keeps) and not (cleaned.get(alt) or "").strip():
                self.add_error(alt, ALT_MESSAGE)
        return cleaned


class PartnershipImagesForm(ImagesFormMixin, VersionedForm):
    image_pairs = (("logo", "logo_alt"), ("cover", "cover_alt"))

    logo_file = ImageUploadField(label=_("Nowe logo"))
    logo_remove = forms.BooleanField(label=_("Usuń obecne logo"), required=False)
    cover_file = ImageUploadField(label=_("Nowe zdjęcie na górę strony"))
    cover_remove = forms.BooleanField(label=_("Usuń obecne zdjęcie"), required=False)

    class Meta:
        model = Partnership
        fields = ["logo_alt", "cover_alt"]
        help_texts = {
            "logo_alt": _("Np. „Logo partnerstwa: zielony dom i trzy postacie”."),
            "cover_alt": _("Co widać na zdjęciu, np. „Sąsiedzi sadzą kwiaty na skwerze przy bibliotece”."),
        }

    field_order = ["logo_file", "logo_alt", "logo_remove", "cover_file", "cover_alt", "cover_remove"]

    def clean(self):
        return self.clean_images(super().clean())


# --- members ------------------------------------------------------------------------------


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nazwa organizacji"),
        max_length=100,
        required=False,
        help_text=_("Wystarczy fragment nazwy; polskie znaki można pominąć (np. „zoliborz”)."),
    )


class MembershipForm(VersionedForm):
    class Meta:
        model = Membership
        fields = ["role", "since", "until", "signed_declaration", "note"]
        widgets = {"since": DateInput, "until": DateInput}
        help_texts = {"until": _("Zostaw puste, jeśli organizacja nadal jest członkiem.")}


class NewMembershipForm(forms.ModelForm):
    """Membership of an organisation picked from the directory (by the search)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Najpierw wyszukaj i wybierz organizację."),
            "invalid_choice": _("Nie ma takiej organizacji w katalogu. Wyszukaj ją jeszcze raz."),
        },
    )

    class Meta:
        model = Membership
        fields = ["organisation", "role", "since", "signed_declaration", "note"]
        widgets = {"since": DateInput}

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        polish_messages(self)


class MembershipStartForm(forms.ModelForm):
    """The membership half of "a new organisation joins"."""

    heading = _("Członkostwo w partnerstwie")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        polish_messages(self)

    class Meta:
        model = Membership
        fields = ["role", "since", "signed_declaration"]
        widgets = {"since": DateInput}


class EndPeriodForm(forms.Form):
    until = forms.DateField(
        label=_("Ostatni dzień"),
        widget=DateInput,
        error_messages={"required": _("Podaj ostatni dzień."), "invalid": DATE_MESSAGE},
    )

    def __init__(self, *args, since=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.since = since
        self.fields["until"].initial = timezone.localdate()

    def clean_until(self):
        until = self.cleaned_data["until"]
        if self.since and until < self.since:
            raise ValidationError(
                _("Koniec nie może być przed początkiem (%(since)s)."), params={"since": self.since.isoformat()}
            )
        return until


class OrganisationForm(ImagesFormMixin, VersionedForm):
    heading = _("Dane organizacji")
    image_pairs = (("logo", "logo_alt"),)

    logo_file = ImageUploadField(label=_("Logo"))
    logo_remove = forms.BooleanField(label=_("Usuń obecne logo"), required=False)

    class Meta:
        model = Organisation
        fields = [
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
            "logo_alt",
        ]
        error_messages = {
            "name": {"required": _("Podaj nazwę organizacji.")},
            "sector": {"required": _("Wybierz sektor organizacji.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["logo_remove"]

    def clean(self):
        return self.clean_images(super().clean())


# --- team ---------------------------------------------------------------------------------


class PersonForm(ImagesFormMixin, VersionedForm):
    heading = _("Nowa osoba (gdy nie wybrano nikogo z zespołu)")
    image_pairs = (("photo", None),)

    photo_file = ImageUploadField(label=_("Zdjęcie"))
    photo_remove = forms.BooleanField(label=_("Usuń obecne zdjęcie"), required=False)

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "bio", "email", "phone", "public_contact"]
        error_messages = {
            "first_name": {"required": _("Podaj imię.")},
            "last_name": {"required": _("Podaj nazwisko.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["photo_remove"]


class RoleForm(VersionedForm):
    class Meta:
        model = PartnershipRole
        fields = ["role", "organisation", "since", "until"]
        widgets = {"since": DateInput, "until": DateInput}
        error_messages = {"role": {"required": _("Wybierz rolę w partnerstwie.")}}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        current = Organisation.objects.filter(pk__in=partnership.memberships.current().values("organisation"))
        if self.instance.organisation_id:
            current = current | Organisation.objects.filter(pk=self.instance.organisation_id)
        self.fields["organisation"].queryset = current.only("name", "sort_name").order_by("sort_name")
        self.fields["organisation"].help_text = _("Jedna z organizacji członkowskich (nieobowiązkowe).")


class TeamAddForm(RoleForm):
    """A role for someone already in the team, or (leave the choice empty) for a new person."""

    heading = _("Rola w zespole")

    existing_person = forms.ModelChoiceField(
        label=_("Osoba z zespołu"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— nowa osoba (wpisz dane poniżej) —"),
        help_text=_("Wybierz, jeśli ta osoba już jest w zespole i dostaje kolejną rolę."),
    )

    class Meta(RoleForm.Meta):
        fields = ["role", "organisation", "since"]

    field_order = ["existing_person", "role", "organisation", "since"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["existing_person"].queryset = Person.objects.filter(roles__partnership=partnership).distinct()


# --- places -------------------------------------------------------------------------------


class PlaceForm(VersionedForm):
    class Meta:
        model = Place
        fields = [
            "name",
            "street_address",
            "postal_code",
            "district",
            "latitude",
            "longitude",
            "description",
            "accessibility",
            "is_neighbourhood_house",
        ]
        help_texts = {
            "latitude": _("Np. 52.2297 (punkt w Warszawie). Podaj obie współrzędne albo żadnej."),
            "longitude": _("Np. 21.0122."),
        }
        error_messages = {
            "name": {"required": _("Podaj nazwę miejsca.")},
            "street_address": {"required": _("Podaj adres, np. ul. Przykładowa 1.")},
            "district": {"required": _("Wybierz dzielnicę.")},
            "latitude": {"invalid": _("Szerokość geograficzna to liczba, np. 52.2297.")},
            "longitude": {"invalid": _("Długość geograficzna to liczba, np. 21.0122.")},
        }

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None) and "latitude" not in self.errors and "longitude" not in self.errors:
            self.add_error("longitude" if lon is None else "latitude", _("Podaj obie współrzędne albo żadnej."))
        return cleaned


# --- events -------------------------------------------------------------------------------


def _combine(day, at):
    return timezone.make_aware(datetime.combine(day, at or time(0, 0)))


class EventForm(ImagesFormMixin, VersionedForm):
    image_pairs = (("image", "image_alt"),)

    start_date = forms.DateField(label=_("Dzień rozpoczęcia"), widget=DateInput)
    start_time = forms.TimeField(label=_("Godzina rozpoczęcia"), widget=TimeInput, required=False)
    end_date = forms.DateField(label=_("Dzień zakończenia"), widget=DateInput)
    end_time = forms.TimeField(label=_("Godzina zakończenia"), widget=TimeInput, required=False)
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Współorganizatorzy (inne partnerstwa)"),
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Nieobowiązkowe. Na komputerze kilka pozycji zaznaczysz z klawiszem Ctrl."),
    )
    image_file = ImageUploadField(label=_("Zdjęcie"))
    image_remove = forms.BooleanField(label=_("Usuń obecne zdjęcie"), required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "all_day",
            "recurrence",
            "place",
            "online_url",
            "audience",
            "registration_url",
            "image_alt",
            "is_published",
        ]
        error_messages = {
            "title": {"required": _("Podaj tytuł wydarzenia.")},
            "kind": {"required": _("Wybierz rodzaj wydarzenia.")},
        }
        help_texts = {"all_day": _("Wtedy godziny można pominąć.")}

    field_order = [
        "title",
        "kind",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "all_day",
        "recurrence",
        "place",
        "online_url",
        "co_organisers",
        "audience",
        "registration_url",
        "description",
        "image_file",
        "image_alt",
        "image_remove",
        "is_published",
    ]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        places = Place.objects.filter(partnerships=partnership)
        if self.instance.place_id:
            places = places | Place.objects.filter(pk=self.instance.place_id)
        self.fields["place"].queryset = places.distinct().order_by("sort_name")
        self.fields["place"].help_text = _("Miejsca spotkań partnerstwa. Nowe miejsce dodasz na stronie partnerstwa.")
        self.fields["co_organisers"].queryset = (
            Partnership.objects.public().exclude(pk=partnership.pk).only("name", "sort_name").order_by("sort_name")
        )
        if self.instance.pk:
            start, end = timezone.localtime(self.instance.start), timezone.localtime(self.instance.end)
            if self.instance.all_day:
                end = end - timedelta(days=1)
            self.initial.update(
                start_date=start.date(),
                start_time=start.time().replace(second=0, microsecond=0),
                end_date=end.date(),
                end_time=end.time().replace(second=0, microsecond=0),
                co_organisers=[p.pk for p in self.instance.organisers.all() if p.pk != partnership.pk],
            )
        else:
            del self.fields["image_remove"]

    def clean(self):
        cleaned = super().clean()
        start_date, end_date = cleaned.get("start_date"), cleaned.get("end_date")
        if start_date and end_date:
            if cleaned.get("all_day"):
                start, end = _combine(start_date, None), _combine(end_date + timedelta(days=1), None)
            else:
                for name in ("start_time", "end_time"):
                    if cleaned.get(name) is None and name not in self.errors:
                        self.add_error(name, _("Podaj godzinę albo zaznacz „cały dzień”."))
                if self.errors:
                    return cleaned
                start, end = _combine(start_date, cleaned["start_time"]), _combine(end_date, cleaned["end_time"])
            if end <= start:
                self.add_error("end_date", _("Wydarzenie musi skończyć się później, niż się zaczyna."))
            else:
                self.instance.start, self.instance.end = start, end
        if not cleaned.get("place") and not cleaned.get("online_url") and not self.errors:
            self.add_error("place", _("Wybierz miejsce albo podaj link do spotkania online."))
        return self.clean_images(cleaned)


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód odwołania"),
        max_length=300,
        help_text=_("Pokażemy go na stronie wydarzenia, np. „Choroba prowadzącej – nowy termin podamy wkrótce”."),
        error_messages={"required": _("Napisz krótko, dlaczego wydarzenie jest odwołane.")},
    )


class EventDuplicateForm(forms.Form):
    start_date = forms.DateField(
        label=_("Nowy dzień"), widget=DateInput, error_messages={"required": _("Podaj dzień nowego terminu.")}
    )
    start_time = forms.TimeField(
        label=_("Godzina rozpoczęcia"), widget=TimeInput, help_text=_("Ta sama długość co w oryginale.")
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        polish_messages(self)
        self.fields["start_time"].initial = timezone.localtime(event.start).time().replace(second=0, microsecond=0)

    def start(self):
        return _combine(self.cleaned_data["start_date"], self.cleaned_data["start_time"])


# --- invitations and accounts -------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adres e-mail osoby zapraszanej"),
        error_messages={"required": _("Podaj adres e-mail."), "invalid": EMAIL_MESSAGE},
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnerstwo"),
        queryset=Partnership.objects.only("name", "slug", "sort_name").order_by("sort_name"),
        error_messages={"required": _("Wybierz partnerstwo."), "invalid_choice": _("Nie ma takiego partnerstwa.")},
    )


class AcceptInvitationForm(forms.Form):
    """A new account for an invited person: name and a password set twice."""

    first_name = forms.CharField(label=_("Imię"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nazwisko"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Hasło"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": _("Ustaw hasło.")},
    )
    password2 = forms.CharField(
        label=_("Hasło jeszcze raz"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Wpisz hasło jeszcze raz.")},
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Hasła się różnią. Wpisz to samo hasło dwa razy."))
        elif password1:
            probe = get_user_model()(username=self.email, email=self.email, first_name=cleaned.get("first_name") or "")
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Login albo hasło są niepoprawne. Sprawdź je i spróbuj jeszcze raz (wielkość liter ma znaczenie)."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Login")
        self.fields["username"].help_text = _("Konta założone z zaproszenia mają login taki jak adres e-mail.")
