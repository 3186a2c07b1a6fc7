"""The change log of one partnership, for its coordinators: who changed what, when, field by field.

Reads the django-simple-history tables of the partnership and of its memberships, team roles, people, places, events,
good practices (and their photos) and member organisations, in a fixed number of queries however long the log is. A
person or an organisation shared with a partnership the user does not coordinate is left out: its changes are made
for (and seen by) others too. A save that changed nothing a person can see ("" into nothing, a browser's line
endings) is no change and is not shown (common.history.made_changes). A coordinator may undo a change of what they
may still edit, field by field, only in the fields their forms edit (UNDOABLE); staff see every change (and can undo
one) in the admin.
"""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.history import ShortDiff, author_name, m2m_ids, made_changes
from common.images import width_field
from events.forms import EventForm
from events.models import Event
from members.models import Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership, Place
from practices.forms import PracticeForm
from practices.models import Photo, Practice

from . import forms

PER_SOURCE = 60
SHOWN = 100
SHOWN_CHARS = 160
# The widths of images follow the image itself (common/images.py): its change is shown once, as the image's.
HIDDEN_FIELDS = {"sort_name", "search_text", "created_at", "updated_at", "sequence", "slug"} | {
    width_field(image) for image in ("logo", "cover", "photo", "image")
}
KINDS = {"+": gettext_lazy("dodano"), "~": gettext_lazy("zmieniono"), "-": gettext_lazy("usunięto")}


def _form_fields(*form_classes, also=()):
    names = set(also)
    for form_class in form_classes:
        names.update(form_class.Meta.fields)
        names.update(image for image, _alt in getattr(form_class, "image_pairs", ()))
    return frozenset(names)


# What a coordinator may set back, per model: what the coordinator area's forms and buttons change; the rest
# (publishing a partnership, its name and address, …) is staff's.
UNDOABLE = {
    Partnership: _form_fields(forms.PartnershipProfileForm, forms.PartnershipImagesForm, also=["last_verified_on"]),
    Membership: _form_fields(forms.MembershipForm),
    PartnershipRole: _form_fields(forms.RoleForm),
    Person: _form_fields(forms.PersonForm),
    Organisation: _form_fields(forms.OrganisationForm),
    Place: _form_fields(forms.PlaceForm),
    Event: _form_fields(EventForm, also=["start", "end", "status", "cancellation_reason"]),
    Practice: _form_fields(PracticeForm),
}
# The models in the address of "Cofnij tę zmianę".
BY_KEY = {model._meta.model_name: model for model in UNDOABLE}


def editable(model, user, partnership):
    """The objects of `model` in the partnership's log that `user` may still edit (the coordinator area's one rule)."""
    if model is Partnership:
        return Partnership.objects.editable_by(user).filter(pk=partnership.pk)
    return model.objects.editable_by(user, partnership)


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
    undo_url: str = ""


def _sources(partnership, user):
    """The history of the partnership's own rows (it, its memberships, team roles, places, the events it organises, its
    good practices and their photos), and of its people and member organisations those not shared with a partnership
    `user` does not coordinate: what another partnership (or staff for it) changed in a shared person or organisation
    is theirs, not in this log."""
    people = Person.objects.filter(pk__in=PartnershipRole.objects.filter(partnership=partnership).values("person_id"))
    organisations = Organisation.objects.filter(
        pk__in=Membership.objects.filter(partnership=partnership).values("organisation_id")
    )
    people, organisations = (
        people.not_shared_beyond(user).values("pk"),
        organisations.not_shared_beyond(user).values("pk"),
    )
    practices = Practice.history.filter(partnership_id=partnership.pk)
    return [
        (Partnership, Partnership.history.filter(id=partnership.pk)),
        (Membership, Membership.history.filter(partnership_id=partnership.pk)),
        (PartnershipRole, PartnershipRole.history.filter(partnership_id=partnership.pk)),
        (Person, Person.history.filter(id__in=people)),
        (Organisation, Organisation.history.filter(id__in=organisations)),
        (Place, Place.history.filter(id__in=partnership.places.values("pk"))),
        (Event, Event.history.filter(id__in=Event.objects.filter(organisers=partnership).values("pk"))),
        (Practice, practices),
        # Photos are added and removed, never changed: shown, not undone.
        (Photo, Photo.history.filter(practice_id__in=practices.values("id"))),
    ]


