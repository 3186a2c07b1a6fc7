"""The coordinator area's pages for events: add, change, cancel and duplicate an event of a partnership, answer
another partnership's invitation to co-organise one, and the dates of a series: cancel, skip or move one date, and
undo that."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, TemplateView, UpdateView, View

from partnerships.editing import DraftOrPublish, FormPage, ObjectPage, PartnershipPage

from . import forms, recurrence, services
from .models import CoOrganiserInvitation, Event, Occurrence


def dates_url(partnership, event):
    return reverse("coordinator:event_dates", kwargs={"slug": partnership.slug, "pk": event.pk})


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
        self.object = services.save_event(
            event=form.save(commit=False),
            partnership=self.partnership,
            co_organisers=form.cleaned_data["co_organisers"],
            image=form.uploads()["image"],
            by=self.request.user,
            url_for=self.request.build_absolute_uri,
        )
        return self.saved()

    def saved(self):
        """A series is shown in words after saving, and its dates come next (to cancel, skip or move one)."""
        if self.object.recurrence:
            series = _("Cykl: %(summary)s.") % {
                "summary": recurrence.summary(self.object.recurrence, self.object.start)
            }
            self.success_message = f"{self.success_message} {series}"
            super().saved()
            return HttpResponseRedirect(dates_url(self.partnership, self.object))
        return super().saved()


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


# --- the dates of a series --------------------------------------------------------------------


class EventDatesView(ObjectPage, TemplateView):
    """Every date of a series with what was done to it, and the buttons to cancel, skip, move or restore one."""

    edited_model = Event
    template_name = "coordinator/event_dates.html"
    anchor = "wydarzenia"
    http_method_names = ["get", "head"]  # each change has a page (or a button) of its own

    @property
    def page_title(self):
        return _("Terminy cyklu: %(title)s") % {"title": self.object.title}

    @property
    def lead(self):
        if not self.object.recurrence:
            return _("To wydarzenie ma jeden termin.")
        return _("Cykl: %(summary)s.") % {"summary": recurrence.summary(self.object.recurrence, self.object.start)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            event=self.object,
            dates=list(self.object.occurrences.order_by("original_start", "pk")),
            edit_url=reverse("coordinator:event_edit", kwargs={"slug": self.partnership.slug, "pk": self.object.pk}),
        )
        return context


class OccurrencePage(ObjectPage):
    """A page of one date of a series of the partnership (404 for a date of another event, or of a single event)."""

    edited_model = Event
    anchor = "wydarzenia"

    def load(self):
        super().load()
        if not self.object.recurrence:
            raise Http404
        self.occurrence = get_object_or_404(Occurrence.objects.filter(event=self.object), pk=self.kwargs["date"])
        self.occurrence.event = self.object

    def when(self):
        return date_format(timezone.localtime(self.occurrence.original_start), "j E Y, H:i")

    @property
    def lead(self):
        return self.object.title

    def get_success_url(self):
        return f"{dates_url(self.partnership, self.object)}#termin-{self.occurrence.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = dates_url(self.partnership, self.object)
        return context


class OccurrenceFormPage(OccurrencePage, FormPage, FormView):
    """A form that changes one date through a service; `title` names the page with the date ("Odwołaj termin …")."""

    title = ""

    @property
    def page_title(self):
        return self.title % {"when": self.when()}

    def change(self, form):
        """Do the change through the service (it raises ValidationError to refuse)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.change(form)
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()


class OccurrenceReasonPage(OccurrenceFormPage):
    """Cancel or skip one date, with a reason (required for a cancellation, which shows it publicly)."""

    form_class = forms.OccurrenceReasonForm
    reason_required = False
    reason_help = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(required=self.reason_required, help_text=self.reason_help)
        return kwargs


class OccurrenceCancelView(OccurrenceReasonPage):
    title = gettext_lazy("Odwołaj termin %(when)s")
    submit_label = gettext_lazy("Odwołaj ten termin")
    success_message = gettext_lazy("Termin jest odwołany; na stronie wydarzenia widać powód.")
    reason_required = True
    reason_help = gettext_lazy(
        "Pokażemy go przy tym terminie, np. „choroba prowadzącej”. Pozostałe terminy się nie zmienią."
    )

    def change(self, form):
        services.cancel_occurrence(occurrence=self.occurrence, reason=form.cleaned_data["reason"], by=self.request.user)


class OccurrenceSkipView(OccurrenceReasonPage):
    title = gettext_lazy("Pomiń termin %(when)s")
    submit_label = gettext_lazy("Pomiń ten termin")
    success_message = gettext_lazy("Termin jest pominięty: nie ma go w kalendarzach ani na stronach wydarzeń.")
    reason_help = gettext_lazy(
        "Nieobowiązkowe; widać go tylko tutaj, np. „ferie”. Pominięty termin znika z kalendarzy bez "
        "ogłaszania odwołania – jeśli ktoś może na niego przyjść, lepiej go odwołać."
    )

    def change(self, form):
        services.skip_occurrence(occurrence=self.occurrence, reason=form.cleaned_data["reason"], by=self.request.user)


class OccurrenceMoveView(OccurrenceFormPage):
    form_class = forms.OccurrenceMoveForm
    title = gettext_lazy("Przenieś termin %(when)s")
    submit_label = gettext_lazy("Przenieś ten termin")
    success_message = gettext_lazy("Termin jest przeniesiony; na stronie wydarzenia widać, z jakiego dnia.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["occurrence"] = self.occurrence
        return kwargs

    def change(self, form):
        services.move_occurrence(occurrence=self.occurrence, start=form.start(), by=self.request.user)


class OccurrenceRestoreView(OccurrencePage, View):
    """ "Przywróć" in the list of dates (POST): the date is again as the series says."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.restore_occurrence(occurrence=self.occurrence, by=request.user)
        messages.success(request, _("Termin %(when)s znowu odbywa się według planu cyklu.") % {"when": self.when()})
        return HttpResponseRedirect(self.get_success_url())
