"""The coordinator area's pages of good practices: a partnership's practices, the form that tells one, sending it
for publication (or publishing it, where staff allow the partnership to), hiding it, deleting a draft, and its photos.

Every page fetches the practice through its gatekeeper, `Practice.objects.editable_by(user, partnership)` (404 for
anyone else); publishing also needs `Practice.may_publish` (staff, or the partnership's coordinators when staff set
`Partnership.publishes_practices`). Writes go through practices/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from common.forms import PublicationForm
from partnerships.editing import ConfirmPage, DraftOrPublish, FormPage, ObjectPage, PartnershipPage
from practices import services
from practices.forms import PhotoForm, PracticeForm
from practices.models import Practice


def list_url(partnership):
    return reverse("coordinator:practice_list", kwargs={"slug": partnership.slug})


class PracticesSection:
    """A page under the partnership's practices: "back" and "done" lead to their list."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.get_success_url()
        return context

    def get_success_url(self):
        return list_url(self.partnership)


class PracticeListView(PartnershipPage, TemplateView):
    template_name = "coordinator/practices.html"
    page_title = gettext_lazy("Dobre praktyki")
    lead = gettext_lazy(
        "Opiszcie, jak coś zrobiliście, żeby inne partnerstwa mogły z tego skorzystać. Praktyka jest szkicem, dopóki "
        "nie zostanie opublikowana."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practices"] = list(
            Practice.objects.editable_by(self.request.user, self.partnership)
            .annotate(photo_count=Count("photos"))
            .order_by("is_published", "-updated_at", "-pk")
        )
        context["may_publish"] = Practice(partnership=self.partnership).may_publish(self.request.user)
        return context


# --- the form ---------------------------------------------------------------------------------------------------


class PracticeSaving(PracticesSection, FormPage):
    """Saves what DraftOrPublish decided: publishing and hiding go through their services (who may, and when)."""

    @cached_property
    def may_publish(self):
        return Practice(partnership=self.partnership).may_publish(self.request.user)

    def form_valid(self, form):
        practice = form.save(commit=False)
        publishes_now = practice.is_published and not self.was_published
        hides_now = self.was_published and not practice.is_published
        practice.is_published = self.was_published
        if publishes_now and not self.may_publish:
            form.add_error(
                None, _("Dobre praktyki tego partnerstwa publikują pracownicy BORIS: zapisz szkic i wyślij go.")
            )
            return self.form_invalid(form)
        by, cleaned = self.request.user, form.cleaned_data
        with transaction.atomic():
            services.save_practice(
                practice=practice,
                by=by,
                topics=cleaned["topics"],
                organisations=cleaned["organisations"],
                partner_partnerships=cleaned["partner_partnerships"],
            )
            if publishes_now:
                services.publish_practice(practice=practice, by=by)
            elif hides_now:
                services.unpublish_practice(practice=practice, by=by)
        self.object = practice
        return self.saved()

    def saved(self):
        if not self.publishes and not self.was_published and not self.may_publish:
            self.success_message = _("Zapisano szkic. Kiedy będzie gotowy, wyślij go do publikacji.")
        return super().saved()


