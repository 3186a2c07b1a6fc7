"""The forms that create and change an event (used by the coordinator area's event pages)."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, ImagesFormMixin, ImageUploadField, TimeInput, VersionedForm, polish_messages
from partnerships.models import Partnership, Place

from . import services
from .models import CoOrganiserInvitation, Event


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
