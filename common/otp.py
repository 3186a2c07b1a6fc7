"""The second factor (django-otp): who must pass it, and what a session that has not passed it may do.

Every staff account must pass it, and so must any account with a confirmed authenticator app (a coordinator who
turned it on): `needs_second_factor`. A session passes it when django-otp has verified one of the account's
devices in it (`user.is_verified()`, OTPMiddleware; the pages of coordinator/second_factor.py ask for the code).

Until then the session gets nothing more than an anonymous visitor: `SecondFactorMiddleware` (after
OTPMiddleware) shows every page to it as to a visitor who is not logged in, drafts, edit links and the account's
links included, except the pages that ask for the code (views marked with `second_factor_page`). The two places
that need an account, the admin (BackofficeSite.admin_view) and the coordinator area (LoginRequired), send such a
session to OTP_LOGIN_URL with the page it asked for as `next` (`second_factor_redirect`), not to the login page.

Visitors without a session cookie are let through without reading the session. A verified session costs the one
query of OTPMiddleware (its device); an unverified account without staff rights one query for its authenticator.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_authenticator(user):
    """The account has a confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def needs_second_factor(user):
    """Staff always; anyone else once they have confirmed an authenticator app."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or has_authenticator(user)


def second_factor_missing(user):
    """A signed-in account that must pass the second factor and has not in this session (OTPMiddleware's user)."""
    return user.is_authenticated and not user.is_verified() and needs_second_factor(user)


def second_factor_page(view):
    """Marks a view that a session without its second factor sees with its account: the pages asking for it."""
    view.second_factor_page = True
    return view


def second_factor_redirect(request):
    """For a session that has not passed its second factor (SecondFactorMiddleware): the redirect to the code page,
    which then leads to this page; None for everyone else."""
    if getattr(request, "second_factor_user", None) is None:
        return None
    return redirect_to_login(request.get_full_path(), login_url=settings.OTP_LOGIN_URL)


class SecondFactorMiddleware:
    """Right after django-otp's OTPMiddleware: a session that has not passed its second factor sees every page,
    but those marked with `second_factor_page`, as an anonymous visitor; its account stays in
    `request.second_factor_user` for `second_factor_redirect`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or getattr(view_func, "second_factor_page", False):
            return None
        if second_factor_missing(request.user):
            request.second_factor_user = request.user
            request.user = AnonymousUser()
        return None
