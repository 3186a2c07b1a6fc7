"""One log line per request, and the request's id on every log record written while it is served.

`RequestLogMiddleware` is the outermost middleware (settings.MIDDLEWARE): it takes the id from the
`X-Request-ID` header the proxy sends (nginx: `proxy_set_header X-Request-ID $request_id;`) when that
is a short safe token, else makes one, answers it in the response's `X-Request-ID` header and writes
one line to the `wspl.request` logger when the response is ready: method, path, status and duration.
Being outermost it sees a page served from the page cache (common/cache/pages.py) like any other, and
the header it adds is never part of what that cache stores.

`RequestIdFilter`, on the log handler (settings.LOGGING), puts the id and path of the request being
served on every record that reaches the handler, whichever logger wrote it, by a context variable:
threads and async code each see their own request. Django logs a 4xx or 5xx response once the
middleware has returned it; that record carries the request itself, and the id is read from it.
"""

import contextvars
import logging
import re
import time
import uuid

# What the proxy may give as the id: it goes into a response header and every log line, so no spaces, no line
# breaks, nothing long.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

current = contextvars.ContextVar("wspl_request", default=None)  # (request id, path) while a request is served

access_log = logging.getLogger("wspl.request")


def request_id_from(header):
    """The id a request is logged under: the proxy's when it is a safe short token, else a new one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` and `path` to every record written while a request is served (left out otherwise)."""

    def filter(self, record):
        served = current.get()
        request = getattr(record, "request", None)  # Django's `django.request` records
        if served is None and hasattr(request, "request_id"):
            served = (request.request_id, request.path)
        if served is not None:
            record.request_id, path = served
            if not hasattr(record, "path"):
                record.path = path
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = current.set((request_id, request.path))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current.reset(token)
