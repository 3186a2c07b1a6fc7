"""Who may edit what, for the coordinator area and the templates' "Edytuj" links.

The rule itself lives with the data (DESIGN.md): `Partnership.objects.editable_by(user)` (staff, or the
coordinators staff granted it) and, for what belongs to a partnership, `Model.objects.editable_by(user, partnership)`
on places, memberships, team roles, people, member organisations and events. Every edit view fetches its objects
only through those, and templates ask `edit_url_for()` (through the `edit_url` tag), so a coordinator of
partnership A gets a 404 for anything of partnership B.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from members.models import Organisation
from partnerships.models import CoordinatorAccess, Partnership, Place


def is_staff(user):
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_manage_coordinators(user):
    """Inviting coordinators and withdrawing their rights is for staff only."""
    return is_staff(user)


def editable_accesses(user):
    """Coordinator rights that `user` may withdraw."""
    return CoordinatorAccess.objects.all() if can_manage_coordinators(user) else CoordinatorAccess.objects.none()


def _admin_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def edit_url_for(user, obj):
    """Where `user` edits `obj`, or None when they may not. Anonymous users cost no query."""
    if user is None or not user.is_authenticated:
        return None
    partnerships = Partnership.objects.editable_by(user)
    if isinstance(obj, Partnership):
        if partnerships.filter(pk=obj.pk).exists():
            return reverse("coordinator:partnership", kwargs={"slug": obj.slug})
        return None
    # Through a partnership the object belongs to and `user` may edit (the first by name).
    if isinstance(obj, Place):
        via = partnerships.filter(places=obj)
        name = "coordinator:place_edit"
    elif isinstance(obj, Organisation):
        if not is_staff(user) and not Organisation.objects.editable_by(user).filter(pk=obj.pk).exists():
            return None  # shared with a partnership this coordinator does not edit
        today = timezone.localdate()
        via = partnerships.filter(
            Q(memberships__until__isnull=True) | Q(memberships__until__gte=today), memberships__organisation=obj
        )
        name = "coordinator:organisation_edit"
    elif isinstance(obj, Event):
        via = partnerships.filter(events=obj)
        name = "coordinator:event_edit"
    else:
        return _admin_url(obj) if is_staff(user) else None
    slug = via.order_by("sort_name").values_list("slug", flat=True).first()
    if slug is not None:
        return reverse(name, kwargs={"slug": slug, "pk": obj.pk})
    return _admin_url(obj) if is_staff(user) else None
