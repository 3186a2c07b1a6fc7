"""The form on BORIS's support page: whoever asks for support says who they are and what they need. The exchange's
forms: an entry as its partnership's coordinators write it, and the weekly digest's opt-in."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, VersionedForm, polish_messages
from partnerships.models import District, Partnership

from .models import ExchangeEntry, SupportRequest, latest_expiry


class SupportRequestForm(forms.ModelForm):
    """ "Poproś o wsparcie": a partnership (or none: another group, or not known), the kind of support, who asks
    and what they need, and their consent to being answered.

    `website` is a trap for robots: hidden from people (and from screen readers), left empty by them; a robot
    that fills every field fills it too, and the view then pretends to accept the request without keeping it.
    """

    consent = forms.BooleanField(
        label=_("Zgadzam się, by stowarzyszenie BORIS użyło moich danych, aby odpowiedzieć na tę prośbę."),
        error_messages={"required": _("Zaznacz zgodę – bez niej nie możemy odpowiedzieć na prośbę.")},
    )
    website = forms.CharField(label=_("Tego pola nie wypełniaj"), required=False, max_length=200)

    class Meta:
        model = SupportRequest
        fields = ["partnership", "kind", "name", "email", "message"]
        labels = {"partnership": _("Partnerstwo"), "kind": _("Rodzaj wsparcia"), "email": _("Adres e-mail")}
        help_texts = {
            "partnership": _("Jeśli Twojej grupy nie ma na liście albo nie wiesz, wybierz „inna grupa / nie wiem”."),
            "email": _("Na ten adres odpowiemy."),
            "message": _("Napisz, czego potrzebujecie, dla ilu osób i od kiedy."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "partnership": {"invalid_choice": _("Nie ma takiego partnerstwa – wybierz je z listy.")},
            "kind": {
                "required": _("Wybierz rodzaj wsparcia."),
                "invalid_choice": _("Nie ma takiego rodzaju wsparcia – wybierz go z listy."),
            },
            "name": {"required": _("Podaj imię i nazwisko, żebyśmy wiedzieli, do kogo piszemy.")},
            "email": {"required": _("Podaj adres e-mail – na niego odpowiemy.")},
            "message": {"required": _("Napisz, czego potrzebujecie.")},
        }

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = self.fields["partnership"]
        partnership.queryset = Partnership.objects.public().only("pk", "name", "slug").order_by("sort_name", "pk")
        partnership.to_field_name = "slug"
        partnership.empty_label = _("inna grupa / nie wiem")
        kind = self.fields["kind"]
        kind.queryset = kinds
        kind.to_field_name = "slug"
        kind.empty_label = _("wybierz")
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        polish_messages(self)

    @property
    def is_robot(self):
        """True when the hidden field is filled (call after is_valid())."""
        return bool(self.cleaned_data.get("website"))


class ExchangeEntryForm(VersionedForm):
    """An entry of the exchange, as its partnership's coordinators write it: what, where, until when, and for a
    recommended contact, whom and how they agreed. Whether staff checked that consent is not theirs to say."""

    class Meta:
        model = ExchangeEntry
        fields = [
            "kind",
            "title",
            "description",
            "district",
            "expires_on",
            "is_public",
            "contact_name",
            "contact_does",
            "consent_note",
        ]
        labels = {"title": _("Co oferujecie, czego szukacie albo kogo polecacie")}
        widgets = {
            "kind": forms.RadioSelect,
            "expires_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "consent_note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "contact_name": _("Tylko dla polecanego kontaktu: nazwa firmy albo imię i nazwisko osoby."),
        }
        error_messages = {
            "kind": {
                "required": _("Wybierz rodzaj wpisu: oferujemy, szukamy albo polecamy kontakt."),
                "invalid_choice": _("Wybierz rodzaj wpisu: oferujemy, szukamy albo polecamy kontakt."),
            },
            "title": {"required": _("Napisz jednym zdaniem, co oferujecie, czego szukacie albo kogo polecacie.")},
            "district": {"invalid_choice": _("Nie ma takiej dzielnicy – wybierz ją z listy.")},
            "expires_on": {"required": _("Podaj, do kiedy wpis jest aktualny.")},
        }

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["kind"].choices = ExchangeEntry.Kind.choices  # no empty choice among the radio buttons
        district = self.fields["district"]
        district.queryset = District.objects.only("pk", "name", "sort_name")
        district.empty_label = _("bez znaczenia / cała Warszawa")
        expires_on = self.fields["expires_on"]
        expires_on.widget.attrs.update({"min": self.today.isoformat(), "max": latest_expiry(self.today).isoformat()})
        # The model's default is a callable, which would add a hidden copy of the initial date carrying the field's
        # aria-describedby (invalid HTML); nothing here asks whether the date changed.
        expires_on.show_hidden_initial = False

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < self.today:
            raise forms.ValidationError(
                _("Ta data już minęła – wpis zniknąłby od razu. Podaj dzisiejszą albo późniejszą datę."),
                code="past",
            )
        latest = latest_expiry(self.today)
        if expires_on > latest:
            raise forms.ValidationError(
                _("Wpis może być aktualny najdalej rok od dziś, czyli do %(date)s. Później możesz go odnowić."),
                code="too_far",
                params={"date": date_format(latest, "j E Y")},
            )
        return expires_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ExchangeEntry.Kind.CONTACT:
            if not cleaned.get("contact_name") and "contact_name" not in self.errors:
                self.add_error("contact_name", _("Podaj, kogo polecacie: nazwę firmy albo imię i nazwisko."))
            if cleaned.get("is_public") and not cleaned.get("consent_note") and "consent_note" not in self.errors:
                self.add_error(
                    "consent_note",
                    _(
                        "Napisz, jak polecana firma albo osoba zgodziła się na wpis – bez tego nie pokażemy go "
                        "wszystkim."
                    ),
                )
        elif cleaned.get("kind"):
            # Only a recommended contact names someone: nothing of the kind stays in an offer or a request.
            for name in ("contact_name", "contact_does", "consent_note"):
                cleaned[name] = ""
        return cleaned


class ExchangeDigestForm(forms.Form):
    subscribed = forms.BooleanField(
        label=_("Chcę dostawać raz w tygodniu e-mail z nowymi wpisami giełdy zasobów"),
        required=False,
        help_text=_("Bez wpisów Twojego partnerstwa; w tygodniu bez nowych wpisów nie wyślemy nic."),
    )
