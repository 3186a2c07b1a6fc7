"""How long a staff member's session lasts: STAFF_SESSION_IDLE without a request, STAFF_SESSION_MAX after login.

Staff reach every account and every partnership through the admin, so their sessions are short; a
coordinator's lasts SESSION_COOKIE_AGE (14 days) like any other. For an authenticated staff member the
session keeps the login time and the time of the last request (seconds since the epoch). When either
limit has passed, the request logs the person out and goes to the login page with "Sesja wygasła –
zaloguj się ponownie." (and the address they asked for as `next`).

The times are written at login (`stamp_login`, on Django's user_logged_in signal) and then at most once a
minute (SEEN_EVERY), so a staff member's clicks do not each cost a write and the idle limit counts from the
last request to within a minute (it may end that much early, never late). A session made before these times
were kept counts from the account's last login (`User.last_login`). Each write also sets
the session's expiry to the time left plus STAFF_SESSION_IDLE: the browser and the session store forget
it on their own a little after its end, and until then a staff member who comes back is told why they
have to log in again rather than finding the login page unannounced.

Visitors without a session cookie are let through without reading the session, and coordinators'
sessions are never touched.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LOGIN_AT = "staff_session_login_at"
SEEN_AT = "staff_session_seen_at"
SEEN_EVERY = 60  # seconds between writes of the last request's time


def staff_session_times(session, user, now):
    """The login time and the last request's time of a staff member's session, as seconds since the epoch."""
    if LOGIN_AT in session:
        return session[LOGIN_AT], session.get(SEEN_AT, session[LOGIN_AT])
    logged_in_at = int(user.last_login.timestamp()) if user.last_login is not None else now
    return logged_in_at, logged_in_at


def stamp_login(sender, request, user, **kwargs):
    """At a staff member's login (user_logged_in): the session's own login time, not the account's, which a
    later login elsewhere would move."""
    if user.is_staff and request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT], request.session[SEEN_AT] = now, now


class StaffSessionTimeoutMiddleware:
    """Ends a staff member's session after STAFF_SESSION_IDLE without a request or STAFF_SESSION_MAX after login.

    Right after AuthenticationMiddleware and MessageMiddleware (the message needs it), before anything else
    reads the user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)  # nobody is logged in: the session is not even read
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return self.get_response(request)
        idle, longest = settings.STAFF_SESSION_IDLE.total_seconds(), settings.STAFF_SESSION_MAX.total_seconds()
        now = int(time.time())
        login_at, seen_at = staff_session_times(request.session, user, now)
        if now - seen_at >= idle or now - login_at >= longest:
            logout(request)
            messages.warning(request, _("Sesja wygasła – zaloguj się ponownie."))
            return redirect_to_login(request.get_full_path())
        if now - seen_at >= SEEN_EVERY:
            request.session[LOGIN_AT], request.session[SEEN_AT] = login_at, now
            ends_at = min(now + idle, login_at + longest)
            request.session.set_expiry(int(ends_at - now + idle))
        return self.get_response(request)
