"""Who may edit what: the one gatekeeper per editable thing.

Every edit view fetches its objects only through these functions, templates ask
`edit_url_for()` (through the `edit_link` tag) and the admin uses the same rule, so a
coordinator of partnership A gets a 404 for anything of partnership B.

The rule (DESIGN.md): staff edit everything; a coordinator edits the partnerships staff
granted them (`CoordinatorAccess`) and, of those partnerships, the memberships, the team
(roles and the people in it), the meeting places, the events they organise and the
member organisations. Nothing else.

`members` must not import `events`: the Event model is reached through the reverse
relation `Partnership.events`, the way partnerships/views.py reaches it.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from members.models import CoordinatorAccess, Membership, Organisation, PartnershipRole, Person
from partnerships.models import Partnership, Place


def event_model():
    """The Event model, through `Partnership.events` (no import of the events app)."""
    return Partnership._meta.get_field("events").related_model


def is_staff(user):
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_manage_coordinators(user):
    """Inviting coordinators and withdrawing their rights is for staff only."""
    return is_staff(user)


def editable_partnerships(user):
    return Partnership.objects.editable_by(user)


def _scoped(queryset, lookup, user, partnership, *conditions):
    """Rows whose `lookup` partnership is editable by `user`, optionally of one partnership only.

    `conditions` (Q objects on the same relation) go into the same filter() call, so they
    hold for the same related row.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if partnership is None and is_staff(user) and not conditions:
        return queryset
    filters = {f"{lookup}__in": editable_partnerships(user).values("pk")}
    if partnership is not None:
        filters[lookup] = partnership
    return queryset.filter(*conditions, **filters).distinct()


def editable_memberships(user, partnership=None):
    return _scoped(Membership.objects.all(), "partnership", user, partnership)


def editable_roles(user, partnership=None):
    return _scoped(PartnershipRole.objects.all(), "partnership", user, partnership)


def editable_people(user, partnership=None):
    """People who have (or had) a role in an editable partnership."""
    return _scoped(Person.objects.all(), "roles__partnership", user, partnership)


def editable_places(user, partnership=None):
    """The meeting places of editable partnerships."""
    return _scoped(Place.objects.all(), "partnerships", user, partnership)


def editable_events(user, partnership=None):
    """Events organised (or co-organised) by an editable partnership."""
    return _scoped(event_model().objects.all(), "organisers", user, partnership)


def editable_organisations(user, partnership=None):
    """Organisations that are current members of an editable partnership (staff: all)."""
    if partnership is None and is_staff(user):
        return Organisation.objects.all()
    today = timezone.localdate()
    current = Q(memberships__until__isnull=True) | Q(memberships__until__gte=today)
    return _scoped(Organisation.objects.all(), "memberships__partnership", user, partnership, current)


def editable_accesses(user):
    """Coordinator rights that `user` may withdraw."""
    return CoordinatorAccess.objects.all() if can_manage_coordinators(user) else CoordinatorAccess.objects.none()


def _admin_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def edit_url_for(user, obj):
    """Where `user` edits `obj`, or None when they may not. Anonymous users cost no query."""
    if user is None or not user.is_authenticated:
        return None
    if isinstance(obj, Partnership):
        if editable_partnerships(user).filter(pk=obj.pk).exists():
            return reverse("coordinator:partnership", kwargs={"slug": obj.slug})
        return None
    if isinstance(obj, Place):
        via = editable_partnerships(user).filter(places=obj)
        name = "coordinator:place_edit"
    elif isinstance(obj, Organisation):
        today = timezone.localdate()
        via = editable_partnerships(user).filter(
            Q(memberships__until__isnull=True) | Q(memberships__until__gte=today), memberships__organisation=obj
        )
        name = "coordinator:organisation_edit"
    elif isinstance(obj, event_model()):
        via = editable_partnerships(user).filter(events=obj)
        name = "coordinator:event_edit"
    else:
        return _admin_url(obj) if is_staff(user) else None
    slug = via.order_by("sort_name").values_list("slug", flat=True).first()
    if slug is not None:
        return reverse(name, kwargs={"slug": slug, "pk": obj.pk})
    return _admin_url(obj) if is_staff(user) else None
