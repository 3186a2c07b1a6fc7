"""Writes of the network app that do more than save a row: a request for BORIS's support, which tells staff."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.mail import queue_email

from .models import Facts, SupportRequest


def request_support(*, kind, partnership, name, email, message, language, url_for):
    """Keep a request for support and e-mail it to the network's address (Facts.contact_email) once committed.

    Without that address nothing is sent: staff still see the request in the admin and on the dashboard.
    `url_for(path)` makes the e-mail's link to the request in the admin absolute.
    """
    support_request = SupportRequest.objects.create(
        kind=kind, partnership=partnership, name=name, email=email, message=message, language=language
    )
    to = Facts.current().contact_email
    if to:
        context = {
            "request": support_request,
            "link": url_for(reverse("admin:network_supportrequest_change", args=[support_request.pk])),
        }
        # Staff read the admin in Polish, whatever the language of the page the request came from.
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("network/email/support_request_subject.txt", context).strip()
            body = render_to_string("network/email/support_request.txt", context)
        queue_email(subject, body, [to])
    return support_request


def mark_handled(*, requests, by):
    """Mark the requests not handled yet as handled by `by`, now; the number of those changed."""
    return requests.filter(handled_at__isnull=True).update(handled_at=timezone.now(), handled_by=by)