def _records(model, history):
    """The newest records with the one before each (also when it is older than the newest PER_SOURCE): 2 queries."""
    before = model.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        history.select_related("history_user")
        .annotate(previous_id=Subquery(before.order_by("-history_date", "-history_id").values("history_id")[:1]))
        .order_by("-history_date", "-history_id")[:PER_SOURCE]
    )
    by_id = {record.history_id: record for record in records}
    missing = {r.previous_id for r in records if r.history_type == "~" and r.previous_id not in by_id} - {None}
    if missing:
        by_id.update((record.history_id, record) for record in model.history.filter(history_id__in=missing))
    return records, by_id


def _raw_changes(model, record, previous, m2m):
    """(field, old, new) for what the record changed against the one before: values as stored (ids, not names)."""
    m2m_names = list(m2m)
    changes = [
        (model._meta.get_field(change.field), change.old, change.new)
        for change in made_changes(record.diff_against(previous, excluded_fields=m2m_names))
    ]
    for name in m2m_names:
        old, new = m2m[name][previous.history_id], m2m[name][record.history_id]
        if old != new:
            changes.append((model._meta.get_field(name), old, new))
    return [change for change in changes if change[0].name not in HIDDEN_FIELDS]


class _Names:
    """The names of related objects the log mentions, fetched at the end: one query per related model."""

    def __init__(self):
        self.wanted = {}

    def want(self, model_field, value):
        if model_field.is_relation and value not in (None, ""):
            ids = value if model_field.many_to_many else {value}
            self.wanted.setdefault(model_field.related_model, set()).update(ids)

    def fetch(self):
        self.names = {
            model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
            for model, ids in self.wanted.items()
        }

    def show(self, model_field, value):
        if value is None or value == "" or value == set():
            return "–"
        if model_field.many_to_many:
            names = self.names.get(model_field.related_model, {})
            return ", ".join(sorted(names.get(pk, "–") for pk in value))
        if model_field.is_relation:
            return self.names.get(model_field.related_model, {}).get(value, "–")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("tak") if value else _("nie")
        return str(value)

    def show_change(self, model_field, old, new):
        """Both values as text; long texts cut around where they differ."""
        return ShortDiff(max_length=SHOWN_CHARS).common_shorten_repr(
            self.show(model_field, old), self.show(model_field, new)
        )


def _namer(model, records):
    """A function giving a record's display name without a query per record."""
    if model is Membership:
        names = dict(Organisation.objects.filter(pk__in={r.organisation_id for r in records}).values_list("pk", "name"))
        return lambda record: names.get(record.organisation_id, "–")
    if model is PartnershipRole:
        people = {p.pk: p.full_name for p in Person.objects.filter(pk__in={r.person_id for r in records})}
        roles = dict(PartnershipRole._meta.get_field("role").flatchoices)
        return lambda record: "{} – {}".format(people.get(record.person_id, "–"), roles.get(record.role, record.role))
    return lambda record: str(record.instance)


def change_log(partnership, user=None):
    """The newest changes first, each with its field-by-field differences, and the address that undoes it when
    `user` may (a change of an object they may still edit, in fields they may edit)."""
    found, names = [], _Names()
    for model, history in _sources(partnership, user):
        records, by_id = _records(model, history)
        m2m = m2m_ids(model, list(by_id.values()))
        name_of = _namer(model, records)
        undoable = user is not None and model in UNDOABLE
        may_undo = set(editable(model, user, partnership).values_list("pk", flat=True)) if undoable else set()
        for record in records:
            entry = Entry(
                date=record.history_date,
                who=author_name(record),
                kind=KINDS.get(record.history_type, record.history_type),
                what=str(model._meta.verbose_name),
                name=name_of(record),
            )
            raw = []
            previous = by_id.get(record.previous_id)
            if record.history_type == "~" and previous is not None:
                raw = _raw_changes(model, record, previous, m2m)
                if not raw:
                    continue  # saved without a visible change
                if record.id in may_undo and any(f.name in UNDOABLE[model] for f, _old, _new in raw):
                    entry.undo_url = reverse(
                        "coordinator:change_undo",
                        kwargs={"slug": partnership.slug, "kind": model._meta.model_name, "pk": record.history_id},
                    )
            for model_field, old, new in raw:
                names.want(model_field, old)
                names.want(model_field, new)
            found.append((entry, raw))
    found.sort(key=lambda pair: pair[0].date, reverse=True)
    found = found[:SHOWN]
    names.fetch()
    for entry, raw in found:
        entry.changes = [Change(str(f.verbose_name), *names.show_change(f, old, new)) for f, old, new in raw]
    return [entry for entry, _raw in found]
