""" "Dołącz / Skontaktuj się": a visitor writes to a published partnership from its page.

The message is stored (partnerships.ContactMessage) and e-mailed to the partnership's coordinators, with Reply-To the
visitor (partnerships.services.send_contact_message); a partnership without a coordinator account has it sent to the
network's e-mail from "Dane sieci" (network.Facts.contact_email), or, while that is empty, to the active staff
accounts. Neither page ever shows an address of a coordinator or of BORIS.

Against robots: a field people do not see (the honeypot: hidden by a CSS class, "Nie wypełniaj tego pola"), which,
filled in, gives the page that says "sent" and stores nothing; and at most CONTACT_LIMIT messages an hour from one
address (IP) and to one e-mail address (common/ratelimit.py), past which the form says when to try again.
"""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.forms import EMAIL_MESSAGE, limit_length, polish_messages
from common.ratelimit import client_ip, count_within
from network.models import Facts
from partnerships import services
from partnerships.models import ContactMessage, Partnership

CONTACT_LIMIT = 5
CONTACT_WINDOW = timedelta(hours=1)
HONEYPOT = "strona_www"
THROTTLED_MESSAGE = _(
    "Z tego adresu wysłano w ostatniej godzinie już %(limit)d wiadomości. Spróbuj ponownie za godzinę – "
    "Twój tekst został w formularzu."
)


class ContactForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_("Zgadzam się na przekazanie moich danych koordynatorom partnerstwa w celu odpowiedzi"),
        error_messages={"required": _("Zaznacz zgodę – bez niej nie możemy przekazać Twojej wiadomości.")},
    )
    message = forms.CharField(
        label=_("Wiadomość"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Najwyżej 3000 znaków."),
        error_messages={"required": _("Napisz wiadomość.")},
    )
    message_limit = ContactMessage.MESSAGE_LIMIT
    strona_www = forms.CharField(
        label=_("Nie wypełniaj tego pola"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "reason", "message"]
        labels = {
            "name": _("Imię i nazwisko (albo jak mamy się do Ciebie zwracać)"),
            "email": _("Twój e-mail"),
            "reason": _("W jakiej sprawie piszesz?"),
        }
        help_texts = {
            "email": _("Na ten adres odpowiedzą koordynatorzy partnerstwa."),
        }
        widgets = {
            "reason": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "name": {"required": _("Podaj, jak mamy się do Ciebie zwracać.")},
            "email": {"required": _("Podaj adres e-mail, na który mamy odpowiedzieć."), "invalid": EMAIL_MESSAGE},
            "reason": {
                "required": _("Wybierz, w jakiej sprawie piszesz."),
                "invalid_choice": _("Wybierz, w jakiej sprawie piszesz: jedną z trzech możliwości."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reason" in self.fields:  # the exchange's form has none: it is a question about an entry
            self.fields["reason"].choices = ContactMessage.Reason.choices  # no empty choice among the radio buttons
        limit_length(self.fields["message"], self.message_limit)
        privacy = _("Jak chronimy Twoje dane i jak długo je przechowujemy")
        self.fields["consent"].help_text = format_html('<a href="{}">{}</a>', reverse("privacy"), privacy)
        polish_messages(self)

    @property
    def is_trap(self):
        """The honeypot is filled in: a robot, who gets "sent" and nothing is stored."""
        return bool(self.data.get(self.add_prefix(HONEYPOT), "").strip())


def network_inbox():
    """Where the messages of a partnership without coordinators go: the network's e-mail ("Dane sieci"), else the
    active staff accounts' addresses."""
    facts_email = Facts.current().contact_email
    if facts_email:
        return [facts_email]
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))


def throttled(request, email):
    """Count this message against the limits of its IP address and of its e-mail address: True past either."""
    by_address = count_within(f"contact-form-ip:{client_ip(request)}", CONTACT_WINDOW)
    by_email = count_within(f"contact-form-email:{email.lower()}", CONTACT_WINDOW)
    return max(by_address, by_email) > CONTACT_LIMIT


def take_message(request, partnership, form, *, reason=None, about=""):
    """Take a POSTed contact form to `partnership`: (sent, status).

    Sent is True when the message was stored and e-mailed, and also when the honeypot is filled (a robot is told
    "sent" and nothing is kept). Otherwise the form holds its errors, the limit's among them (status 429). `reason`
    stands for a form without that field; `about` is a line put before the message, saying what it is about.
    """
    if form.is_trap:
        return True, 200
    if not form.is_valid():
        return False, 200
    if throttled(request, form.cleaned_data["email"]):
        form.add_error(None, THROTTLED_MESSAGE % {"limit": CONTACT_LIMIT})
        return False, 429
    message = form.cleaned_data["message"]
    services.send_contact_message(
        partnership=partnership,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        reason=reason or form.cleaned_data["reason"],
        message=f"{about}\n\n{message}" if about else message,
        url_for=request.build_absolute_uri,
        network_inbox=network_inbox(),
    )
    return True, 200


def public_partnership(slug):
    return get_object_or_404(Partnership.objects.public().only("pk", "name", "slug"), slug=slug)


def contact(request, slug):
    partnership = public_partnership(slug)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        sent, status = take_message(request, partnership, form)
        if sent:
            return redirect("partnerships:contact_sent", slug=partnership.slug)
    else:
        form = ContactForm()
    context = {"partnership": partnership, "form": form, "honeypot": form[HONEYPOT]}
    return render(request, "partnerships/contact_form.html", context, status=status)


def contact_sent(request, slug):
    partnership = public_partnership(slug)
    context = {"partnership": partnership, "has_coordinators": partnership.coordinator_accesses.exists()}
    return render(request, "partnerships/contact_sent.html", context)
