"""E-mail through the queue (common/mail.py): the worker sends it, and tries again when the mail server fails.

The worker tests start `manage.py db_worker` as its own process, on the test database, against a real SMTP server
on 127.0.0.1 (tests/mail_server.py), as production runs it. The rows must be committed for another process to see
them: those tests are transactional.
"""

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from common.mail import RETRY_DELAYS, queue_email, send_email_task
from partnerships import services
from partnerships.models import Invitation
from tests import factories

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SITE = "https://wspl.example.org"

# The worker is another process: it sees the test database only on a database server (PostgreSQL), not in the
# memory of this one (pytest's SQLite test database). CI's PostgreSQL run sets WSPL_EXPECT_DB=postgresql, so there
# these tests cannot be skipped by mistake: on another database they would run and fail.
needs_a_database_server = pytest.mark.skipif(
    connection.vendor != "postgresql" and os.environ.get("WSPL_EXPECT_DB") != "postgresql",
    reason="the worker is another process; pytest's SQLite test database lives in this process's memory",
)


# Committed rows, and afterwards the migrated data back (districts, content types) as the suite's other
# transactional tests expect.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url():
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(mail_server, *options):
    """The command line and environment of the worker, as in production, on the test database and mail server."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", *options]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_TASKS_BACKEND": "database",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(mail_server.port),
        "DJANGO_EMAIL_USE_TLS": "0",
    }
    return {"args": command, "cwd": settings.BASE_DIR, "env": env}


def run_worker_once(mail_server):
    """Run every task that is due, then stop (--batch)."""
    finished = subprocess.run(**worker(mail_server, "--batch"), capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    return finished


def invite(email="ola@example.org"):
    partnership = factories.partnership(name="Partnerstwo Jelonki")
    return services.invite_coordinator(
        email=email, partnership=partnership, by=None, url_for=lambda path: f"{SITE}{path}"
    )


def invitation_in(message):
    token = re.search(rf"{re.escape(SITE)}/konto/zaproszenie/([^\s/]+)/", message.get_content()).group(1)
    return services.find_invitation(token=token)


@needs_a_database_server
@committed
def test_the_worker_sends_a_queued_invitation_through_the_mail_server(settings, mail_server):
    settings.TASKS = DATABASE
    mail_server.start()
    invitation = invite()
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY and not mail_server.messages  # nothing sent by the request

    process = subprocess.Popen(**worker(mail_server, "--interval", "0.2"), stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not DBTaskResult.objects.filter(pk=queued.pk).finished().exists():
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)  # what systemd sends: the worker stops between tasks
        output, _ = process.communicate(timeout=30)

    assert process.returncode == 0, output
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL, queued.traceback
    assert queued.return_value == {"sent": True}
    [message] = mail_server.messages
    assert message["To"] == "ola@example.org"
    # Django folds the encoded subject onto the next line; Python's parser keeps the fold's space, mail readers don't.
    assert message["Subject"].strip() == "Zaproszenie do edycji strony partnerstwa „Partnerstwo Jelonki”"
    assert invitation_in(message) == invitation


@needs_a_database_server
@committed
def test_a_mail_server_that_is_down_gets_the_invitation_later(settings, mail_server):
    settings.TASKS = DATABASE
    invitation = invite()  # the mail server is not started: its port is closed

    run_worker_once(mail_server)

    first = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=1)
    assert first.status == TaskResultStatus.SUCCESSFUL  # its work was handing the message on
    assert first.return_value["sent"] is False and "ConnectionRefusedError" in first.return_value["error"]
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"]["attempt"] == 2
    waited = retry.run_after - first.started_at
    assert RETRY_DELAYS[0] <= waited < RETRY_DELAYS[0] + timedelta(seconds=30)
    assert Invitation.objects.get() == invitation
    run_worker_once(mail_server)
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.READY  # not due yet

    mail_server.start()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute has passed
    run_worker_once(mail_server)

    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL, retry.traceback
    [message] = mail_server.messages
    assert message["To"] == "ola@example.org" and invitation_in(message) == invitation
    assert DBTaskResult.objects.count() == 2  # nothing more queued


@needs_a_database_server
@committed
def test_after_the_last_retry_the_email_stays_failed(settings, mail_server):
    settings.TASKS = DATABASE
    last = len(RETRY_DELAYS) + 1
    send_email_task.enqueue(subject="Temat", body="Treść", to=["ola@example.org"], attempt=last)

    run_worker_once(mail_server)

    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    assert not mail_server.messages


# --- the task itself, in this process (any database) ------------------------------------------------


@pytest.mark.django_db
def test_each_failed_attempt_queues_the_next_one_later_and_the_last_one_fails(settings, mail_server):
    settings.TASKS = DATABASE
    mail_server.use_in(settings)  # not started: nothing listens on its port
    message = {"subject": "Temat", "body": "Treść", "to": ["ola@example.org"], "reply_to": ["ewa@example.org"]}

    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        before = timezone.now()
        outcome = send_email_task.call(**message, attempt=attempt)
        retry = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=attempt + 1)
        assert outcome["sent"] is False
        assert before + delay <= retry.run_after <= timezone.now() + delay
        assert retry.args_kwargs["kwargs"] == {
            **message,
            "from_email": None,
            "html_body": None,
            "attempt": attempt + 1,
        }

    with pytest.raises(ConnectionRefusedError):
        send_email_task.call(**message, attempt=len(RETRY_DELAYS) + 1)
    assert DBTaskResult.objects.count() == len(RETRY_DELAYS)


@pytest.mark.django_db
def test_the_immediate_backend_sends_after_the_commit_and_never_when_rolled_back(
    settings, mail_server, django_capture_on_commit_callbacks
):
    mail_server.start()
    mail_server.use_in(settings)

    with django_capture_on_commit_callbacks(execute=True):
        queue_email("Temat", "Treść", ["ola@example.org"])
        assert not mail_server.messages  # not before the commit
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            queue_email("Wycofany", "Treść", ["ola@example.org"])
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass

    assert [message["Subject"] for message in mail_server.messages] == ["Temat"]
