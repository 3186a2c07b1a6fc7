"""The coordinator area ("Moje partnerstwa", under /moje/): edit screens of a partnership.

Every view fetches its objects only through the one rule, `Model.objects.editable_by(user, partnership)`: the
partnership in the URL must be editable by the user, and the object (membership, role,
person, place, event, organisation) must belong to that partnership. Anyone else gets a
404, for GET and POST alike; anonymous visitors are sent to the login page. Writes go
through the domain apps' `services.py`. POSTs run in one transaction with the edited row locked, and the
forms refuse stale versions (no lost updates).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, FormView, TemplateView, UpdateView, View

from common.forms import PublicationForm
from common.history import RevertError, revert_change
from common.markdown import render_markdown
from common.words import match_words, split_words
from events.models import CoOrganiserInvitation, Event
from members import services as member_services
from members.forms import ProposalDecisionForm
from members.models import Membership, Organisation, OrganisationChangeProposal, PartnershipRole, Person
from members.queries import proposed_changes
from partnerships import services as partnership_services
from partnerships.editing import (
    ConfirmPage,
    DraftOrPublish,
    FormPage,
    LoginRequired,
    ObjectPage,
    PartnershipObjectPage,
    PartnershipPage,
    publication_context,
)
from partnerships.models import ContactMessage, CoordinatorAccess, Invitation, Partnership, Place

from . import forms, permissions
from .history import BY_KEY, UNDOABLE, change_log, editable

NOT_VERIFIED_FOR = timedelta(days=183)
SEARCH_RESULTS = 20


# --- the mixins every page uses ------------------------------------------------------------


class StaffOnly(LoginRequired):
    def load(self):
        if not permissions.can_manage_coordinators(self.request.user):
            raise Http404


# --- "Moje partnerstwa" -------------------------------------------------------------------


def attention_points(partnership, today):
    """What needs the coordinator's attention on one partnership (short Polish phrases)."""
    points = []
    if partnership.has_draft_events:
        points.append(_("szkice wydarzeń czekają na publikację"))
    if partnership.has_draft_organisations:
        points.append(_("szkice organizacji czekają na publikację"))
    if not partnership.has_upcoming_events:
        points.append(_("brak zapowiedzianych wydarzeń"))
    if partnership.last_verified_on is None:
        points.append(_("dane nigdy nie zostały potwierdzone"))
    elif partnership.last_verified_on < today - NOT_VERIFIED_FOR:
        points.append(_("dane niepotwierdzone od ponad pół roku"))
    if not partnership.logo:
        points.append(_("brak logo"))
    if not partnership.description:
        points.append(_("brak opisu"))
    if not (partnership.contact_email or partnership.contact_phone):
        points.append(_("brak kontaktu (e-mail lub telefon)"))
    undescribed = [
        str(label) for key, label in Partnership.CONDITIONS if not getattr(partnership, f"condition_{key}_note")
    ]
    if undescribed:
        points.append(_("nieopisane warunki: %(list)s") % {"list": ", ".join(undescribed)})
    return points


def co_organiser_invitations(user, partnership=None, now=None):
    """The invitations to co-organise an event that `user` answers for their partnerships (or for one of them)."""
    return list(CoOrganiserInvitation.objects.editable_by(user, partnership).to_answer(now).for_list())


class DashboardView(LoginRequired, TemplateView):
    template_name = "coordinator/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        events = Event.objects.filter(organisers=OuterRef("pk"), is_published=True).upcoming(now)
        draft_events = Event.objects.filter(organisers=OuterRef("pk"), is_published=False)
        draft_organisations = Membership.objects.current().filter(
            partnership=OuterRef("pk"), organisation__is_published=False
        )
        partnerships = list(
            Partnership.objects.editable_by(self.request.user)
            .annotate(
                has_upcoming_events=Exists(events),
                has_draft_events=Exists(draft_events),
                has_draft_organisations=Exists(draft_organisations),
            )
            .order_by("sort_name")
        )
        today = timezone.localdate()
        waiting = proposals_waiting(partnerships)
        for partnership in partnerships:
            partnership.proposals_waiting = waiting.get(partnership.pk, 0)
        context["rows"] = [(p, attention_points(p, today)) for p in partnerships]
        context["is_staff"] = permissions.can_manage_coordinators(self.request.user)
        # Staff answer for the whole network in the admin; a coordinator sees those of their partnerships here.
        context["co_organiser_invitations"] = [] if context["is_staff"] else co_organiser_invitations(self.request.user)
        return context


