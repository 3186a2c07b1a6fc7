"""What may be typed into the site's text and date fields, checked in one place for every form and service.

Text reaches e-mail headers, iCalendar files, CSV and JSON downloads and page titles, so:

- a one-line field (a name, a title, an address, a phone number) holds no control character at all:
  no CR or LF (a header or an iCalendar line could be split), no NUL, no ESC (terminal colours in logs),
  none of U+0000–U+001F nor U+007F; `LineField` is a CharField that says so, in the model and in every
  form built from it (the coordinator's pages and the admin alike);
- a multi-line field (a description: `PlainTextField`) keeps its new lines and tabs but refuses the other
  control characters.

Dates are those of the years FIRST_YEAR–LAST_YEAR (the agenda's filters, the month calendar, the recurrence
rules and the feeds cover the same years): `validate_year` on a model's or a form's date field, and
`check_years()` in services that get dates from code rather than from a form.
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)

SINGLE_LINE_MESSAGE = _(
    "To pole może mieć tylko jeden wiersz zwykłego tekstu – usuń znaki nowego wiersza i znaki sterujące."
)
CONTROL_CHARACTERS_MESSAGE = _(
    "Ten tekst zawiera niewidoczne znaki sterujące (np. znak NUL) – usuń je. Nowe wiersze mogą zostać."
)
YEARS_MESSAGE = _("Podaj datę z lat 2000–2100.")

# C0 controls and DEL; a multi-line text may keep TAB, LF and CR.
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def validate_single_line(value):
    if isinstance(value, str) and _ANY_CONTROL.search(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def validate_plain_text(value):
    if isinstance(value, str) and _CONTROL_BUT_LINES.search(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def _year(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.year


def validate_year(value):
    """A date or a moment in the years FIRST_YEAR–LAST_YEAR (a moment counted in the site's time zone)."""
    if value is not None and not FIRST_YEAR <= _year(value) <= LAST_YEAR:
        raise ValidationError(YEARS_MESSAGE, code="year_out_of_range")


def check_years(*values):
    """validate_year() for each of the values (None is allowed): for services given dates by code."""
    for value in values:
        validate_year(value)


class LineField(models.CharField):
    """A CharField for one line of plain text: no new lines, no control characters (validate_single_line).

    Its form field gives the same message for NUL, which Django's form fields refuse before any validator.
    """

    default_validators = [validate_single_line]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["null_characters_not_allowed"] = SINGLE_LINE_MESSAGE
        return field


class PlainTextField(models.TextField):
    """A TextField that keeps new lines and tabs but no other control character (validate_plain_text)."""

    default_validators = [validate_plain_text]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.error_messages["null_characters_not_allowed"] = CONTROL_CHARACTERS_MESSAGE
        return field
