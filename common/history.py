"""Who made a change, for the history django-simple-history keeps of every edited model; how long it is kept."""

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from simple_history.manager import HistoryManager


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
