"""The back office's own names for rows other packages keep."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class BackgroundTask(DBTaskResult):
    """The queue of background tasks (django-tasks-db's table, settings.TASKS): a proxy, no table of its own.

    It gives the admin's list of the e-mails the worker sent, retried or gave up on (backoffice/admin.py) a place
    in the "Panel BORIS" section under a Polish name.
    """

    class Meta:
        proxy = True
        verbose_name = _("zadanie w tle")
        verbose_name_plural = _("zadania w tle (wysyłka e-maili)")

    def __str__(self):
        message = self.args_kwargs.get("kwargs", {})
        if "subject" in message:
            return _("%(subject)s – do %(to)s") % {"subject": message["subject"], "to": ", ".join(message["to"])}
        return self.task_name
