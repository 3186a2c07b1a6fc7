"""The partnership's entries in "Giełda zasobów" (/moje/<slug>/gielda/): list (current and expired), add, edit,
renew (three months more) and withdraw (ends it today; it stays here to renew). Every page fetches the entry through
`ExchangeEntry.objects.editable_by(user, partnership)`: anyone else gets a 404.

Also the weekly digest's opt-in (/konto/gielda-przeglad/), for anyone who sees every entry: coordinators and staff.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from network import services
from network.forms import ExchangeDigestForm, ExchangeEntryForm
from network.models import ExchangeDigestSubscription, ExchangeEntry, may_see_all_entries
from partnerships.editing import ConfirmPage, FormPage, LoginRequired, ObjectPage, PartnershipPage


def entries_url(partnership):
    return reverse("coordinator:exchange_list", kwargs={"slug": partnership.slug})


class ExchangePage(PartnershipPage):
    """A page of the partnership's exchange: back to (and, once saved, on to) its list of entries."""

    def get_success_url(self):
        return entries_url(self.partnership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = entries_url(self.partnership)
        return context


class ExchangeEntryListView(ExchangePage, TemplateView):
    template_name = "coordinator/exchange_entries.html"
    page_title = gettext_lazy("Giełda zasobów")
    lead = gettext_lazy(
        "Co partnerstwo oferuje innym, czego szuka i kogo poleca. Wpis widać na giełdzie do dnia, do którego jest "
        "aktualny; potem zostaje tu i można go odnowić."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        entries = list(
            ExchangeEntry.objects.editable_by(self.request.user, self.partnership)
            .select_related("district")
            .order_by("-expires_on", "-pk")
        )
        context["current_entries"] = [entry for entry in entries if entry.is_current(today)]
        context["expired_entries"] = [entry for entry in entries if not entry.is_current(today)]
        return context


class ExchangeEntryFormPage(ExchangePage, FormPage):
    form_class = ExchangeEntryForm

    def form_valid(self, form):
        entry = form.save(commit=False)
        entry.partnership = self.partnership
        services.save_exchange_entry(entry=entry, by=self.request.user)
        return self.saved()


class ExchangeEntryCreateView(ExchangeEntryFormPage, CreateView):
    page_title = gettext_lazy("Nowy wpis w giełdzie zasobów")
    success_message = gettext_lazy("Dodano wpis do giełdy zasobów.")


class ExchangeEntryEditView(ObjectPage, ExchangeEntryFormPage, UpdateView):
    edited_model = ExchangeEntry

    @property
    def page_title(self):
        return _("Wpis: %(title)s") % {"title": self.object.title}


class ExchangeEntryRenewView(ObjectPage, ExchangePage, ConfirmPage, TemplateView):
    edited_model = ExchangeEntry
    submit_label = gettext_lazy("Odnów wpis")

    @property
    def page_title(self):
        return _("Odnowić „%(title)s”?") % {"title": self.object.title}

    @property
    def question(self):
        renewed = services.renewed_expiry(self.object, timezone.localdate())
        return _("Wpis będzie aktualny do %(date)s.") % {"date": date_format(renewed, "j E Y")}

    def perform(self):
        services.renew_exchange_entry(entry=self.object, by=self.request.user)
        self.success_message = _("Odnowiono wpis – jest aktualny do %(date)s.") % {
            "date": date_format(self.object.expires_on, "j E Y")
        }


class ExchangeEntryWithdrawView(ObjectPage, ExchangePage, ConfirmPage, TemplateView):
    edited_model = ExchangeEntry
    submit_label = gettext_lazy("Wycofaj z giełdy")
    success_message = gettext_lazy("Wycofano wpis – nie ma go już na giełdzie; możesz go tu odnowić.")
    question = gettext_lazy("Wpis zniknie z giełdy od razu. Zostanie na liście wpisów partnerstwa i można go odnowić.")

    @property
    def page_title(self):
        return _("Wycofać „%(title)s”?") % {"title": self.object.title}

    def perform(self):
        services.withdraw_exchange_entry(entry=self.object, by=self.request.user)


class ExchangeDigestView(LoginRequired, FormPage, FormView):
    """The weekly e-mail of the exchange's new entries: on or off, for coordinators and staff (anyone else: 404)."""

    form_class = ExchangeDigestForm
    page_title = gettext_lazy("Przegląd giełdy zasobów e-mailem")
    lead = gettext_lazy(
        "Raz w tygodniu e-mail z wpisami, które inne partnerstwa dodały do giełdy zasobów w minionym tygodniu."
    )

    def load(self):
        if not may_see_all_entries(self.request.user):
            raise Http404

    def get_initial(self):
        return {"subscribed": ExchangeDigestSubscription.objects.filter(user=self.request.user).exists()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, lead=self.lead, back_url=reverse("exchange"))
        return context

    def form_valid(self, form):
        subscribed = form.cleaned_data["subscribed"]
        services.set_exchange_digest(user=self.request.user, subscribed=subscribed)
        if subscribed:
            messages.success(self.request, _("Zapisano: co tydzień wyślemy Ci nowe wpisy giełdy."))
        else:
            messages.success(self.request, _("Zapisano: nie wysyłamy Ci przeglądu giełdy."))
        return HttpResponseRedirect(reverse("account:exchange_digest"))
