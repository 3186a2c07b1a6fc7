"""Building blocks of the site's edit forms: Polish messages, date and time inputs, image uploads,
and forms that refuse a stale version of the row they edit (no lost updates).

`polish_messages()` also gives every text field of a form the site's rules for text (one line without
control characters; a multi-line text without control characters other than new lines) and every date
field the years 2000–2100 (common/validators.py), also for the fields a model does not hold.

Edit forms carry a version of the row they were loaded from (`VersionedForm`): a form saved after
someone else changed the row is refused with "Ktoś zmienił te dane w międzyczasie" and the current
values. Image fields are plain file fields checked by the image pipeline (common/images.py); the
domain services store them.
"""

import enum
import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .images import ACCEPT, check_image
from .validators import (
    CONTROL_CHARACTERS_MESSAGE,
    SINGLE_LINE_MESSAGE,
    validate_plain_text,
    validate_single_line,
    validate_year,
)

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


def _add_validator(field, validator):
    if validator not in field.validators:
        field.validators.append(validator)


def text_rules(field):
    """The site's rules for a form's text or date field (common/validators.py), with their Polish messages."""
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        multi_line = isinstance(field.widget, forms.Textarea)
        _add_validator(field, validate_plain_text if multi_line else validate_single_line)
        # Django's form fields refuse NUL before any validator runs, with a message of their own.
        field.error_messages["null_characters_not_allowed"] = (
            CONTROL_CHARACTERS_MESSAGE if multi_line else SINGLE_LINE_MESSAGE
        )
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        _add_validator(field, validate_year)


def polish_messages(form):
    """Field-specific messages for e-mail, URL, date and length errors of every field in a form, and the site's
    rules for text and dates (text_rules())."""
    for field in form.fields.values():
        text_rules(field)
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


class CheckedUploadField(forms.FileField):
    """A file checked by `check` (a function raising ValidationError with a Polish message) when a new one comes."""

    default_error_messages = {
        "invalid": _("Nie udało się odczytać pliku. Wybierz go jeszcze raz."),
        "empty": _("Plik jest pusty."),
    }
    check = None  # staticmethod(check_image) …

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            self.check(upload)
        return upload


class ImageUploadField(CheckedUploadField):
    """A file that must really be a JPEG, PNG or WebP image (decided by Pillow, not by the name)."""

    widget = forms.FileInput(attrs={"accept": ACCEPT})
    check = staticmethod(check_image)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("JPEG, PNG albo WebP, najwyżej 10 MB i 25 megapikseli."))
        super().__init__(**kwargs)


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


class PublicationForm(forms.Form):
    """Which submit button of a form was pressed: keep the object a draft, or publish it.

    The buttons (templates/includes/publication_buttons.html) carry `publication=draft|publish`; anything else is
    refused with a message, so a form never saves without saying which of the two was meant.
    """

    DRAFT, PUBLISH = "draft", "publish"
    MESSAGE = _("Wybierz, czy zapisać szkic, czy opublikować: użyj jednego z przycisków pod formularzem.")

    publication = forms.ChoiceField(
        choices=[(DRAFT, _("szkic")), (PUBLISH, _("opublikuj"))],
        error_messages={"required": MESSAGE, "invalid_choice": MESSAGE},
    )

    def publishes(self):
        return self.cleaned_data["publication"] == self.PUBLISH
