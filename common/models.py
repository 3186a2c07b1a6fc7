"""Abstract models shared by the apps (no tables of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decided(models.Model):
    """The answer to something one partnership asked of others (an invitation, a proposed change): who gave it and
    when. Each model keeps its own `status` and the check that an answered row has its date."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zdecydował(a)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("zdecydowano"), null=True, blank=True)

    class Meta:
        abstract = True
