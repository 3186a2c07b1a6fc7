""" "Giełda zasobów" (/siec/gielda/): what partnerships offer one another, look for and recommend.

Anonymous visitors and plain accounts see the public entries only; coordinators (anyone who may edit a partnership)
and staff see every current entry (network.ExchangeEntry.objects.visible_to). An entry's page has a form that writes
to its partnership's coordinators: the partnership's contact form ("Dołącz / Skontaktuj się", directory/contact.py)
with its limit and its honeypot, the message stored as any other (partnerships.ContactMessage) and headed by the
entry it is about. No page shows an address.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.paging import PublicFilterView
from network.filters import ExchangeFilter
from network.models import ExchangeEntry, may_see_all_entries
from partnerships.models import ContactMessage

from .contact import HONEYPOT, ContactForm, take_message

EXCHANGE_MESSAGE_LIMIT = 2500


class ExchangeListView(PublicFilterView):
    filterset_class = ExchangeFilter
    template_name = "network/exchangeentry_list.html"
    moves_with_time = True  # entries leave the list when they expire

    def get_queryset(self):
        return ExchangeEntry.objects.visible_to(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_all"] = may_see_all_entries(self.request.user)
        context["entries"] = context["object_list"]
        return context


class ExchangeContactForm(ContactForm):
    """The partnership's contact form without "W jakiej sprawie": a message about one entry is a question."""

    message_limit = EXCHANGE_MESSAGE_LIMIT

    class Meta(ContactForm.Meta):
        fields = ["name", "email", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _("Najwyżej %(limit)d znaków.") % {"limit": EXCHANGE_MESSAGE_LIMIT}
        self.fields["message"].label = gettext_lazy("Wiadomość do partnerstwa")


def about_line(entry, url):
    """The line before the message, in Polish as the coordinators read it: which entry it is about."""
    with translation.override("pl"):
        return _("Dotyczy wpisu w giełdzie zasobów (%(kind)s): „%(title)s” – %(url)s") % {
            "kind": entry.get_kind_display(),
            "title": entry.title,
            "url": url,
        }


def entry_detail(request, pk):
    visible = ExchangeEntry.objects.visible_to(request.user).select_related("partnership", "district")
    entry = get_object_or_404(visible, pk=pk)
    status = 200
    if request.method == "POST":
        form = ExchangeContactForm(request.POST)
        about = about_line(entry, request.build_absolute_uri(entry.get_absolute_url()))
        sent, status = take_message(
            request, entry.partnership, form, reason=ContactMessage.Reason.QUESTION, about=about
        )
        if sent:
            messages.success(
                request,
                _("Dziękujemy! Wiadomość trafiła do koordynatorów partnerstwa „%(name)s”, odpowiedzą na Twój e-mail.")
                % {"name": entry.partnership.name},
            )
            return redirect(entry.get_absolute_url())
    else:
        form = ExchangeContactForm()
    context = {"entry": entry, "form": form, "honeypot": form[HONEYPOT], "sees_all": may_see_all_entries(request.user)}
    return render(request, "network/exchangeentry_detail.html", context, status=status)
