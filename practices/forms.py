"""The coordinator area's forms of good practices: a practice in its fixed shape, and a photo of it.

The practice form groups its fields in fieldsets (`sections()`), in the order a practice is told: what and why,
how, who took part, what it needed, how it went, contact and dates. Organisations offer the partnership's current
members first, then every other published organisation; the contact person is someone with a current role in the
partnership's team.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput, ImageUploadField, VersionedForm, polish_messages
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership

from .models import Photo, Practice, Topic
from .services import check_room_for_photo

MULTIPLE_HELP = _("Na komputerze kilka pozycji zaznaczysz z klawiszem Ctrl.")
RANGES = ("time_needed", "money_needed", "space_needed", "people_needed")


def choose(field, message):
    """One message for a choice that is not on the list, whether it is another row's id or no id at all."""
    field.error_messages.update(invalid_choice=message, invalid_pk_value=message)


class PracticeForm(VersionedForm):
    SECTIONS = (
        (_("O praktyce"), ("title", "summary", "topics", "easy_read")),
        (_("Problem i działania"), ("problem", "steps")),
        (_("Kto wziął udział"), ("organisations", "partner_partnerships", "participants_note")),
        (_("Czego było trzeba"), (*RANGES, "needs_note")),
        (_("Jak poszło"), ("worked", "did_not_work", "results")),
        (_("Kontakt i czas trwania"), ("contact_person", "started_on", "ended_on")),
    )

    class Meta:
        model = Practice
        fields = [
            "title",
            "summary",
            "topics",
            "easy_read",
            "problem",
            "steps",
            "organisations",
            "partner_partnerships",
            "participants_note",
            *RANGES,
            "needs_note",
            "worked",
            "did_not_work",
            "results",
            "contact_person",
            "started_on",
            "ended_on",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            **dict.fromkeys(RANGES, forms.RadioSelect),
            "organisations": forms.SelectMultiple(attrs={"size": 10}),
            "partner_partnerships": forms.SelectMultiple(attrs={"size": 6}),
            "easy_read": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "steps": forms.Textarea(attrs={"rows": 10}),
            "worked": forms.Textarea(attrs={"rows": 5}),
            "did_not_work": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "started_on": DateInput,
            "ended_on": DateInput,
        }
        error_messages = {
            "title": {"required": _("Podaj tytuł praktyki.")},
            "summary": {"required": _("Napisz w jednym zdaniu, co zrobiliście i po co.")},
            "problem": {"required": _("Opisz problem lub potrzebę, od której wszystko się zaczęło.")},
            "steps": {"required": _("Opisz, co zrobiliście – krok po kroku.")},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.instance.partnership = partnership
        fields = self.fields
        fields["topics"].queryset = Topic.objects.all()
        fields["topics"].label_from_instance = lambda topic: topic.shown_name
        choose(fields["topics"], _("Wybierz tematy z listy."))
        for name in RANGES:
            # Saying nothing is allowed: the first radio button is "nie podajemy".
            fields[name].choices = [("", _("nie podajemy")), *Practice._meta.get_field(name).choices]
            fields[name].error_messages["invalid_choice"] = _("Wybierz jedną z możliwości.")
        self._offer_organisations()
        chosen = Q(pk__in=self.instance.partner_partnerships.values("pk")) if self.instance.pk else Q(pk__in=[])
        fields["partner_partnerships"].queryset = (
            Partnership.objects.filter(Q(is_published=True) | chosen)
            .exclude(pk=partnership.pk)
            .only("name", "sort_name")
            .order_by("sort_name")
        )
        fields["partner_partnerships"].help_text = MULTIPLE_HELP
        choose(fields["partner_partnerships"], _("Wybierz partnerstwa z listy opublikowanych partnerstw."))
        team = PartnershipRole.objects.current().filter(partnership=partnership).values("person_id")
        fields["contact_person"].queryset = Person.objects.filter(pk__in=team).order_by("sort_name")
        fields["contact_person"].empty_label = _("nikt z zespołu")
        fields["contact_person"].error_messages["invalid_choice"] = _(
            "Osoba do kontaktu musi należeć do obecnego zespołu partnerstwa. Dodasz ją na stronie partnerstwa."
        )

    def _offer_organisations(self):
        """The partnership's current members first, then the directory's other published organisations (and any the
        practice already names): two groups of one list."""
        field = self.fields["organisations"]
        members = Membership.objects.current().filter(partnership=self.partnership).values("organisation_id")
        named = self.instance.organisations.values("pk") if self.instance.pk else Organisation.objects.none()
        field.queryset = Organisation.objects.filter(
            Q(is_published=True) | Q(pk__in=members) | Q(pk__in=named)
        ).order_by("sort_name")
        member_ids = set(members.values_list("organisation_id", flat=True))
        ours, others = [], []
        for pk, name in field.queryset.values_list("pk", "name"):
            (ours if pk in member_ids else others).append((pk, name))
        field.choices = [(_("Członkowie partnerstwa"), ours), (_("Inne organizacje z katalogu"), others)]
        field.help_text = MULTIPLE_HELP
        choose(field, _("Wybierz organizacje z listy katalogu."))

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("Koniec nie może być przed początkiem."))
        return cleaned

    def sections(self):
        """(legend, bound fields) of each fieldset, in the order of SECTIONS."""
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]


class PhotoForm(forms.ModelForm):
    image_file = ImageUploadField(
        label=_("Zdjęcie"),
        required=True,
        error_messages={"required": _("Wybierz plik ze zdjęciem.")},
    )

    class Meta:
        model = Photo
        fields = ["alt", "caption"]
        error_messages = {"alt": {"required": _("Opisz, co widać na zdjęciu (tekst alternatywny).")}}
        help_texts = {"caption": _("Nieobowiązkowy; widać go pod zdjęciem.")}

    field_order = ["image_file", "alt", "caption"]

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice = practice
        self.instance.practice = practice
        polish_messages(self)

    def clean(self):
        cleaned = super().clean()
        check_room_for_photo(self.practice)
        return cleaned
