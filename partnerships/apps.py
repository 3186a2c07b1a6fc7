from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerstwa i sieć")

    def ready(self):
        from common.images import delete_files_with_rows

        from .models import Partnership

        delete_files_with_rows(Partnership)
