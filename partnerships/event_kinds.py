"""The kinds of the network's events, a vocabulary shared by two apps that sit side by side.

The agenda (`events.Event.kind`, where it is known as `Event.Kind`) and BORIS's support offer (`network.SupportKind`,
which names the kind of event each form of support takes) both use it; neither may import the other, so the list
lives one layer below them. The values are stored in the database and appear in addresses (`?rodzaj=training`,
`/wydarzenia/rodzaj/training.ics`): keep them, change only the labels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    MEETING = "meeting", _("spotkanie partnerstwa")
    LOCAL = "local", _("wydarzenie dla mieszkańców")
    TRAINING = "training", _("szkolenie")
    SEMINAR = "seminar", _("seminarium")
    CONSULTATION = "consultation", _("konsultacje")
    STUDY_VISIT = "study_visit", _("wizyta studyjna")
    SUPERVISION = "supervision", _("superwizja")
    GENERAL_MEETING = "general_meeting", _("spotkanie ogólne WSPL")
    WORKING_GROUP = "working_group", _("spotkanie zespołu roboczego")
