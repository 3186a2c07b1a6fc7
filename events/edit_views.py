"""The coordinator area's pages for events: add, change, cancel and duplicate an event of a partnership, and
answer another partnership's invitation to co-organise one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, UpdateView, View

from partnerships.editing import DraftOrPublish, FormPage, ObjectPage, PartnershipPage

from . import forms, services
from .models import CoOrganiserInvitation, Event


class EventFormMixin(FormPage):
    form_class = forms.EventForm
    anchor = "wydarzenia"
    draft_notice = gettext_lazy(
        "Tego wydarzenia nie widać na stronach, w kalendarzach (iCal, RSS), na mapach, w wyszukiwarce ani w danych "
        "otwartych. Opublikuj je, kiedy będzie gotowe."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["partnership"] = self.partnership
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        services.save_event(
            event=form.save(commit=False),
            partnership=self.partnership,
            co_organisers=form.cleaned_data["co_organisers"],
            image=form.uploads()["image"],
            by=self.request.user,
            url_for=self.request.build_absolute_uri,
        )
        return self.saved()


class EventCreateView(PartnershipPage, DraftOrPublish, EventFormMixin, CreateView):
    page_title = gettext_lazy("Nowe wydarzenie")
    success_message = gettext_lazy("Dodano wydarzenie.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Event()
        return kwargs


class EventEditView(ObjectPage, DraftOrPublish, EventFormMixin, UpdateView):
    edited_model = Event

    @property
    def page_title(self):
        return _("Wydarzenie: %(title)s") % {"title": self.object.title}


class EventCancelView(ObjectPage, FormPage, FormView):
    edited_model = Event
    form_class = forms.EventCancelForm
    anchor = "wydarzenia"
    submit_label = gettext_lazy("Odwołaj wydarzenie")
    success_message = gettext_lazy("Wydarzenie jest odwołane; na jego stronie widać powód.")
    lead = gettext_lazy("Wydarzenie zostanie na stronie z informacją, że jest odwołane, i z powodem.")

    @property
    def page_title(self):
        return _("Odwołaj: %(title)s") % {"title": self.object.title}

    def form_valid(self, form):
        try:
            services.cancel_event(event=self.object, reason=form.cleaned_data["reason"], by=self.request.user)
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()


class EventDuplicateView(ObjectPage, FormPage, FormView):
    edited_model = Event
    form_class = forms.EventDuplicateForm
    anchor = "wydarzenia"
    submit_label = gettext_lazy("Utwórz kopię")
    success_message = gettext_lazy("Utworzono kopię wydarzenia w nowym terminie. Sprawdź ją poniżej.")
    lead = gettext_lazy(
        "Kopia ma ten sam opis, miejsce, organizatorów i długość; zdjęcie trzeba dodać osobno. Partnerstwa, które "
        "nie przyjęły jeszcze zaproszenia do współorganizacji, zaprosisz do kopii w jej formularzu."
    )

    @property
    def page_title(self):
        return _("Powiel: %(title)s") % {"title": self.object.title}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["event"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            self.copy = services.duplicate_event(event=self.object, start=form.start(), by=self.request.user)
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()

    def get_success_url(self):
        return reverse("coordinator:event_edit", kwargs={"slug": self.partnership.slug, "pk": self.copy.pk})


class CoOrganiserAnswerView(ObjectPage, View):
    """ "Akceptuj" / "Odrzuć" (POST) on an invitation to co-organise an event, by the invited partnership: found only
    through `CoOrganiserInvitation.objects.editable_by(user, partnership)`, so the inviting side and anyone else
    get a 404."""

    edited_model = CoOrganiserInvitation
    http_method_names = ["post"]
    anchor = "wspolorganizacja"
    answer = None  # services.accept_co_organiser_invitation or services.decline_co_organiser_invitation
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:
            self.answer(invitation=self.object, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message % {"title": self.object.event.title})
        return HttpResponseRedirect(self.get_success_url())


class CoOrganiserAcceptView(CoOrganiserAnswerView):
    answer = staticmethod(services.accept_co_organiser_invitation)
    success_message = gettext_lazy(
        "Zaakceptowano: partnerstwo jest współorganizatorem wydarzenia „%(title)s” i widać je na jego stronach."
    )


class CoOrganiserDeclineView(CoOrganiserAnswerView):
    answer = staticmethod(services.decline_co_organiser_invitation)
    success_message = gettext_lazy("Odrzucono zaproszenie do współorganizacji wydarzenia „%(title)s”.")
