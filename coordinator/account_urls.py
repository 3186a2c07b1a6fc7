"""Accounts under /konto/: log in and out, change or reset the password, accept an invitation.

Django's own auth views with the site's Polish templates (templates/registration/); the password reset with
a limit per address (account_views.py). Logins are throttled by django-axes (settings: AXES_*). Two-step
verification: second_factor.py; its code pages are the only ones a session without its second factor sees with
its account (`second_factor_page`, common/otp.py).
"""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.otp import second_factor_page

from . import second_factor
from .account_views import InvitationAcceptView, ThrottledPasswordResetView
from .exchange import ExchangeDigestView
from .forms import LoginForm

app_name = "account"

urlpatterns = [
    path(
        _("logowanie/"),
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path(_("wyloguj/"), auth_views.LogoutView.as_view(), name="logout"),
    path(
        _("haslo/zmiana/"),
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("account:password_change_done")),
        name="password_change",
    ),
    path(_("haslo/zmienione/"), auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        _("haslo/reset/"),
        ThrottledPasswordResetView.as_view(
            success_url=reverse_lazy("account:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(_("haslo/reset/wyslany/"), auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        _("haslo/reset/<uidb64>/<token>/"),
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("account:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(_("haslo/reset/gotowe/"), auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(_("zaproszenie/<str:token>/"), InvitationAcceptView.as_view(), name="invitation"),
    path(_("weryfikacja/"), second_factor_page(second_factor.SecondFactorView.as_view()), name="second_factor"),
    path(
        _("weryfikacja/aplikacja/"),
        second_factor_page(second_factor.SecondFactorSetupView.as_view()),
        name="second_factor_setup",
    ),
    path(
        _("weryfikacja-dwuetapowa/"),
        second_factor.SecondFactorSettingsView.as_view(),
        name="second_factor_settings",
    ),
    path(_("gielda-przeglad/"), ExchangeDigestView.as_view(), name="exchange_digest"),
]
