"""Accepting an invitation to coordinate a partnership (the rest of /konto/ is Django's auth views).

A person without an account sets a password here (their login is their e-mail address);
someone who already has an account logs in and accepts with one click. The link works
once and expires (see services.invite_coordinator).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from partnerships import services

from .forms import AcceptInvitationForm


class InvitationAcceptView(FormView):
    template_name = "registration/invitation_accept.html"
    form_class = AcceptInvitationForm

    @cached_property
    def invitation(self):
        return services.find_invitation(token=self.kwargs["token"])

    @cached_property
    def problem(self):
        return services.invitation_problem(self.invitation)

    @cached_property
    def existing_account(self):
        return services.account_for_email(self.invitation.email) if not self.problem else None

    @property
    def signed_in_as_invited(self):
        user = self.request.user
        return user.is_authenticated and self.existing_account is not None and user.pk == self.existing_account.pk

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["email"] = self.invitation.email if self.invitation else ""
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            invitation=self.invitation if not self.problem else None,
            problem=self.problem,
            existing_account=self.existing_account,
            signed_in_as_invited=self.signed_in_as_invited,
            login_url=f"{reverse('account:login')}?next={self.request.path}",
        )
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.problem:
            response.status_code = 410 if self.invitation is not None else 404
        return response

    def post(self, request, *args, **kwargs):
        if self.problem or (self.existing_account is not None and not self.signed_in_as_invited):
            return self.get(request, *args, **kwargs)
        if self.signed_in_as_invited:
            try:
                services.accept_invitation(invitation=self.invitation, user=request.user)
            except services.InvitationError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(request.path)
            return self.welcome()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            user = services.register_coordinator(
                invitation=self.invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        return self.welcome()

    def welcome(self):
        messages.success(
            self.request,
            _("Witamy! Możesz teraz edytować partnerstwo „%(name)s”.") % {"name": self.invitation.partnership.name},
        )
        return HttpResponseRedirect(reverse("coordinator:dashboard"))