class PracticeFormPage(DraftOrPublish, PracticeSaving):
    """The practice's form in fieldsets, with "Zapisz szkic" (and "Opublikuj" for who may publish), or, once
    published, "Zapisz" and "Ukryj"."""

    form_class = PracticeForm
    template_name = "coordinator/practice_form.html"

    @property
    def draft_notice(self):
        if self.may_publish:
            return _("Tej praktyki nie widać publicznie. Opublikuj ją, kiedy będzie gotowa.")
        return _("Tej praktyki nie widać publicznie. Kiedy będzie gotowa, wyślij ją do publikacji z listy praktyk.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publication = context["publication"]
        if publication["draft"] and not self.may_publish:  # sending for publication is the list's button
            publication["buttons"] = [b for b in publication["buttons"] if b[0] != PublicationForm.PUBLISH]
        context["may_publish"] = self.may_publish
        return context


class PracticeCreateView(PracticeFormPage, PartnershipPage, CreateView):
    page_title = gettext_lazy("Opisz dobrą praktykę")
    success_message = gettext_lazy("Dodano dobrą praktykę.")


class PracticeEditView(PracticeFormPage, ObjectPage, UpdateView):
    edited_model = Practice

    @property
    def page_title(self):
        return _("Dobra praktyka: %(title)s") % {"title": self.object.title}


# --- sending, publishing, hiding, deleting -------------------------------------------------------------------


class PracticeActionPage(PracticesSection, ObjectPage, ConfirmPage, TemplateView):
    """A confirmation page of one change of the practice's state. When the practice is no longer in the state the
    change needs (`for_published`; someone did it meanwhile), GET and POST go back to the list saying `out_of_state`."""

    edited_model = Practice
    for_published = False
    out_of_state = gettext_lazy("Ta praktyka jest już opublikowana.")

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            self.object = self.get_object()
            return self.refused() or ConfirmPage.post(self, request, *args, **kwargs)

    def refused(self):
        if self.object.is_published == self.for_published:
            return None
        messages.error(self.request, self.out_of_state)
        return HttpResponseRedirect(self.get_success_url())

    @property
    def page_title(self):
        return self.title % {"title": self.object.title}


class PracticeSubmitView(PracticeActionPage):
    title = gettext_lazy("Wyślij do publikacji: %(title)s")
    submit_label = gettext_lazy("Wyślij do publikacji")
    success_message = gettext_lazy(
        "Wysłano do publikacji. Pracownicy BORIS dostali wiadomość; do publikacji możesz praktykę dalej poprawiać."
    )
    question = gettext_lazy(
        "Pracownicy BORIS dostaną wiadomość, sprawdzą praktykę i ją opublikują. Do tego czasu możesz ją poprawiać."
    )

    def perform(self):
        services.submit_practice(practice=self.object, by=self.request.user, url_for=self.request.build_absolute_uri)


class PracticePublishView(PracticeActionPage):
    title = gettext_lazy("Opublikuj: %(title)s")
    submit_label = gettext_lazy("Opublikuj")
    success_message = gettext_lazy("Opublikowano – od teraz widać to publicznie.")
    question = gettext_lazy("Praktykę zobaczą wszyscy odwiedzający stronę sieci.")

    def load(self):
        super().load()
        if not self.object.may_publish(self.request.user):
            raise Http404

    def perform(self):
        services.publish_practice(practice=self.object, by=self.request.user)


class PracticeHideView(PracticeActionPage):
    for_published = True
    out_of_state = gettext_lazy("Ta praktyka nie jest opublikowana.")
    title = gettext_lazy("Ukryj: %(title)s")
    submit_label = gettext_lazy("Ukryj")
    success_message = gettext_lazy("Ukryto – nie widać tego publicznie; zostaje w szkicach.")
    question = gettext_lazy(
        "Praktyki nie będzie na stronach sieci; wróci do szkiców. Żeby znów ją pokazać, trzeba ją opublikować."
    )

    def perform(self):
        services.unpublish_practice(practice=self.object, by=self.request.user)


class PracticeDeleteView(PracticeActionPage):
    out_of_state = services.PUBLISHED_NOT_DELETED
    title = gettext_lazy("Usunąć szkic „%(title)s”?")
    submit_label = gettext_lazy("Usuń szkic")
    success_message = gettext_lazy("Usunięto szkic dobrej praktyki.")
    question = gettext_lazy("Szkic i jego zdjęcia znikną na zawsze; w historii zmian zostanie ślad, kto go usunął.")

    def perform(self):
        services.delete_draft(practice=self.object, by=self.request.user)


# --- photos -----------------------------------------------------------------------------------------------------


def photos_url(partnership, practice):
    return reverse("coordinator:practice_photos", kwargs={"slug": partnership.slug, "pk": practice.pk})


class PracticePhotosView(ObjectPage, FormPage, FormView):
    """The practice's photos, each with "Usuń", and the form that adds one (at most services.MAX_PHOTOS)."""

    edited_model = Practice
    form_class = PhotoForm
    template_name = "coordinator/practice_photos.html"
    submit_label = gettext_lazy("Dodaj zdjęcie")
    success_message = gettext_lazy("Dodano zdjęcie.")

    @property
    def page_title(self):
        return _("Zdjęcia: %(title)s") % {"title": self.object.title}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "practice": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            practice=self.object,
            photos=list(self.object.photos.all()),
            limit=services.MAX_PHOTOS,
            back_url=list_url(self.partnership),
        )
        return context

    def form_valid(self, form):
        try:
            services.add_photo(
                practice=self.object,
                image=form.cleaned_data["image_file"],
                alt=form.cleaned_data["alt"],
                caption=form.cleaned_data["caption"],
                by=self.request.user,
            )
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()

    def get_success_url(self):
        return photos_url(self.partnership, self.object)


class PracticePhotoRemoveView(ObjectPage, ConfirmPage, TemplateView):
    edited_model = Practice
    submit_label = gettext_lazy("Usuń zdjęcie")
    success_message = gettext_lazy("Usunięto zdjęcie.")

    def load(self):
        super().load()
        self.photo = get_object_or_404(self.object.photos.all(), pk=self.kwargs["photo"])

    @property
    def page_title(self):
        return _("Usunąć zdjęcie „%(alt)s”?") % {"alt": self.photo.alt}

    @property
    def question(self):
        return _("Zdjęcie zniknie z praktyki „%(title)s”.") % {"title": self.object.title}

    def perform(self):
        services.remove_photo(photo=self.photo, by=self.request.user)

    def get_success_url(self):
        return photos_url(self.partnership, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["back_url"] = self.get_success_url()
        return context
