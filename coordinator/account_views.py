"""Accepting an invitation to coordinate a partnership, and the limits on guessing passwords.

The rest of /konto/ is Django's auth views.

A person without an account sets a password here (their login is their e-mail address);
someone who already has an account logs in and accepts with one click. The link works
once and expires (see services.invite_coordinator).

Login throttling is django-axes (settings: AXES_*): `LoginThrottle` counts the failures of an
account and of an address, `locked_out` answers a refused login (429, in the site's or the
admin's look); common/ratelimit.py `client_ip` says whose address it is. Axes does not watch password resets:
`ThrottledPasswordResetView` limits how often one address may ask for the e-mail, which it queues.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db.models import Q, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from common.ratelimit import over_limit
from partnerships import services

from .forms import AcceptInvitationForm, QueuedPasswordResetForm


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
                login=form.cleaned_data["login"],
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.info(
            self.request,
            _("Twój login: %(login)s. Możesz też logować się adresem e-mail.") % {"login": user.get_username()},
        )
        return self.welcome()

    def welcome(self):
        messages.success(
            self.request,
            _("Witamy! Możesz teraz edytować partnerstwo „%(name)s”.") % {"name": self.invitation.partnership.name},
        )
        return HttpResponseRedirect(reverse("coordinator:dashboard"))


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler (AXES_HANDLER) with a limit for an account and a higher one for an address.

    Axes locks when `get_failures` reaches AXES_FAILURE_LIMIT, and stores each failure under the account, the
    address and the browser. Here the account's failures from anywhere count against AXES_FAILURE_LIMIT and
    the address's failures across accounts against LOGIN_IP_FAILURE_LIMIT, both since the cool-off began.
    """

    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        counts = AccessAttempt.objects.filter(
            attempt_time__gte=request.axes_attempt_time - settings.AXES_COOLOFF_TIME
        ).aggregate(
            account=Sum("failures_since_start", filter=Q(username=username), default=0),
            address=Sum("failures_since_start", filter=Q(ip_address=request.axes_ip_address), default=0),
        )
        if counts["address"] >= settings.LOGIN_IP_FAILURE_LIMIT:
            return max(counts["account"], settings.AXES_FAILURE_LIMIT)
        return counts["account"]

    def reset_user_attempts(self, request, credentials=None):
        """After a successful login (AXES_RESET_ON_SUCCESS): forget the account's failures, from anywhere.

        Not those of other accounts from the same address: logging in to one's own account must not
        give a guesser at someone else's a fresh count.
        """
        count, _deleted = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return count


def lockout_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, response, credentials):
    """The answer to a login refused for too many failures (AXES_LOCKOUT_CALLABLE): when to try again, status 429.

    The admin's login gets it in the admin's look (templates/admin/login.html), the site's in the account pages'.
    """
    if request.resolver_match is not None and request.resolver_match.app_name == "admin":
        context = {**admin.site.each_context(request), "title": _("Logowanie"), "lockout_minutes": lockout_minutes()}
        return render(request, "admin/login.html", context, status=429)
    return render(request, "registration/login_locked.html", {"lockout_minutes": lockout_minutes()}, status=429)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, which one address may ask for at most PASSWORD_RESET_IP_LIMIT times a window.

    A counter per address in the default cache (common/ratelimit.py), started by the first request and gone when
    the window (PASSWORD_RESET_IP_WINDOW) ends; past the limit, no e-mail and a 429.
    The e-mail is queued for the worker (QueuedPasswordResetForm), not sent during the request.
    """

    form_class = QueuedPasswordResetForm

    def post(self, request, *args, **kwargs):
        window = settings.PASSWORD_RESET_IP_WINDOW
        if over_limit("password-reset", request, limit=settings.PASSWORD_RESET_IP_LIMIT, window=window):
            context = {"window_minutes": int(window.total_seconds()) // 60}
            return render(request, "registration/password_reset_throttled.html", context, status=429)
        return super().post(request, *args, **kwargs)
