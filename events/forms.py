"""The forms that create and change an event (used by the coordinator area's event pages and the admin)."""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, ImagesFormMixin, ImageUploadField, TimeInput, VersionedForm, polish_messages
from partnerships.models import Partnership, Place

from . import recurrence, services
from .models import CoOrganiserInvitation, Event


def _combine(day, at):
    return timezone.make_aware(datetime.combine(day, at or time(0, 0)))


UNTIL_LABEL = _("Powtarzaj do dnia")
COUNT_LABEL = _("Liczba terminów")
WEEKDAY_CHOICES = [(code, WEEKDAYS[index]) for index, code in enumerate(recurrence.WEEKDAY_CODES)]


class RecurrenceFields(forms.Form):
    """How an event repeats, in words: a pattern, the weekdays of "w wybrane dni tygodnia" and an end (a day or a
    number of dates). The coordinator's event form and the admin's both use it; `build_recurrence()` turns the
    choice into the stored rule, with messages that name these fields. The coordinator never sees the rule itself.
    """

    repeat = forms.ChoiceField(
        label=_("Powtarzanie"),
        choices=recurrence.SIMPLE_CHOICES,
        required=False,
        help_text=_("Dzień tygodnia i godzinę bierzemy z początku wydarzenia (pierwszego terminu)."),
        error_messages={"invalid_choice": _("Wybierz sposób powtarzania z listy.")},
    )
    repeat_weekdays = forms.MultipleChoiceField(
        label=_("Dni tygodnia"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tylko przy powtarzaniu „co tydzień, w wybrane dni tygodnia”; zaznacz też dzień rozpoczęcia."),
        error_messages={"invalid_choice": _("Wybierz dni tygodnia z listy.")},
    )
    repeat_until = forms.DateField(
        label=UNTIL_LABEL,
        required=False,
        widget=DateInput,
        help_text=_("Cykl kończy się w tym dniu albo po podanej liczbie terminów – wypełnij jedno z nich."),
    )
    repeat_count = forms.IntegerField(
        label=COUNT_LABEL,
        required=False,
        min_value=1,
        max_value=recurrence.MAX_OCCURRENCES,
        error_messages={
            "invalid": _("Liczbę terminów podaj cyframi, np. 8."),
            "min_value": _("Cykl ma co najmniej jeden termin."),
            "max_value": _("Cykl może mieć najwyżej %(limit_value)s terminów."),
        },
    )

    def show_recurrence(self, event):
        """Fill the fields from a saved series; say in words what it is now."""
        if not (event.pk and event.recurrence):
            return
        pattern, until, count = recurrence.pattern_of(event.recurrence, event.start)
        self.initial.update(
            repeat=pattern,
            repeat_weekdays=recurrence.weekdays_of(event.recurrence),
            repeat_until=until,
            repeat_count=count,
        )
        self.fields["repeat"].help_text = _("Teraz: %(summary)s.") % {
            "summary": recurrence.summary(event.recurrence, event.start)
        }

    def build_recurrence(self, start):
        """The rule the fields ask for, starting at `start` ("" for a single date); None after adding errors."""
        cleaned = self.cleaned_data
        pattern = cleaned.get("repeat") or recurrence.Pattern.NONE
        if pattern == recurrence.Pattern.NONE or any(name in self.errors for name in self.recurrence_field_names()):
            return "" if pattern == recurrence.Pattern.NONE else None
        until, count = cleaned.get("repeat_until"), cleaned.get("repeat_count")
        local_start = timezone.localtime(start, recurrence.WARSAW)
        if until is None and count is None:
            self.add_error(
                "repeat_until",
                _("Podaj, kiedy cykl się kończy: wypełnij „%(until)s” albo „%(count)s”.")
                % {"until": UNTIL_LABEL, "count": COUNT_LABEL},
            )
            return None
        if until is not None and count is not None:
            self.add_error(
                "repeat_count",
                _("Wypełnij tylko jedno: „%(until)s” albo „%(count)s”.") % {"until": UNTIL_LABEL, "count": COUNT_LABEL},
            )
            return None
        if until is not None and until < local_start.date():
            self.add_error("repeat_until", _("Cykl nie może skończyć się przed dniem rozpoczęcia."))
            return None
        if until is not None and until > local_start.date() + timedelta(days=365 * recurrence.SERIES_MAX_YEARS):
            self.add_error(
                "repeat_until",
                _("Cykl może trwać najwyżej %(years)s lat – wybierz wcześniejszy dzień.")
                % {"years": recurrence.SERIES_MAX_YEARS},
            )
            return None
        weekdays = cleaned.get("repeat_weekdays") or []
        if pattern == recurrence.Pattern.WEEKDAYS:
            code = recurrence.WEEKDAY_CODES[local_start.weekday()]
            if code not in weekdays:
                self.add_error(
                    "repeat_weekdays",
                    _("Zaznacz też %(day)s – w ten dzień tygodnia przypada dzień rozpoczęcia.")
                    % {"day": recurrence.WEEKDAYS_AFTER_CO[local_start.weekday()]},
                )
                return None
        try:
            rule = recurrence.build(pattern, start, until=until, count=count, weekdays=weekdays)
            return recurrence.validate(rule, start)
        except ValidationError as error:
            self.add_error(*self._builder_error(error, until))
            return None

    def recurrence_field_names(self):
        return ("repeat", "repeat_weekdays", "repeat_until", "repeat_count")

    @staticmethod
    def _builder_error(error, until):
        """A rule's refusal in the words of the fields."""
        if error.code == "rrule_too_long":
            field = "repeat_until" if until else "repeat_count"
            return field, _("Cykl miałby więcej niż %(max)s terminów – wybierz wcześniejszy dzień końca.") % {
                "max": recurrence.MAX_OCCURRENCES
            }
        if error.code == "rrule_start":
            return "repeat", _(
                "Pierwszy termin nie pasuje do tego powtarzania (np. „w ostatni taki dzień” zaczyna się w ostatni taki "
                "dzień miesiąca) – zmień dzień rozpoczęcia albo sposób powtarzania."
            )
        return "repeat", _("Tego powtarzania nie da się zapisać – wybierz inny sposób albo inny koniec cyklu.")


class EventForm(ImagesFormMixin, RecurrenceFields, VersionedForm):
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
            "place",
            "online_url",
            "audience",
            "registration_url",
            "image_alt",
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
        "repeat",
        "repeat_weekdays",
        "repeat_until",
        "repeat_count",
        "place",
        "online_url",
        "co_organisers",
        "audience",
        "registration_url",
        "description",
        "image_file",
        "image_alt",
        "image_remove",
    ]

    def __init__(self, *args, partnership, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership, self.user = partnership, user
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
                co_organisers=[
                    *(p.pk for p in self.instance.organisers.all() if p.pk != partnership.pk),
                    *(i.partnership_id for i in self.invitations if i.is_pending),
                ],
            )
            self.show_recurrence(self.instance)
            if self.initial.get("repeat") == recurrence.Pattern.CUSTOM:
                # A rule staff wrote by hand: kept as it is unless the coordinator picks a simple pattern instead.
                keep = _("bez zmian: %(rule)s") % {"rule": self.instance.recurrence_text()}
                self.fields["repeat"].choices = [*recurrence.SIMPLE_CHOICES, (recurrence.Pattern.CUSTOM, keep)]
        else:
            del self.fields["image_remove"]
        self.fields["co_organisers"].help_text = self.invitation_help()

    @cached_property
    def invitations(self):
        """The invitations of this event that are not accepted: their partnerships do not organise it (yet)."""
        if self.instance.pk is None:
            return []
        return list(
            self.instance.co_organiser_invitations.exclude(status=CoOrganiserInvitation.Status.ACCEPTED)
            .select_related("partnership")
            .order_by("partnership__sort_name")
        )

    def invitation_help(self):
        """The field's help, with the answers of the invited partnerships: waiting, or declined."""
        answers = format_html_join(
            "",
            " {}: {}.",
            ((invitation.partnership.name, invitation.get_status_display()) for invitation in self.invitations),
        )
        lead = _(
            "Partnerstwo, którego nie koordynujesz, dostanie zaproszenie i zostanie współorganizatorem, kiedy je "
            "zaakceptuje."
        )
        return format_html("{} {}{}", self.base_fields["co_organisers"].help_text, lead, answers)

    def clean_co_organisers(self):
        """A partnership that declined the invitation is not invited again (it may still accept it itself)."""
        chosen = self.cleaned_data["co_organisers"]
        declined = {i.partnership_id for i in self.invitations if i.is_declined}
        if declined and chosen:
            asked = [p for p in chosen if p.pk in declined]
            direct = services.joins_directly(event=self.instance, partnerships=asked, by=self.user) if asked else set()
            refused = [p for p in asked if p.pk not in direct]
            if refused:
                raise forms.ValidationError([services.declined_message(p) for p in refused])
        return chosen

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
                self.instance.recurrence = self._recurrence(start)
        if not cleaned.get("place") and not cleaned.get("online_url") and not self.errors:
            self.add_error("place", _("Wybierz miejsce albo podaj link do spotkania online."))
        return self.clean_images(cleaned)

    def _recurrence(self, start):
        """The rule the builder asks for; a rule staff wrote stays while "bez zmian" is chosen ("" after an error:
        the form is refused anyway, and the model must not check the old rule against a new start)."""
        if self.cleaned_data.get("repeat") == recurrence.Pattern.CUSTOM:
            try:
                return recurrence.validate(self.instance.recurrence, start)
            except ValidationError:
                self.add_error(
                    "repeat",
                    _("Przy nowym dniu rozpoczęcia ten cykl się nie zgadza – wybierz sposób powtarzania z listy."),
                )
                return ""
        rule = self.build_recurrence(start)
        return "" if rule is None else rule


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Powód odwołania"),
        max_length=300,
        help_text=_("Pokażemy go na stronie wydarzenia, np. „Choroba prowadzącej – nowy termin podamy wkrótce”."),
        error_messages={"required": _("Napisz krótko, dlaczego wydarzenie jest odwołane.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        polish_messages(self)


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


class OccurrenceReasonForm(forms.Form):
    """Why one date of a series is cancelled (shown publicly on the date) or skipped (seen by its editors only)."""

    reason = forms.CharField(label=_("Powód"), max_length=300)

    def __init__(self, *args, required, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.required, reason.help_text = required, help_text
        reason.error_messages["required"] = _("Napisz krótko, dlaczego ten termin jest odwołany.")
        polish_messages(self)


class OccurrenceMoveForm(forms.Form):
    """A new day and time for one date of a series; it keeps its length."""

    start_date = forms.DateField(
        label=_("Nowy dzień"), widget=DateInput, error_messages={"required": _("Podaj nowy dzień tego terminu.")}
    )
    start_time = forms.TimeField(
        label=_("Nowa godzina rozpoczęcia"),
        widget=TimeInput,
        required=False,
        help_text=_("Termin trwa tyle samo co dotąd."),
    )

    def __init__(self, *args, occurrence, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrence = occurrence
        polish_messages(self)
        start = timezone.localtime(occurrence.start)
        self.fields["start_date"].initial = start.date()
        self.fields["start_time"].initial = start.time().replace(second=0, microsecond=0)
        if occurrence.event.all_day:
            del self.fields["start_time"]

    def clean(self):
        cleaned = super().clean()
        if "start_time" in self.fields and cleaned.get("start_time") is None and "start_time" not in self.errors:
            self.add_error("start_time", _("Podaj godzinę rozpoczęcia w nowym dniu."))
        return cleaned

    def start(self):
        return _combine(self.cleaned_data["start_date"], self.cleaned_data.get("start_time"))
