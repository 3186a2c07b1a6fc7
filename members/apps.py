from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Członkowie i ludzie")

    def ready(self):
        from common.images import delete_files_with_rows

        from .models import Organisation, Person

        delete_files_with_rows(Organisation, Person)
