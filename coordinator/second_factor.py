"""Two-step verification under /konto/: setting up an authenticator app, the code after the password, turning it off.

Who must pass it is common/otp.py's rule: every staff account, and a coordinator who turned it on. The pages:

- `SecondFactorView` (OTP_LOGIN_URL): the code from the app, or one of the recovery codes, after the password.
  A session that must pass it is sent here from the admin and the coordinator area with the page it asked for as
  `next`, and goes there once the code is right (a `next` on another site is not followed). An account without a
  confirmed app goes on to the setup first.
- `SecondFactorSetupView`: the app's secret (in groups of four, as a link and as a QR code drawn as inline SVG),
  confirmed with a code; then ten recovery codes, shown once, and the session is verified.
- `SecondFactorSettingsView` ("Weryfikacja dwuetapowa" among the account's links): whether it is on; a coordinator
  may turn it on (the setup) or off, with a current code. Staff cannot turn it off.

Codes are checked by django-otp against the account's own devices (`django_otp.verify_token`), with its
throttling: after a wrong code the next try waits 1, 2, 4… seconds, and the page says until when. A wrong code
also counts as a failed login for django-axes (Django's user_login_failed signal), and a locked account gets the
lockout page instead of a check of its code: the second step lets no locked account in.
"""

from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.otp import has_authenticator, needs_second_factor
from partnerships.editing import LoginRequired

from .account_views import locked_out

RECOVERY_CODES = 10
APP_CODE_DIGITS = 6  # TOTPDevice's default
APP_NAME = "aplikacja uwierzytelniająca"  # the devices' names, seen by nobody but the database
RECOVERY_NAME = "kody zapasowe"


def readable_code(code):
    """A code or secret as it is typed: without spaces or hyphens, in lower case (recovery codes are)."""
    return "".join(code.split()).replace("-", "").lower()


def in_groups(secret, size=4):
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def qr_code_svg(text):
    """`text` as a QR code in an inline <svg> (qrcode's SVG path image): no image file, no script, no style."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    # The secret is on the page as text too: the drawing is hidden from screen readers.
    return mark_safe(svg.replace("<svg ", '<svg class="qr-code" aria-hidden="true" focusable="false" ', 1))


def destination(request, user):
    """`next` when it is a page of this site, else the account's start: the admin for staff, the coordinator area."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("admin:index") if user.is_staff else reverse("coordinator:dashboard")


class WaitBeforeNextCode(Exception):
    def __init__(self, until):
        self.until = until
        super().__init__(until)

    def message(self):
        when = time_format(timezone.localtime(self.until), "H:i:s")
        return _("Za dużo błędnych kodów. Spróbuj ponownie o %(time)s.") % {"time": when}


def check_code(request, user, code, devices, *, failure_counts=True):
    """The device of `devices` that accepts `code` (django-otp, its throttling included), or None; a wrong code
    counts as a failed login for django-axes unless `failure_counts` is off (setting up an app). WaitBeforeNextCode
    while django-otp holds the next try back."""
    for device in devices:
        allowed, why = device.verify_is_allowed()
        if not allowed:
            raise WaitBeforeNextCode(why.get("locked_until") or timezone.now())
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    if failure_counts:
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return None


