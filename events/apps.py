from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Wydarzenia")

    def ready(self):
        from common.images import delete_files_with_rows

        from .models import Event, MinutesAttachment

        delete_files_with_rows(Event, MinutesAttachment)
