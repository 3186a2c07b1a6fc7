"""Staff see the e-mail queue (common/mail.py) in the admin, and the e-mails that could not be sent on the dashboard."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from common.mail import RETRY_DELAYS, send_email_task

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
REFUSED = "Traceback (most recent call last):\n  ...\nConnectionRefusedError: [Errno 111] Connection refused\n"


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}


def email_task(subject, *, to="ola@example.org", attempt=1, status=TaskResultStatus.READY, **outcome):
    """A queued e-mail, then (with `status`) as the worker left it."""
    result = send_email_task.enqueue(subject=subject, body="Treść", to=[to], attempt=attempt)
    if status != TaskResultStatus.READY:
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=timezone.now(), **outcome)
    return DBTaskResult.objects.get(pk=result.id)


def queue():
    """An e-mail sent, one handed on to its next attempt, that attempt waiting, and one the worker gave up on."""
    return {
        "sent": email_task("Wysłany", status=TaskResultStatus.SUCCESSFUL, return_value={"sent": True}),
        "handed_on": email_task(
            "Ponawiany",
            status=TaskResultStatus.SUCCESSFUL,
            return_value={"sent": False, "error": "ConnectionRefusedError(111)", "retry_at": "2026-12-02T12:00:00Z"},
        ),
        "waiting": email_task("Ponawiany", attempt=2),
        "failed": email_task(
            "Zaproszenie do edycji strony partnerstwa „Jelonki”",
            to="zly-adres@example.org",
            attempt=len(RETRY_DELAYS) + 1,
            status=TaskResultStatus.FAILED,
            exception_class_path="builtins.ConnectionRefusedError",
            traceback=REFUSED,
        ),
    }


def test_the_dashboard_counts_the_emails_that_could_not_be_sent_and_links_to_exactly_those(staff_client):
    tasks = queue()

    content = staff_client.get(ADMIN).content.decode()

    assert ">E-maile, których nie udało się wysłać</h4>" in content
    assert "1 e-mail." in content
    change = reverse("admin:backoffice_backgroundtask_change", args=[tasks["failed"].pk])
    assert f'<a href="{change}">Zaproszenie do edycji strony partnerstwa „Jelonki”</a>' in content
    assert "do zly-adres@example.org, ostatnia próba" in content
    listed = staff_client.get(_attention_url(content))
    assert [task.pk for task in listed.context["cl"].result_list] == [tasks["failed"].pk]


def _attention_url(content):
    section = content.split('id="attention-failed-emails"', 1)[1]
    return section.split('<a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_nothing_to_report_when_every_email_went(staff_client):
    email_task("Wysłany", status=TaskResultStatus.SUCCESSFUL, return_value={"sent": True})

    content = staff_client.get(ADMIN).content.decode()

    section = content.split('id="attention-failed-emails"', 1)[1].split("</div>", 1)[0]
    assert "Nic – wszystko w porządku." in section


def test_the_admin_lists_the_queue_in_polish_and_shows_the_error(staff_client):
    tasks = queue()
    changelist = reverse("admin:backoffice_backgroundtask_changelist")

    page = staff_client.get(changelist).content.decode()
    failed = staff_client.get(f"{changelist}?status=FAILED")
    detail = staff_client.get(reverse("admin:backoffice_backgroundtask_change", args=[tasks["failed"].pk]))

    for header in ("Temat", "Adresaci", "Próba", "Stan", "Dodano", "Nie wcześniej niż", "Zakończono"):
        assert f">{header}</a>" in page or f">{header}</span>" in page, header
    assert "nie wysłano, ponowione" in page and "czeka" in page and "wykonane" in page and "nie udało się" in page
    assert [task.pk for task in failed.context["cl"].result_list] == [tasks["failed"].pk]
    assert detail.status_code == 200
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in detail.content.decode()
    assert (
        "Zaproszenie do edycji strony partnerstwa „Jelonki” – do zly-adres@example.org</h2>" in detail.content.decode()
    )


def test_staff_cannot_add_or_change_tasks_and_delete_only_finished_ones(staff_client):
    waiting, failed = email_task("Czeka"), queue()["failed"]

    assert staff_client.get(reverse("admin:backoffice_backgroundtask_add")).status_code == 403
    page = staff_client.get(reverse("admin:backoffice_backgroundtask_change", args=[waiting.pk])).content.decode()
    staff_client.post(reverse("admin:backoffice_backgroundtask_change", args=[waiting.pk]), {"status": "FAILED"})
    assert staff_client.get(reverse("admin:backoffice_backgroundtask_delete", args=[waiting.pk])).status_code == 403
    staff_client.post(reverse("admin:backoffice_backgroundtask_delete", args=[failed.pk]), {"post": "yes"})
    staff_client.post(
        reverse("admin:backoffice_backgroundtask_changelist"),
        {"action": "delete_selected", "_selected_action": [waiting.pk], "post": "yes"},
    )

    assert 'name="_save"' not in page  # nothing to save: every field is read-only
    assert DBTaskResult.objects.get(pk=waiting.pk).status == TaskResultStatus.READY
    assert not DBTaskResult.objects.filter(pk=failed.pk).exists()


def test_the_queue_is_listed_once_under_its_polish_name(staff_client):
    content = staff_client.get(ADMIN).content.decode()

    assert "Zadania w tle (wysyłka e-maili)" in content
    with pytest.raises(NoReverseMatch):
        reverse("admin:django_tasks_database_dbtaskresult_changelist")  # django-tasks-db's own English list


def test_a_retry_shows_when_it_will_run(staff_client):
    task = email_task("Ponawiany", attempt=2)
    later = timezone.now() + timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=later)

    page = staff_client.get(reverse("admin:backoffice_backgroundtask_changelist")).content.decode()

    assert formats.localize(timezone.localtime(later)) in page
