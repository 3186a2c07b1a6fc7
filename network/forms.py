"""The form on BORIS's support page: whoever asks for support says who they are and what they need."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import polish_messages
from partnerships.models import Partnership

from .models import SupportRequest


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
