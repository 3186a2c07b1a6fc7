"""The change log of one partnership, for its coordinators: who changed what, when, field by field.

Reads the django-simple-history tables of the partnership and of its memberships, team
roles, people, places, events and member organisations. Staff see every change (and can
revert one) in the admin.
"""

from dataclasses import dataclass, field

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.images import width_field
from events.models import Event
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership, Place

PER_SOURCE = 60
SHOWN = 100
# The widths of images follow the image itself (common/images.py): its change is shown once, as the image's.
HIDDEN_FIELDS = {"sort_name", "search_text", "created_at", "updated_at", "sequence", "slug"} | {
    width_field(image) for image in ("logo", "cover", "photo", "image")
}
KINDS = {"+": gettext_lazy("dodano"), "~": gettext_lazy("zmieniono"), "-": gettext_lazy("usunięto")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    date: object
    who: str
    kind: str
    what: str
    name: str
    changes: list = field(default_factory=list)


def _show(model, field_name, value):
    if value is None or value == "":
        return "–"
    model_field = model._meta.get_field(field_name)
    if model_field.many_to_many:
        # simple-history stores the through rows: [{"partnership": 1, "district": 18}, ...].
        target = model_field.m2m_reverse_field_name()
        ids = [row.get(target) for row in value if isinstance(row, dict)]
        names = sorted(str(obj) for obj in model_field.related_model.objects.filter(pk__in=ids))
        return ", ".join(names) or "–"
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    return Truncator(str(value)).chars(160)


def _who(record):
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _sources(partnership):

    people = PartnershipRole.objects.filter(partnership=partnership).values("person_id")
    organisations = Membership.objects.filter(partnership=partnership).values("organisation_id")
    return [
        (Partnership, Partnership.history.filter(id=partnership.pk)),
        (Membership, Membership.history.filter(partnership_id=partnership.pk)),
        (PartnershipRole, PartnershipRole.history.filter(partnership_id=partnership.pk)),
        (Person, Person.history.filter(id__in=people)),
        (Organisation, Organisation.history.filter(id__in=organisations)),
        (Place, Place.history.filter(id__in=partnership.places.values("pk"))),
        (Event, Event.history.filter(id__in=Event.objects.filter(organisers=partnership).values("pk"))),
    ]


def _namer(model, records):
    """A function giving a record's display name without a query per record."""
    if model is Membership:
        names = dict(Organisation.objects.filter(pk__in={r.organisation_id for r in records}).values_list("pk", "name"))
        return lambda record: names.get(record.organisation_id, "–")
    if model is PartnershipRole:
        people = {p.pk: p.full_name for p in Person.objects.filter(pk__in={r.person_id for r in records})}
        return lambda record: "{} – {}".format(people.get(record.person_id, "–"), _show(model, "role", record.role))
    return lambda record: str(record.instance)


def change_log(partnership):
    """The newest changes first, each with its field-by-field differences."""
    entries = []
    for model, history in _sources(partnership):
        records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[:PER_SOURCE])
        name_of = _namer(model, records)
        by_object = {}
        for record in reversed(records):
            by_object.setdefault(record.id, []).append(record)
        for chain in by_object.values():
            for i, record in enumerate(chain):
                entry = Entry(
                    date=record.history_date,
                    who=_who(record),
                    kind=KINDS.get(record.history_type, record.history_type),
                    what=str(model._meta.verbose_name),
                    name=name_of(record),
                )
                if record.history_type == "~":
                    previous = chain[i - 1] if i else record.prev_record
                    if previous is not None:
                        delta = record.diff_against(previous)
                        entry.changes = [
                            Change(
                                str(model._meta.get_field(change.field).verbose_name),
                                _show(model, change.field, change.old),
                                _show(model, change.field, change.new),
                            )
                            for change in delta.changes
                            if change.field not in HIDDEN_FIELDS
                        ]
                        if not entry.changes:
                            continue  # saved without a visible change
                entries.append(entry)
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:SHOWN]
