"""Forms of the coordinator area and of the accounts: ModelForms with explicit fields.

Messages are Polish and specific to the field; the shared building blocks (stale-version
check, image uploads, date inputs) are in common/forms.py, the event forms in events/forms.py.
"""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import (
    DATE_MESSAGE,
    EMAIL_MESSAGE,
    DateInput,
    ImagesFormMixin,
    ImageUploadField,
    VersionedForm,
    polish_messages,
)
from common.mail import queue_email
from common.validators import validate_single_line
from members.models import (
    ContactConsent,
    Membership,
    Organisation,
    OrganisationChangeProposal,
    PartnershipRole,
    Person,
    phone_validator,
)
from partnerships.models import District, Partnership, Place

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
            "sign_language_video_url",
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
            "sign_language_video_url": _(
                "Adres https:// filmu, w którym ktoś opowiada o partnerstwie w PJM (np. w serwisie YouTube lub Vimeo)."
            ),
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


class NotADuplicateForm(forms.Form):
    """Shown when a new organisation looks like one already in the directory: the coordinator says why it is another."""

    heading = _("Czy to na pewno nowa organizacja?")
    different = forms.BooleanField(
        label=_("To inna organizacja niż te wyżej – dodaj ją mimo to"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Czym się różni?"),
        help_text=_("Np. „inna fundacja o tej samej nazwie, z Pragi”. Pracownicy BORIS zobaczą to w historii zmian."),
        max_length=300,
        required=False,
        validators=[validate_single_line],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        polish_messages(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("different"):
            raise ValidationError(
                _("Ta organizacja wygląda na już obecną w katalogu: dodaj istniejącą albo potwierdź, że to inna.")
            )
        if not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Napisz krótko, czym ta organizacja różni się od tej z katalogu."))
        return cleaned


class EndPeriodForm(forms.Form):
    until = forms.DateField(
        label=_("Ostatni dzień"),
        widget=DateInput,
        error_messages={"required": _("Podaj ostatni dzień."), "invalid": DATE_MESSAGE},
    )

    def __init__(self, *args, since=None, **kwargs):
        super().__init__(*args, **kwargs)
        polish_messages(self)
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
        # The text fields are those a coordinator may also propose for a shared organisation, and the logo's text.
        fields = [*OrganisationChangeProposal.FIELDS, "logo_alt"]
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


class OrganisationProposalForm(OrganisationForm):
    """The organisation form without the logo: a change a coordinator proposes for an organisation shared with
    partnerships they do not coordinate (validated as a direct edit, with the same messages)."""

    image_pairs = ()
    logo_file = None
    logo_remove = None

    class Meta(OrganisationForm.Meta):
        fields = list(OrganisationChangeProposal.FIELDS)


# --- team ---------------------------------------------------------------------------------


class PersonForm(ImagesFormMixin, VersionedForm):
    heading = _("Nowa osoba (gdy nie wybrano nikogo z zespołu)")
    image_pairs = (("photo", None),)

    photo_file = ImageUploadField(label=_("Zdjęcie"))
    photo_remove = forms.BooleanField(label=_("Usuń obecne zdjęcie"), required=False)

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "role_names", "bio", "email", "phone"]
        error_messages = {
            "first_name": {"required": _("Podaj imię.")},
            "last_name": {"required": _("Podaj nazwisko.")},
        }

    # Only for a new person; a person's consent is recorded or withdrawn on their page (ConsentForm).
    consent = forms.ChoiceField(
        label=_("Zgoda na publikację e-maila i telefonu"),
        choices=[("", _("brak zgody – kontakt nie będzie na stronie"))],
        required=False,
        help_text=_("Jak ta osoba zgodziła się na publikację swojego kontaktu."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["consent"]
        else:
            del self.fields["photo_remove"]
            self.fields["consent"].choices += ConsentForm.base_fields["how"].choices


class ConsentForm(forms.Form):
    """A person's consent to publishing their contact, as the coordinator records it."""

    how = forms.ChoiceField(
        label=_("Jak ta osoba wyraziła zgodę"),
        choices=[
            (key, label) for key, label in ContactConsent.How.choices if key != ContactConsent.How.BEFORE_REGISTER
        ],
        error_messages={
            "required": _("Wybierz, jak ta osoba wyraziła zgodę."),
            "invalid_choice": _("Wybierz, jak ta osoba wyraziła zgodę."),
        },
    )


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        polish_messages(self)


class AcceptInvitationForm(forms.Form):
    """A new account for an invited person: name, a login (not their e-mail address) and a password set twice."""

    first_name = forms.CharField(label=_("Imię"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nazwisko"), max_length=150, required=False)
    login = forms.RegexField(
        label=_("Login"),
        regex=r"^[\w.-]{3,40}\Z",
        required=False,
        help_text=_(
            "Nieobowiązkowe: 3–40 liter, cyfr, kropek, myślników lub podkreśleń, bez znaku @, np. anna.nowak. "
            "Puste pole: login powstanie z imienia i nazwiska."
        ),
        error_messages={
            "invalid": _("Login może mieć 3–40 znaków: litery, cyfry, kropki, myślniki i podkreślenia (bez @).")
        },
    )
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
        polish_messages(self)
        self.email = email

    def clean_login(self):
        login = self.cleaned_data["login"]
        if login and get_user_model().objects.filter(username__iexact=login).exists():
            raise ValidationError(_("Ten login jest już zajęty. Wybierz inny."))
        return login

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
        self.fields["username"].label = _("Login albo adres e-mail")


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form whose e-mail is queued (common/mail.py) instead of sent during the request.

    No mail server is contacted while the visitor waits, so the answer takes as long whether the address has an
    account or not, and a failing server is retried by the worker. The message is rendered here as Django renders it.
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = render_to_string(html_email_template_name, context) if html_email_template_name else None
        queue_email(subject, body, [to_email], from_email=from_email, html_body=html_body)
