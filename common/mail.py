"""E-mail off the request path: one background task sends every message the site writes.

`queue_email(...)` queues a message once the current transaction is committed, so a rolled-back change sends
nothing and the worker never reads a row that is not there yet. The message is rendered before it is queued: the
queue holds its text only. The worker (`manage.py db_worker`, settings.TASKS) sends it through EMAIL_BACKEND.

When the mail server fails (refuses, cannot be reached, times out), the task queues itself again for later, at
RETRY_DELAYS, with the number of the attempt: the attempt that hands the message on ends "successful", and its
return value says it was not sent and why. When the last attempt fails too, the task ends FAILED, with the error:
staff see those in the admin ("Zadania w tle") and on the dashboard's "Wymaga uwagi". A backend that cannot run a
task later (the immediate one of development and the tests) does not retry: its first failure is final.
"""

import functools
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# After the first attempt: 1, 5 and 30 minutes, 2 and 6 hours later, about 8.5 hours in all.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


@task()
def send_email_task(*, subject, body, to, from_email=None, html_body=None, reply_to=None, attempt=1):
    """Send one message (to a list of addresses); on a mail-server failure, queue the next attempt."""
    message = EmailMultiAlternatives(subject, body, from_email, to, reply_to=reply_to or None)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send()
    except OSError as error:  # smtplib.SMTPException is an OSError too, as are refused connections and time-outs
        if attempt > len(RETRY_DELAYS) or not send_email_task.get_backend().supports_defer:
            raise
        retry_at = timezone.now() + RETRY_DELAYS[attempt - 1]
        send_email_task.using(run_after=retry_at).enqueue(
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html_body=html_body,
            reply_to=reply_to,
            attempt=attempt + 1,
        )
        logger.warning("E-mail to %s not sent (attempt %d), retry at %s: %r", to, attempt, retry_at, error)
        return {"sent": False, "error": repr(error), "retry_at": retry_at.isoformat()}
    return {"sent": True}


def queue_email(subject, body, to, *, from_email=None, html_body=None, reply_to=()):
    """Send a message from the worker once the current transaction is committed (at once outside a transaction).

    `reply_to`: the addresses a reply goes to (e.g. the visitor who wrote through a partnership's contact form).
    """
    transaction.on_commit(
        functools.partial(
            send_email_task.enqueue,
            subject=subject,
            body=body,
            to=list(to),
            from_email=from_email,
            html_body=html_body,
            reply_to=list(reply_to),
            attempt=1,
        )
    )