def account_devices(user, code):
    """The confirmed devices a code may be for: six digits are the app's, anything else a recovery code."""
    if code.isdigit() and len(code) == APP_CODE_DIGITS:
        return TOTPDevice.objects.devices_for_user(user, confirmed=True)
    return StaticDevice.objects.devices_for_user(user, confirmed=True)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod z aplikacji uwierzytelniającej albo kod zapasowy"),
        max_length=40,
        error_messages={"required": gettext_lazy("Wpisz kod z aplikacji albo jeden z kodów zapasowych.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = readable_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(self.fields["code"].error_messages["required"], code="required")
        return code


class AppCodeForm(CodeForm):
    """The code of the app just set up: six digits."""

    code = forms.CharField(
        label=gettext_lazy("Kod z aplikacji"),
        max_length=20,
        error_messages={"required": gettext_lazy("Wpisz sześciocyfrowy kod, który pokazuje aplikacja.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = super().clean_code()
        if not (code.isdigit() and len(code) == APP_CODE_DIGITS):
            raise forms.ValidationError(
                _("Kod z aplikacji to sześć cyfr, np. 123456. Wpisz ten, który aplikacja pokazuje teraz."),
                code="format",
            )
        return code


class CodeCheck:
    """A form of one code field: a locked account (django-axes) gets the lockout page before its code is checked;
    `accepted_device` checks the code against `devices` and leaves the form's error when it is wrong or early."""

    wrong_code_message = ""
    failure_counts = True  # a wrong code counts as a failed login for django-axes

    def post(self, request, *args, **kwargs):
        credentials = {"username": request.user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request, None, credentials)
        return super().post(request, *args, **kwargs)

    def accepted_device(self, form, devices):
        user, code = self.request.user, form.cleaned_data["code"]
        try:
            device = check_code(self.request, user, code, devices, failure_counts=self.failure_counts)
        except WaitBeforeNextCode as wait:
            form.add_error("code", wait.message())
            return None
        if device is None:
            form.add_error("code", self.wrong_code_message)
        return device


class CodePage(CodeCheck, FormView):
    """A page of the second step: the account is the session's own (these views are marked `second_factor_page`)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = destination(self.request, self.request.user)
        return context

    def verified(self, device):
        """The session has passed its second factor with `device`: under a new session key, as after a login."""
        django_otp.login(self.request, device)
        self.request.session.cycle_key()


class SecondFactorView(CodePage):
    template_name = "registration/second_factor.html"
    form_class = CodeForm
    wrong_code_message = gettext_lazy(
        "Ten kod się nie zgadza albo już wygasł. Wpisz kod, który aplikacja pokazuje teraz, albo jeden z "
        "kodów zapasowych (każdy działa raz)."
    )

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.is_verified():
            return HttpResponseRedirect(destination(request, user))
        if user.is_authenticated and not has_authenticator(user):
            if not needs_second_factor(user):
                return HttpResponseRedirect(destination(request, user))
            return HttpResponseRedirect(self.with_next(reverse("account:second_factor_setup")))
        return super().dispatch(request, *args, **kwargs)

    def with_next(self, url):
        return f"{url}?{self.request.GET.urlencode()}" if self.request.GET else url

    def form_valid(self, form):
        user, code = self.request.user, form.cleaned_data["code"]
        device = self.accepted_device(form, account_devices(user, code))
        if device is None:
            return self.form_invalid(form)
        self.verified(device)
        if isinstance(device, StaticDevice):
            left = device.token_set.count()
            messages.warning(
                self.request,
                _("Użyto kodu zapasowego. Zostało kodów zapasowych: %(count)d.") % {"count": left},
            )
        return HttpResponseRedirect(destination(self.request, user))


class SecondFactorSetupView(CodePage):
    """An authenticator app for an account without one: staff at their first login, a coordinator who turns it on.

    The secret is an unconfirmed device of the account, kept until a code from the app confirms it (so reloading
    the page shows the same secret). An account that already has a confirmed app is sent to the code page (or, when
    this session has passed it, to the settings): replacing an app takes its removal by staff or turning it off.
    A wrong code here (a typo while setting up) is no failed login.
    """

    template_name = "registration/second_factor_setup.html"
    form_class = AppCodeForm
    failure_counts = False
    wrong_code_message = gettext_lazy(
        "Ten kod się nie zgadza. Sprawdź, czy aplikacja ma konto „WSPL” dodane z kodu na tej stronie, "
        "i wpisz kod, który pokazuje teraz."
    )

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and has_authenticator(user):
            target = "account:second_factor_settings" if user.is_verified() else "account:second_factor"
            return HttpResponseRedirect(reverse(target))
        return super().dispatch(request, *args, **kwargs)

    def get_device(self):
        user = self.request.user
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
        return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_device()
        secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
        context.update(secret=in_groups(secret), config_url=device.config_url, qr_code=qr_code_svg(device.config_url))
        return context

    def form_valid(self, form):
        device = self.accepted_device(form, [self.get_device()])
        if device is None:
            return self.form_invalid(form)
        codes = self.confirm(device)
        self.verified(device)
        context = {"codes": codes, "next": destination(self.request, self.request.user)}
        response = render(self.request, "registration/second_factor_codes.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @transaction.atomic
    def confirm(self, device):
        """The app confirmed; the account's other unconfirmed apps and old recovery codes go. The new codes."""
        user = self.request.user
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        StaticDevice.objects.devices_for_user(user).delete()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        return codes


class SecondFactorSettingsView(LoginRequired, CodeCheck, FormView):
    """Whether the account's two-step verification is on; a coordinator turns it off with a current code."""

    template_name = "registration/second_factor_settings.html"
    form_class = CodeForm
    wrong_code_message = gettext_lazy(
        "Ten kod się nie zgadza albo już wygasł. Weryfikacja dwuetapowa jest nadal włączona."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(is_on=has_authenticator(user), required=user.is_staff)
        return context

    def post(self, request, *args, **kwargs):
        if request.user.is_staff or not has_authenticator(request.user):
            return HttpResponseRedirect(request.path)  # nothing to turn off: the page says why
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user, code = self.request.user, form.cleaned_data["code"]
        if self.accepted_device(form, account_devices(user, code)) is None:
            return self.form_invalid(form)
        with transaction.atomic():
            TOTPDevice.objects.devices_for_user(user).delete()
            StaticDevice.objects.devices_for_user(user).delete()
        messages.success(self.request, _("Weryfikacja dwuetapowa jest wyłączona. Do logowania wystarczy hasło."))
        return HttpResponseRedirect(self.request.path)
