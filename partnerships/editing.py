"""The pages that edit one partnership's data: the mixins the coordinator area's views are made of.

Each page fetches what its URL names through the one rule, `Model.objects.editable_by(user,
partnership)` (404 for anyone without the right; anonymous visitors go to the login page),
saves in one transaction with the edited row locked, and uses the shared form templates.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import PublicationForm
from common.otp import second_factor_redirect

from .models import Partnership


def partnership_url(partnership, anchor=""):
    url = reverse("coordinator:partnership", kwargs={"slug": partnership.slug})
    return f"{url}#{anchor}" if anchor else url


class LoginRequired:
    """Anonymous visitors go to the login page (and come back after logging in); a session that has not passed its
    second factor goes to the code page (common/otp.py)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return second_factor_redirect(request) or redirect_to_login(request.get_full_path())
        self.load()
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        """Fetch what the URL names, through the gatekeeper (404 when not allowed)."""


class PartnershipPage(LoginRequired):
    """A page of one editable partnership: `self.partnership` (404 for anyone without the right)."""

    page_title = ""
    lead = ""
    anchor = ""

    def load(self):
        self.partnership = get_object_or_404(
            Partnership.objects.editable_by(self.request.user), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            partnership=self.partnership,
            page_title=self.page_title,
            lead=self.lead,
            back_url=partnership_url(self.partnership, self.anchor),
        )
        return context

    def get_success_url(self):
        return partnership_url(self.partnership, self.anchor)


class ObjectPage(PartnershipPage):
    """A page of one object of the partnership, found through its gatekeeper; locked while saving."""

    edited_model = None  # e.g. Place: its rows are fetched from `Place.objects.editable_by(user, partnership)`

    def load(self):
        super().load()
        editable = self.edited_model.objects.editable_by(self.request.user, self.partnership)
        self.object = get_object_or_404(editable, pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        if self.request.method == "POST":
            return type(self.object)._default_manager.select_for_update().get(pk=self.object.pk)
        return self.object

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.object = self.get_object()
            return super().post(request, *args, **kwargs)


class PartnershipObjectPage(PartnershipPage):
    """The partnership itself is the edited object."""

    def load(self):
        super().load()
        self.object = self.partnership

    def get_object(self, queryset=None):
        if self.request.method == "POST":
            return Partnership.objects.select_for_update().get(pk=self.partnership.pk)
        return self.partnership

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.object = self.partnership = self.get_object()
            return super().post(request, *args, **kwargs)


class FormPage:
    """The shared form template and its wording."""

    template_name = "coordinator/form.html"
    submit_label = gettext_lazy("Zapisz")
    success_message = gettext_lazy("Zapisano zmiany.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submit_label"] = self.submit_label
        return context

    def saved(self):
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def refuse(self, form, error):
        """A model rule checked by the service (e.g. an overlap) refused the save: show it on the form."""
        form.add_error(None, error)
        return self.form_invalid(form)


def publication_context(*, new, published, notice=""):
    """The submit buttons of a form whose object may stay a draft (coordinator/partials/publication.html).

    The first button keeps the object as it is (it is the one Enter presses): a new or draft object stays a draft.
    """
    draft = (PublicationForm.DRAFT, gettext_lazy("Zapisz jako szkic") if new else gettext_lazy("Zapisz szkic"))
    publish = (PublicationForm.PUBLISH, gettext_lazy("Opublikuj"))
    if published:
        buttons = [(PublicationForm.PUBLISH, gettext_lazy("Zapisz")), (PublicationForm.DRAFT, gettext_lazy("Ukryj"))]
    else:
        buttons = [draft, publish]
    return {"new": new, "draft": not published, "notice": notice, "buttons": buttons}


class DraftOrPublish:
    """A form page of something that may stay a draft (an event, an organisation): its submit buttons say "save as
    a draft" or "publish" (or, once published, "save" or "hide") and set `is_published`; the page says when the
    object is a draft, with the view's `draft_notice` (where a draft of its kind is not shown). Who may publish is
    who may edit: the page fetched the object through its gatekeeper."""

    def form_valid(self, form):
        choice = PublicationForm(self.request.POST)
        if not choice.is_valid():
            form.add_error(None, choice.errors["publication"].as_data())
            return self.form_invalid(form)
        self.was_new = form.instance.pk is None
        self.was_published = not self.was_new and form.instance.is_published
        self.publishes = form.instance.is_published = choice.publishes()
        return super().form_valid(form)

    def saved(self):
        """The page's own message ("Dodano wydarzenie.", "Zapisano zmiany.") unless the state says more."""
        if self.publishes and not self.was_published and not self.was_new:
            self.success_message = _("Opublikowano – od teraz widać to publicznie.")
        elif not self.publishes:
            self.success_message = (
                _("Ukryto – nie widać tego publicznie; zostaje w szkicach.")
                if self.was_published
                else _("Zapisano szkic – nie widać go publicznie, dopóki go nie opublikujesz.")
            )
        return super().saved()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = getattr(self, "object", None)
        new = obj is None or obj.pk is None
        published = getattr(self, "was_published", not new and obj.is_published)
        notice = getattr(self, "draft_notice", "")
        context["publication"] = publication_context(new=new, published=published, notice=notice)
        return context


class ConfirmPage(FormPage):
    """GET asks, POST does `perform()` (also usable without JavaScript)."""

    template_name = "coordinator/confirm.html"
    question = ""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.perform()
        return self.saved()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["question"] = self.question
        return context
