"""How often one client may do something: a counter per key in the default cache, for the forms the public can send.

`client_ip(request)` says whose address a request comes from (also django-axes': AXES_CLIENT_IP_CALLABLE, through
coordinator/account_views.py). `count_within(key, window)` counts one more request under `key` and returns how
many there were in the window: the counter lives in the default cache (shared by all processes with Redis), starts
with the first request and is gone when the window (a timedelta) ends. The password reset and the partnerships'
contact form use it.
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
    """One more request under `key`: how many there have been since the window began (this one included)."""
    seconds = int(window.total_seconds())
    key = f"throttle:{key}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        return 1
