"""The site's pages for a refused request: a form refused by Django's CSRF check (settings.CSRF_FAILURE_VIEW) and,
once wired as `handler400` in the root URLconf, the 400 page of a request Django found suspicious; and, as
`handler500`, the page of a server error (503 when the database is out of reach).

The usual causes of a CSRF failure are harmless: the page with the form was open so long that its token no longer
matches, or the browser refuses the site's cookies. The visitor gets a Polish page in the site's layout with a link
to open the form again; Django's reason stays out of the page (Django logs it to `django.security.csrf`).
"""

import sys

from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse


def csrf_failure(request, reason=""):
    # The address the form was sent to is, for the site's forms, the page that shows it: opening it again (GET)
    # gives a fresh form. A path that would name another host ('//…') never becomes the link.
    retry_url = request.path if not request.path.startswith(("//", "/\\")) else reverse("home")
    return render(request, "403_csrf.html", {"retry_url": retry_url}, status=403)


def bad_request(request, exception):
    """templates/400.html, as Django's own bad_request renders it, except for a Host header not in ALLOWED_HOSTS:
    then the layout gets no request, since every use of it (absolute links, language links) would raise again and
    turn the 400 into a server error."""
    if isinstance(exception, DisallowedHost):
        request = None
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


# What a database out of reach raises (refused or lost connection, a timeout): the site is down for a while, not broken.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """templates/500.html without the request and its context processors (which would read the user, from the
    database): the Polish "Coś poszło nie tak", or, when the error being handled is the database out of reach,
    "Serwis jest chwilowo niedostępny" with status 503 and a Retry-After. Django calls it while handling the
    error (the traceback goes to the `django.request` log), so the error is sys.exception()."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("500.html", {"unavailable": True}), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
