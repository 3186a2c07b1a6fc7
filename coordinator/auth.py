"""Signing in with an e-mail address as well as a login.

Logins of invited coordinators are not their e-mail addresses (they are shown in the coordinator area and the
history), yet the address is what people remember. django-axes' backend stays first in AUTHENTICATION_BACKENDS,
so a locked-out address is refused before any password is checked.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """The account with this e-mail address (case ignored), when exactly one account has it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or "@" not in username or password is None:
            return None
        accounts = list(get_user_model().objects.filter(email__iexact=username)[:2])
        if len(accounts) != 1:
            return None
        account = accounts[0]
        if account.check_password(password) and self.user_can_authenticate(account):
            return account
        return None