class PartnershipHomeView(PartnershipPage, TemplateView):
    """One partnership: every part with its edit links."""

    template_name = "coordinator/partnership.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p, user, now = self.partnership, self.request.user, timezone.now()
        memberships = list(
            Membership.objects.editable_by(user, p)
            .select_related("organisation")
            .order_by("organisation__sort_name", "-since")
        )
        roles = list(
            PartnershipRole.objects.editable_by(user, p)
            .select_related("person", "organisation")
            .order_by("role", "person__sort_name")
        )
        events = Event.objects.editable_by(user, p).select_related("place").with_invitation_answers()
        context.update(
            current_members=[m for m in memberships if m.is_current],
            former_members=[m for m in memberships if not m.is_current],
            # Organisations shared with partnerships this coordinator does not edit: their data are staff's to change.
            editable_organisations=set(Organisation.objects.editable_by(user, p).values_list("pk", flat=True)),
            current_roles=[r for r in roles if r.until is None or r.until >= timezone.localdate()],
            former_roles=[r for r in roles if r.until is not None and r.until < timezone.localdate()],
            places=list(Place.objects.editable_by(user, p).select_related("district").order_by("sort_name")),
            upcoming_events=list(events.upcoming(now)),
            past_events=list(events.past(now)[:10]),
            coordinators=list(p.coordinator_accesses.select_related("user").order_by("granted_at")),
            attention=attention_points(self._with_flags(p, events, memberships, now), timezone.localdate()),
            co_organiser_invitations=co_organiser_invitations(user, p, now),
        )
        context.update(proposal_context(user, p, PROPOSALS_ON_PARTNERSHIP_PAGE))
        context.update(contact_message_context(user, p, CONTACT_MESSAGES_ON_PARTNERSHIP_PAGE))
        return context

    @staticmethod
    def _with_flags(partnership, events, memberships, now):
        """What the dashboard annotates (DashboardView), for one partnership."""
        partnership.has_upcoming_events = events.filter(is_published=True).upcoming(now).exists()
        partnership.has_draft_events = events.filter(is_published=False).exists()
        partnership.has_draft_organisations = any(m.is_current and not m.organisation.is_published for m in memberships)
        return partnership


# --- the partnership's profile, images, verification, history ------------------------------


class PartnershipEditView(PartnershipObjectPage, FormPage, UpdateView):
    form_class = forms.PartnershipProfileForm
    template_name = "coordinator/partnership_form.html"
    page_title = gettext_lazy("Profil partnerstwa")
    success_message = gettext_lazy("Zapisano profil partnerstwa.")

    def form_valid(self, form):
        if "preview" in self.request.POST:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    preview_description=render_markdown(form.cleaned_data.get("description")),
                    preview_goals=render_markdown(form.cleaned_data.get("goals")),
                    previewing=True,
                )
            )
        partnership_services.update_partnership(form=form, by=self.request.user)
        return self.saved()


class PartnershipImagesView(PartnershipObjectPage, FormPage, UpdateView):
    form_class = forms.PartnershipImagesForm
    page_title = gettext_lazy("Logo i zdjęcie")
    lead = gettext_lazy("Logo pokazujemy obok nazwy, zdjęcie na górze strony partnerstwa.")
    success_message = gettext_lazy("Zapisano logo i zdjęcie.")

    def form_valid(self, form):
        partnership_services.update_partnership_images(
            partnership=form.save(commit=False), uploads=form.uploads(), by=self.request.user
        )
        return self.saved()


class PartnershipVerifyView(PartnershipObjectPage, ConfirmPage, TemplateView):
    page_title = gettext_lazy("Potwierdzam aktualność danych")
    question = gettext_lazy(
        "Sprawdziłam/sprawdziłem profil, członków, zespół, miejsca i wydarzenia partnerstwa – są aktualne. "
        "Na stronie partnerstwa pokażemy dzisiejszą datę potwierdzenia."
    )
    submit_label = gettext_lazy("Potwierdzam aktualność danych")
    success_message = gettext_lazy("Dziękujemy! Dane partnerstwa są potwierdzone na dziś.")

    def perform(self):
        partnership_services.confirm_partnership_data(partnership=self.object, by=self.request.user)


