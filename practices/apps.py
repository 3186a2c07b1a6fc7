from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Dobre praktyki")

    def ready(self):
        from common.images import delete_files_with_rows

        from .models import Photo

        delete_files_with_rows(Photo)
