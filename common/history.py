"""The history django-simple-history keeps of every edited model: who made a change, which changes were real,
undoing one change field by field, how long versions are kept."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, FileField, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.manager import HistoryManager
from simple_history.template_utils import ObjDiffDisplay

from . import images


def known_user(by):
    """`by` when it is a logged-in user whose name a record may keep, else None (anonymous, or no one: a command)."""
    return by if by is not None and by.is_authenticated else None


def authored(instance, by):
    """Record `by` as the author of the change in the instance's history (simple-history's documented hook)."""
    if known_user(by) is not None:
        instance._history_user = by
    return instance


def purge_old_versions(before):
    """Delete the versions recorded before `before` in the history of every model that keeps one, except each
    object's last version (its state now, or when it was deleted). Returns {history model label: rows deleted}."""
    deleted = {}
    with transaction.atomic():
        for model in apps.get_models():
            # `history` of a model that keeps one; the tables of its many-to-many changes have a `history` too (a
            # link to the version they belong to) and go with that version.
            manager = getattr(model, "history", None)
            if not isinstance(manager, HistoryManager):
                continue
            versions = manager.model.objects
            newer = versions.filter(
                Q(history_date__gt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
                id=OuterRef("id"),
            )
            old = versions.filter(history_date__lt=before).filter(Exists(newer))
            count, _by_model = old.delete()
            if count:
                deleted[manager.model._meta.label] = count
    return deleted


# --- what a change really changed, and undoing it field by field -------------------------------------------------


def normalised(value):
    """A value as a person reads it: no value and an empty text are the same, and so are texts that differ only in
    their line endings (a browser's form sends "\\r\\n", other writers "\\n"); a file is its name."""
    if isinstance(value, File):
        value = value.name
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def same(old, new):
    return normalised(old) == normalised(new)


def made_changes(delta):
    """The changes of a simple-history `ModelDelta` that someone really made: a save that turned "X" into an equal
    "X" (None into "", "\\n" into "\\r\\n") is no change, and history never shows it."""
    return [change for change in delta.changes if not same(change.old, change.new)]


class ShortDiff(ObjDiffDisplay):
    """Long texts of a change cut around where they differ, with "…" (django-simple-history writes "[18 chars]" in
    English)."""

    def shortened_str(self, prefix, num_skipped_chars, suffix):
        return f"{prefix}…{suffix}"


def author_name(record):
    """Who made the change of a history record: the account's name, or "system" (a command, an import)."""
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _later_than(record):
    """The versions of the same object recorded after `record` (a lookup for its history)."""
    return Q(history_date__gt=record.history_date) | Q(history_date=record.history_date, history_id__gt=record.pk)


def tracked_m2m_fields(model):
    """The many-to-many fields whose history simple-history keeps for `model` (each is an attribute of its history
    model)."""
    return [f for f in model._meta.many_to_many if hasattr(model.history.model, f.name)]


def m2m_ids(model, records):
    """{field name: {history_id: set of related ids}} for the given versions of `model`: one query a field, where
    `diff_against` asks two a field for each pair of versions."""
    values = {}
    ids = [record.history_id for record in records]
    for model_field in tracked_m2m_fields(model):
        rows = getattr(model.history.model, model_field.name).filter(history_id__in=ids)
        found = values[model_field.name] = {history_id: set() for history_id in ids}
        for history_id, target in rows.values_list("history_id", model_field.m2m_reverse_field_name()):
            found[history_id].add(target)
    return values


class RevertError(Exception):
    """A change that cannot be undone; the message says why, in Polish."""


@dataclass
class Reverted:
    """What undoing one change did: the fields set back, those left alone and why (both lists of field objects)."""

    fields: list = dataclass_field(default_factory=list)
    changed_later: list = dataclass_field(default_factory=list)  # (field, the name of who changed it later)
    file_gone: list = dataclass_field(default_factory=list)

    def messages(self):
        """What to tell the person who asked, in Polish: one sentence a line."""
        said = []
        if self.fields:
            said.append(_("Cofnięto: %(fields)s.") % {"fields": _labels(self.fields)})
        else:
            said.append(_("Niczego nie cofnięto."))
        for model_field, who in self.changed_later:
            said.append(
                _("Nie cofnięto: %(field)s – zmienione później przez: %(who)s.")
                % {"field": model_field.verbose_name, "who": who}
            )
        for model_field in self.file_gone:
            said.append(
                _("Nie cofnięto: %(field)s – dawnego pliku już nie ma, wgraj go ponownie.")
                % {"field": model_field.verbose_name}
            )
        return said


def _labels(fields):
    return ", ".join(str(model_field.verbose_name) for model_field in fields)


def _target_ids(model_field, rows):
    """The ids of the related objects in simple-history's rows of a many-to-many field ([{"district": 18}, …])."""
    target = model_field.m2m_reverse_field_name()
    return {row[target] for row in rows}


def _value_now(obj, model_field):
    if model_field.many_to_many:
        return set(getattr(obj, model_field.name).values_list("pk", flat=True))
    return model_field.value_from_object(obj)


def _value_in(record, model_field):
    if model_field.many_to_many:
        return set(getattr(record, model_field.name).values_list(model_field.m2m_reverse_field_name(), flat=True))
    return getattr(record, model_field.attname)


def _who_changed_later(later, model_field, value):
    """The name of who first changed the field away from `value` in the records `later`, oldest first."""
    for record in later:
        if not same(_value_in(record, model_field), value):
            return author_name(record)
    return author_name(later[-1]) if later else _("system")


def revert_change(*, record, by, fields=None, storage=None):
    """Undo the change a history record (of kind "~") made, field by field, as `by`.

    A field the change set is set back to its value before the change only while it still holds the value the
    change gave it: what someone changed later stays, and is listed. An image comes back only while its old file
    is still stored. `fields` limits which fields may be set back (names; None: all). Everything is checked before
    anything is written, in one transaction with the row locked; the save is recorded in the history with `by` and
    the reason "Cofnięto zmianę z <date>". Raises RevertError with a Polish message when nothing can be done.
    """
    storage = storage or default_storage
    if record.history_type != "~":
        raise RevertError(_("Cofnąć można tylko zmianę – nie dodanie ani usunięcie."))
    previous = record.prev_record
    if previous is None:
        raise RevertError(_("Nie ma wersji sprzed tej zmiany, więc nie ma do czego wrócić."))
    model = type(record.instance)
    changes = made_changes(record.diff_against(previous))
    changes = [change for change in changes if fields is None or change.field in fields]
    if not changes:
        raise RevertError(_("Ta zmiana nie ma pól, które można cofnąć."))
    with transaction.atomic():
        obj = model._default_manager.select_for_update().filter(pk=record.id).first()
        if obj is None:
            raise RevertError(_("Tego już nie ma: zostało usunięte."))
        later = list(
            model.history.filter(id=record.id)
            .filter(_later_than(record))
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        done, replaced, back = Reverted(), [], {}
        for change in changes:
            model_field = model._meta.get_field(change.field)
            new, old = change.new, change.old
            if model_field.many_to_many:
                new, old = _target_ids(model_field, new), _target_ids(model_field, old)
            if not same(_value_now(obj, model_field), new):
                done.changed_later.append((model_field, _who_changed_later(later, model_field, new)))
            elif isinstance(model_field, FileField) and old and not storage.exists(old):
                done.file_gone.append(model_field)
            else:
                done.fields.append(model_field)
                back[model_field] = old
        if not done.fields:
            return done
        for model_field, old in back.items():
            if model_field.many_to_many:
                continue
            if isinstance(model_field, FileField):
                replaced.append(getattr(obj, model_field.attname).name)
                width = images.width_field(model_field.name)
                if any(f.name == width for f in model._meta.concrete_fields):
                    setattr(obj, width, getattr(previous, width))
            setattr(obj, model_field.attname, old)
        _check(obj, [model_field.name for model_field in done.fields])
        obj._change_reason = _("Cofnięto zmianę z %(date)s") % {
            "date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
        }  # django-simple-history's documented way to give a reason
        authored(obj, by).save()
        for model_field, old in back.items():
            if model_field.many_to_many:
                getattr(obj, model_field.name).set(old)
        transaction.on_commit(lambda: [images.delete_image(name, storage=storage) for name in replaced if name])
    return done


def _check(obj, names):
    """The rules of the model for the fields set back, and every constraint of the row (nothing is saved when one
    fails: the whole revert is refused with the model's own message)."""
    others = [f.name for f in obj._meta.fields if f.name not in names]
    try:
        obj.full_clean(exclude=others, validate_constraints=False)
        obj.validate_constraints()
    except ValidationError as error:
        raise RevertError(" ".join(error.messages)) from error