class PartnershipHistoryView(PartnershipPage, TemplateView):
    template_name = "coordinator/history.html"
    page_title = gettext_lazy("Historia zmian")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = change_log(self.partnership, self.request.user)
        return context


class ChangeUndoView(PartnershipPage, View):
    """ "Cofnij tę zmianę" on the history page (POST): sets back only the fields of that change that nobody changed
    since, and only those the coordinator area edits (common.history.revert_change). A change of anything the user
    may not edit (now) is a 404, like every edit page."""

    http_method_names = ["post"]

    def load(self):
        super().load()
        self.model = BY_KEY.get(self.kwargs["kind"])
        if self.model is None:
            raise Http404
        objects = editable(self.model, self.request.user, self.partnership).values("pk")
        self.record = get_object_or_404(self.model.history.filter(id__in=objects), history_id=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        try:
            done = revert_change(record=self.record, by=request.user, fields=UNDOABLE[self.model])
        except RevertError as error:
            messages.error(request, str(error))
        else:
            first, *rest = done.messages()
            (messages.success if done.fields else messages.warning)(request, first)
            for line in rest:
                messages.warning(request, line)
        return HttpResponseRedirect(reverse("coordinator:partnership_history", kwargs={"slug": self.partnership.slug}))


# --- members ------------------------------------------------------------------------------


class MembershipAddView(PartnershipPage, FormPage, FormView):
    """Search the directory (diacritics ignored), pick an organisation, set its role and dates."""

    template_name = "coordinator/membership_add.html"
    page_title = gettext_lazy("Dodaj organizację członkowską")
    anchor = "czlonkowie"
    submit_label = gettext_lazy("Dodaj do partnerstwa")
    success_message = gettext_lazy("Dodano organizację do partnerstwa.")

    @cached_property
    def search_form(self):
        return forms.OrganisationSearchForm(self.request.GET or None)

    @cached_property
    def organisations(self):
        """The directory's published organisations and the user's own drafts: another partnership's draft is
        neither found nor added (it would then be shared, and its coordinators could no longer publish it)."""
        own = Organisation.objects.editable_by(self.request.user).values("pk")
        return Organisation.objects.filter(Q(is_published=True) | Q(pk__in=own))

    @cached_property
    def chosen(self):
        pk = self.request.POST.get("organisation") or self.request.GET.get("organizacja")
        if pk and str(pk).isdigit():
            return self.organisations.filter(pk=pk).first()
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["partnership"] = self.partnership
        if self.chosen is not None:
            kwargs.setdefault("initial", {})["organisation"] = self.chosen.pk
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["organisation"].queryset = self.organisations
        return form

    def get_form_class(self):
        return forms.NewMembershipForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = []
        # The site's one word rule (common/words.py): words shorter than three letters are left out.
        typed = split_words(self.search_form.cleaned_data["q"]) if self.search_form.is_valid() else None
        if typed:
            organisations = match_words(self.organisations, typed)
            results = list(organisations.select_related("district").order_by("sort_name")[:SEARCH_RESULTS])
        current = set(self.partnership.memberships.current().values_list("organisation_id", flat=True))
        context.update(search_form=self.search_form, results=results, current_ids=current, chosen=self.chosen)
        return context

    def form_valid(self, form):
        try:
            member_services.add_member(
                membership=form.save(commit=False), partnership=self.partnership, by=self.request.user
            )
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()


class MembershipNewOrganisationView(PartnershipPage, FormPage, TemplateView):
    """A new organisation, created on the spot, joins the partnership (both saved or neither)."""

    page_title = gettext_lazy("Nowa organizacja w partnerstwie")
    lead = gettext_lazy(
        "Jeśli organizacji nie ma jeszcze w katalogu, wpisz jej dane – dodamy ją i zapiszemy jako członka."
    )
    anchor = "czlonkowie"
    submit_label = gettext_lazy("Dodaj organizację")
    success_message = gettext_lazy("Dodano nową organizację do katalogu i do partnerstwa.")

    def get_forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        return (
            forms.OrganisationForm(data, files, prefix="org"),
            forms.MembershipStartForm(data, prefix="membership", instance=Membership(partnership=self.partnership)),
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(all_forms=self.get_forms()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["publication"] = publication_context(new=True, published=False)
        return context

    def post(self, request, *args, **kwargs):
        organisation_form, membership_form = all_forms = self.get_forms()
        choice = PublicationForm(request.POST)
        if organisation_form.is_valid() and not choice.is_valid():
            organisation_form.add_error(None, choice.errors["publication"].as_data())
        if organisation_form.is_valid() and membership_form.is_valid():
            organisation = organisation_form.save(commit=False)
            organisation.is_published = choice.publishes()
            # One organisation, one page: one that looks like it already in the directory is offered first; a
            # coordinator who still adds it says why, and the reason stays in its history.
            duplicates = Organisation.objects.public().likely_duplicates(name=organisation.name, krs=organisation.krs)
            check = forms.NotADuplicateForm(request.POST, prefix="dup") if duplicates else None
            if check is not None and not check.is_valid():
                context = self.get_context_data(all_forms=(*all_forms, check), duplicates=duplicates)
                return self.render_to_response(context)
            try:
                member_services.add_new_member(
                    organisation=organisation,
                    membership=membership_form.save(commit=False),
                    partnership=self.partnership,
                    logo=organisation_form.cleaned_data.get("logo_file"),
                    by=request.user,
                    reason=check.cleaned_data["reason"].strip() if check else "",
                )
            except ValidationError as error:
                membership_form.add_error(None, error)
            else:
                if not organisation.is_published:
                    self.success_message = _(
                        "Dodano organizację do partnerstwa jako szkic: nie widać jej publicznie. Opublikujesz ją "
                        "w „Dane organizacji” na liście członków."
                    )
                return self.saved()
        return self.render_to_response(self.get_context_data(all_forms=all_forms))


class MembershipEditView(ObjectPage, FormPage, UpdateView):
    edited_model = Membership
    form_class = forms.MembershipForm
    anchor = "czlonkowie"

    @property
    def page_title(self):
        return _("Członkostwo: %(name)s") % {"name": self.object.organisation.name}

    def form_valid(self, form):
        member_services.save_record(record=form.save(commit=False), by=self.request.user)
        return self.saved()


class EndPeriodPage(ObjectPage, FormPage, FormView):
    """End a membership or a role on a day; the row stays as history."""

    form_class = forms.EndPeriodForm
    submit_label = gettext_lazy("Zakończ")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["since"] = self.object.since
        return kwargs

    def form_valid(self, form):
        try:
            member_services.end_period(record=self.object, until=form.cleaned_data["until"], by=self.request.user)
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()


class MembershipEndView(EndPeriodPage):
    edited_model = Membership
    anchor = "czlonkowie"
    lead = gettext_lazy("Organizacja zostanie na stronie jako dawny członek – historia się nie gubi.")
    success_message = gettext_lazy("Zakończono członkostwo. Organizacja jest teraz na liście dawnych członków.")

    @property
    def page_title(self):
        return _("Koniec członkostwa: %(name)s") % {"name": self.object.organisation.name}


ORGANISATION_DRAFT_NOTICE = gettext_lazy(
    "Tej organizacji nie widać w katalogu organizacji, na stronie partnerstwa, w wyszukiwarce ani w danych "
    "otwartych. Opublikuj ją, kiedy jej dane będą gotowe."
)


class OrganisationFormPage(FormPage):
    def form_valid(self, form):
        member_services.save_organisation(
            organisation=form.save(commit=False), logo=form.uploads()["logo"], by=self.request.user
        )
        return self.saved()


class OrganisationEditView(ObjectPage, DraftOrPublish, OrganisationFormPage, UpdateView):
    """Only an organisation all of whose partnerships the coordinator edits is found here (the takeover rule of
    `Organisation.objects.editable_by`), so only such an organisation can be published or hidden by them."""

    edited_model = Organisation
    form_class = forms.OrganisationForm
    anchor = "czlonkowie"
    lead = gettext_lazy("Dane organizacji widać na jej stronie i na stronach wszystkich jej partnerstw.")
    draft_notice = ORGANISATION_DRAFT_NOTICE

    @property
    def page_title(self):
        return _("Organizacja: %(name)s") % {"name": self.object.name}


# --- proposed changes of shared organisations ---------------------------------------------

PROPOSALS_SHOWN = 50
PROPOSALS_ON_PARTNERSHIP_PAGE = 5


def proposals_to_decide(user, partnership):
    """The pending proposals `user` decides on `partnership`'s pages, the oldest first."""
    return (
        OrganisationChangeProposal.objects.decidable_by(user, partnership)
        .pending()
        .select_related("organisation", "partnership", "proposed_by")
        .order_by("created_at", "pk")
    )


def proposals_sent(partnership):
    """The proposals sent from `partnership`, the newest first."""
    return partnership.organisation_change_proposals.select_related("organisation", "decided_by").order_by(
        "-created_at", "-pk"
    )


def proposal_context(user, partnership, limit):
    """The proposals' part of a page: at most `limit` of each list, and whether there are more."""
    to_decide = list(proposals_to_decide(user, partnership)[: limit + 1])
    sent = list(proposals_sent(partnership)[: limit + 1])
    return {
        "to_decide": to_decide[:limit],
        "more_to_decide": len(to_decide) > limit,
        "sent": sent[:limit],
        "more_sent": len(sent) > limit,
    }


def proposals_waiting(partnerships):
    """{partnership id: how many pending proposals concern its current members and came from another partnership}
    for the dashboard, in one query."""
    today = timezone.localdate()
    member_of = "organisation__memberships__partnership"
    rows = (
        OrganisationChangeProposal.objects.pending()
        .filter(
            Q(organisation__memberships__until__isnull=True) | Q(organisation__memberships__until__gte=today),
            ~Q(partnership=F(member_of)),
            **{f"{member_of}__in": [partnership.pk for partnership in partnerships]},
        )
        .order_by()
        .values(member_of)
        .annotate(count=Count("pk", distinct=True))
    )
    return {row[member_of]: row["count"] for row in rows}


class OrganisationProposeView(PartnershipPage, FormPage, UpdateView):
    """A change of a member organisation that other partnerships share: the organisation form (without the logo),
    kept as a proposal for staff or the coordinators of its other partnerships (members.services). Whoever may edit
    the organisation directly is sent to its edit page."""

    form_class = forms.OrganisationProposalForm
    anchor = "czlonkowie"
    submit_label = gettext_lazy("Wyślij propozycję")

    def load(self):
        super().load()
        members = Organisation.objects.members_edited_by(self.request.user, self.partnership)
        self.object = get_object_or_404(members, pk=self.kwargs["pk"])
        editable = Organisation.objects.editable_by(self.request.user, self.partnership)
        self.may_edit = editable.filter(pk=self.object.pk).exists()

    def get_object(self, queryset=None):
        return self.object

    def get(self, request, *args, **kwargs):
        return self.edit_instead() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.edit_instead() or super().post(request, *args, **kwargs)

    def edit_instead(self):
        if self.may_edit:
            kwargs = {"slug": self.partnership.slug, "pk": self.object.pk}
            return HttpResponseRedirect(reverse("coordinator:organisation_edit", kwargs=kwargs))
        return None

    @property
    def page_title(self):
        return _("Propozycja zmiany: %(name)s") % {"name": self.object.name}

    @cached_property
    def deciders(self):
        """The names of the organisation's other current partnerships, whose coordinators decide."""
        return list(
            Partnership.objects.filter(memberships__in=self.object.memberships.current())
            .exclude(pk=self.partnership.pk)
            .distinct()
            .order_by("sort_name")
            .values_list("name", flat=True)
        )

    @property
    def lead(self):
        return _(
            "Ta organizacja należy też do innych partnerstw (%(names)s), więc jej dane zmieniasz przez propozycję. "
            "Zapiszemy tylko pola, które zmienisz; organizacja zmieni się dopiero po akceptacji. Logo organizacji "
            "zmieniają pracownicy BORIS – nie ma go w propozycji."
        ) % {"names": ", ".join(self.deciders) or "–"}

    def form_valid(self, form):
        try:
            member_services.propose_organisation_change(
                organisation=self.object, partnership=self.partnership, values=form.cleaned_data, by=self.request.user
            )
        except ValidationError as error:
            return self.refuse(form, error)
        self.success_message = _(
            "Wysłano propozycję zmiany. Zmiany pojawią się po akceptacji przez koordynatorów partnerstw: "
            "%(names)s albo przez pracowników BORIS."
        ) % {"names": ", ".join(self.deciders) or "–"}
        return self.saved()

    def get_success_url(self):
        return reverse("coordinator:proposal_list", kwargs={"slug": self.partnership.slug})


class ProposalListView(PartnershipPage, TemplateView):
    """Proposals waiting for this coordinator's decision, and those sent from the partnership with their outcome."""

    template_name = "coordinator/proposals.html"
    page_title = gettext_lazy("Propozycje zmian organizacji")
    anchor = "propozycje"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(proposal_context(self.request.user, self.partnership, PROPOSALS_SHOWN))
        return context


class ProposalDecideView(PartnershipPage, FormPage, FormView):
    """One proposal, field by field (then → now → proposed), with "Przyjmij" and "Odrzuć" while it waits; for the
    coordinators of the organisation's other partnerships (and staff): `decidable_by`, else 404."""

    template_name = "coordinator/proposal.html"
    form_class = ProposalDecisionForm
    anchor = "propozycje"

    def load(self):
        super().load()
        proposals = OrganisationChangeProposal.objects.decidable_by(self.request.user, self.partnership)
        self.proposal = get_object_or_404(
            proposals.select_related("organisation", "partnership", "proposed_by", "decided_by"), pk=self.kwargs["pk"]
        )

    @property
    def page_title(self):
        return str(self.proposal)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposal": self.proposal}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(proposal=self.proposal, changes=proposed_changes(self.proposal))
        if not self.proposal.is_pending:
            context["form"] = None
        return context

    def post(self, request, *args, **kwargs):
        if not self.proposal.is_pending:
            messages.error(request, _("Tę propozycję ktoś już rozpatrzył."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        said = form.decide(by=self.request.user)
        if said is None:
            return self.form_invalid(form)
        for level, text in said:
            getattr(messages, level)(self.request, text)
        return HttpResponseRedirect(reverse("coordinator:proposal_list", kwargs={"slug": self.partnership.slug}))


# --- messages from the contact form ("Wiadomości od mieszkańców") --------------------------------

CONTACT_MESSAGES_SHOWN = 100
CONTACT_MESSAGES_ON_PARTNERSHIP_PAGE = 3


def contact_message_context(user, partnership, limit):
    """The newest `limit` messages to the partnership, whether there are more, and how many wait to be handled."""
    rows = ContactMessage.objects.readable_by(user, partnership)
    found = list(rows.select_related("handled_by")[: limit + 1])
    return {
        "contact_messages": found[:limit],
        "more_contact_messages": len(found) > limit,
        "unhandled_contact_messages": rows.filter(handled_at__isnull=True).count(),
    }


class ContactMessageListView(PartnershipPage, TemplateView):
    """What visitors wrote through "Dołącz / Skontaktuj się" on the partnership's page, newest first."""

    template_name = "coordinator/contact_messages.html"
    page_title = gettext_lazy("Wiadomości od mieszkańców")
    anchor = "wiadomosci"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(contact_message_context(self.request.user, self.partnership, CONTACT_MESSAGES_SHOWN))
        context["shown_limit"] = CONTACT_MESSAGES_SHOWN
        return context


class ContactMessageHandleView(PartnershipPage, View):
    """ "Oznacz jako załatwioną" (POST): for the partnership's coordinators and staff, a message of that partnership."""

    http_method_names = ["post"]

    def load(self):
        super().load()
        messages_of = ContactMessage.objects.readable_by(self.request.user, self.partnership)
        self.message = get_object_or_404(messages_of, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        partnership_services.mark_contact_message_handled(message=self.message, by=request.user)
        messages.success(request, _("Oznaczono wiadomość jako załatwioną."))
        return HttpResponseRedirect(reverse("coordinator:contact_messages", kwargs={"slug": self.partnership.slug}))


# --- team ---------------------------------------------------------------------------------


class TeamAddView(PartnershipPage, FormPage, TemplateView):
    page_title = gettext_lazy("Dodaj osobę do zespołu")
    anchor = "zespol"
    submit_label = gettext_lazy("Dodaj do zespołu")
    success_message = gettext_lazy("Dodano osobę do zespołu.")

    def get_forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        return (
            forms.TeamAddForm(data, prefix="role", partnership=self.partnership),
            forms.PersonForm(data, files, prefix="person"),
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(all_forms=self.get_forms()))

    def post(self, request, *args, **kwargs):
        role_form, person_form = all_forms = self.get_forms()
        if role_form.is_valid():
            existing = role_form.cleaned_data.get("existing_person")
            if existing is not None or person_form.is_valid():
                try:
                    member_services.add_team_member(
                        partnership=self.partnership,
                        role=role_form.save(commit=False),
                        person=existing or person_form.save(commit=False),
                        photo=None if existing else person_form.cleaned_data.get("photo_file"),
                        consent_how="" if existing else person_form.cleaned_data.get("consent", ""),
                        by=request.user,
                    )
                except ValidationError as error:
                    role_form.add_error(None, error)
                else:
                    return self.saved()
        else:
            person_form.is_valid()
        return self.render_to_response(self.get_context_data(all_forms=all_forms))


class RoleEditView(ObjectPage, FormPage, UpdateView):
    edited_model = PartnershipRole
    form_class = forms.RoleForm
    anchor = "zespol"

    @property
    def page_title(self):
        return _("Rola: %(name)s") % {"name": self.object.person.full_name}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["partnership"] = self.partnership
        return kwargs

    def form_valid(self, form):
        member_services.save_record(record=form.save(commit=False), by=self.request.user)
        return self.saved()


class RoleEndView(EndPeriodPage):
    edited_model = PartnershipRole
    anchor = "zespol"
    lead = gettext_lazy("Osoba zniknie z listy zespołu na stronie; w historii zostaje.")
    success_message = gettext_lazy("Zakończono rolę w zespole.")

    @property
    def page_title(self):
        return _("Koniec roli: %(name)s") % {"name": self.object.person.full_name}


class PersonEditView(ObjectPage, FormPage, UpdateView):
    edited_model = Person
    form_class = forms.PersonForm
    anchor = "zespol"
    lead = gettext_lazy("E-mail i telefon pokażemy na stronie tylko za zgodą tej osoby (zobacz niżej).")

    @property
    def page_title(self):
        return _("Osoba: %(name)s") % {"name": self.object.full_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consent"] = self.object.consents.filter(withdrawn_at__isnull=True).first()
        context["consent_form"] = forms.ConsentForm()
        return context

    def form_valid(self, form):
        member_services.save_person(person=form.save(commit=False), photo=form.uploads()["photo"], by=self.request.user)
        return self.saved()


class ConsentRecordView(ObjectPage, FormPage, FormView):
    """Record that the person consented to publishing their e-mail and phone (members.services.record_consent)."""

    edited_model = Person
    form_class = forms.ConsentForm
    anchor = "zespol"
    submit_label = gettext_lazy("Zapisz zgodę")
    success_message = gettext_lazy("Zapisano zgodę: e-mail i telefon tej osoby są teraz na stronie.")

    @property
    def page_title(self):
        return _("Zgoda na publikację kontaktu: %(name)s") % {"name": self.object.full_name}

    def form_valid(self, form):
        try:
            member_services.record_consent(person=self.object, how=form.cleaned_data["how"], by=self.request.user)
        except ValidationError as error:
            return self.refuse(form, error)
        return self.saved()


class ConsentWithdrawView(ObjectPage, ConfirmPage, TemplateView):
    edited_model = Person
    anchor = "zespol"
    submit_label = gettext_lazy("Wycofaj zgodę")
    success_message = gettext_lazy(
        "Wycofano zgodę: e-mail i telefon tej osoby zniknęły ze stron, kanałów i danych otwartych."
    )
    question = gettext_lazy("E-mail i telefon tej osoby znikną ze wszystkich stron, kanałów i plików danych otwartych.")

    @property
    def page_title(self):
        return _("Wycofaj zgodę: %(name)s") % {"name": self.object.full_name}

    def perform(self):
        member_services.withdraw_consent(person=self.object, by=self.request.user)


# --- places -------------------------------------------------------------------------------


class PlaceCreateView(PartnershipPage, FormPage, CreateView):
    form_class = forms.PlaceForm
    page_title = gettext_lazy("Nowe miejsce spotkań")
    anchor = "miejsca"
    success_message = gettext_lazy("Dodano miejsce spotkań.")

    def form_valid(self, form):
        partnership_services.save_place(
            place=form.save(commit=False), partnership=self.partnership, by=self.request.user
        )
        return self.saved()


class PlaceEditView(ObjectPage, FormPage, UpdateView):
    edited_model = Place
    form_class = forms.PlaceForm
    anchor = "miejsca"

    @property
    def page_title(self):
        return _("Miejsce: %(name)s") % {"name": self.object.name}

    def form_valid(self, form):
        partnership_services.save_place(
            place=form.save(commit=False), partnership=self.partnership, by=self.request.user
        )
        return self.saved()


class PlaceUnlinkView(ObjectPage, ConfirmPage, TemplateView):
    edited_model = Place
    anchor = "miejsca"
    submit_label = gettext_lazy("Usuń z listy miejsc spotkań")
    success_message = gettext_lazy("Miejsce nie jest już na liście miejsc spotkań partnerstwa.")

    @property
    def page_title(self):
        return _("Usunąć „%(name)s” z miejsc spotkań?") % {"name": self.object.name}

    @property
    def question(self):
        return _(
            "Miejsce zostaje w katalogu (mogą się tam odbywać wydarzenia), "
            "ale nie będzie na liście miejsc spotkań partnerstwa."
        )

    def perform(self):
        partnership_services.unlink_place(place=self.object, partnership=self.partnership, by=self.request.user)


# --- staff: invitations and rights ---------------------------------------------------------


RIGHTS_TRAIL_LENGTH = 30


class AccessListView(StaffOnly, FormPage, FormView):
    """Staff invite coordinators by e-mail and withdraw rights."""

    template_name = "coordinator/access_list.html"
    form_class = forms.InvitationForm
    submit_label = gettext_lazy("Wyślij zaproszenie")

    def get_initial(self):
        slug = self.request.GET.get("partnerstwo", "")
        valid = len(slug) <= 100 and slug_re.match(slug)
        partnership = Partnership.objects.filter(slug=slug).first() if valid else None
        return {"partnership": partnership.pk} if partnership else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accesses"] = list(
            CoordinatorAccess.objects.select_related("user", "partnership").order_by(
                "partnership__sort_name", "user__username"
            )
        )
        context["invitations"] = list(
            Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
            .select_related("partnership")
            .order_by("-created_at")
        )
        # Who granted and withdrew rights lately: a withdrawn right lives on in its history only.
        context["rights_trail"] = list(
            CoordinatorAccess.history.filter(history_type__in=["+", "-"])
            .select_related("user", "partnership", "history_user")
            .order_by("-history_date", "-history_id")[:RIGHTS_TRAIL_LENGTH]
        )
        return context

    def form_valid(self, form):
        partnership_services.invite_coordinator(
            email=form.cleaned_data["email"],
            partnership=form.cleaned_data["partnership"],
            by=self.request.user,
            url_for=self.request.build_absolute_uri,
        )
        messages.success(
            self.request,
            _("Wysłano zaproszenie na adres %(email)s (ważne 7 dni).") % {"email": form.cleaned_data["email"]},
        )
        return HttpResponseRedirect(reverse("coordinator:access_list"))


class AccessRevokeView(StaffOnly, ConfirmPage, TemplateView):
    submit_label = gettext_lazy("Odbierz uprawnienia")
    success_message = gettext_lazy("Odebrano uprawnienia do edycji.")

    def load(self):
        super().load()
        self.access = get_object_or_404(
            permissions.editable_accesses(self.request.user).select_related("user", "partnership"), pk=self.kwargs["pk"]
        )

    @property
    def page_title(self):
        return _("Odebrać uprawnienia?")

    @property
    def question(self):
        return _("Konto %(user)s nie będzie mogło edytować partnerstwa „%(partnership)s”.") % {
            "user": self.access.user.get_username(),
            "partnership": self.access.partnership.name,
        }

    def perform(self):
        partnership_services.revoke_access(access=self.access, by=self.request.user)

    def get_success_url(self):
        return reverse("coordinator:access_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, back_url=self.get_success_url())
        return context


class InvitationRevokeView(AccessRevokeView):
    submit_label = gettext_lazy("Wycofaj zaproszenie")
    success_message = gettext_lazy("Wycofano zaproszenie; link już nie działa.")

    def load(self):
        StaffOnly.load(self)
        self.invitation = get_object_or_404(Invitation.objects.select_related("partnership"), pk=self.kwargs["pk"])

    @property
    def page_title(self):
        return _("Wycofać zaproszenie?")

    @property
    def question(self):
        return _("Link wysłany na adres %(email)s (partnerstwo „%(partnership)s”) przestanie działać.") % {
            "email": self.invitation.email,
            "partnership": self.invitation.partnership.name,
        }

    def perform(self):
        partnership_services.revoke_invitation(invitation=self.invitation, by=self.request.user)
