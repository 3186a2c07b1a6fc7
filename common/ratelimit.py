"""How often one client may do something: a counter per key in the shared cache.

Used where a form sends e-mail on a stranger's word: the password reset (coordinator/account_views.py), the request
for BORIS's support (directory/support.py) and the partnerships' contact form (directory/contact.py, per address
and per e-mail). `client_ip` is also django-axes' idea of the client's address (AXES_CLIENT_IP_CALLABLE), so the
login throttling and these limits count the same address.
"""

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address.

    Behind the proxy, that is whenever the site trusts the proxy's X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER,
    set with debug off), the address nginx appended last to X-Forwarded-For: the entries before it are whatever
    the client sent. Without a proxy the header is the client's own words and is ignored.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.SECURE_PROXY_SSL_HEADER else ""
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")


def count_within(key, window):
    """One more request under `key`: how many there have been since the window began (this one included).

    A counter in the default cache (shared by all processes with Redis), started by the first request and gone when
    the window (a timedelta) ends; it is not moved on by later requests.
    """
    seconds = int(window.total_seconds())
    key = f"throttle:{key}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        return 1


def over_limit(action, request, *, limit, window):
    """Count this request of the client's address for `action`; True once it is past `limit` in the `window`."""
    return count_within(f"{action}-requests:{client_ip(request)}", window) > limit
