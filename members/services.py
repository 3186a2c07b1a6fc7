"""Writes to members: memberships, member organisations, the team (people and their roles).

Verb-first functions with keyword-only arguments; several rows change in one transaction, `by` is
kept as the author in the history, and uploaded files are removed again when the save fails.
"""

from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.history import authored
from common.images import replacing_images
from partnerships.models import unique_slug

from .models import Membership, Organisation, Person, PreviousAddress


def add_member(*, membership, partnership, by):
    """Add an organisation (already in the directory) to a partnership."""
    membership.partnership = partnership
    membership.full_clean()
    authored(membership, by).save()
    return membership


def add_new_member(*, organisation, membership, partnership, by, logo=None, reason=""):
    """Create an organisation on the spot and make it a member, both or neither; `reason` (why it is not one the
    directory already has) is kept as the change reason of its first history record."""
    with replacing_images(organisation, {"logo": logo}), transaction.atomic():
        organisation.slug = unique_slug(Organisation, organisation.name)
        if reason:
            organisation._change_reason = reason  # django-simple-history's documented way to give a reason
        authored(organisation, by).save()
        membership.organisation = organisation
        membership.partnership = partnership
        membership.full_clean()
        authored(membership, by).save()
    return membership


def save_record(*, record, by):
    """Save a membership or a team role edited by `by` (who is kept in its history)."""
    authored(record, by).save()
    return record


def end_period(*, record, until, by):
    """End a membership or a team role on a day; the row stays as history (a former member)."""
    record.until = until
    record.full_clean()
    authored(record, by).save()
    return record


def save_organisation(*, organisation, logo=None, by):
    with replacing_images(organisation, {"logo": logo}), transaction.atomic():
        authored(organisation, by).save()
    return organisation


def add_team_member(*, partnership, role, person, by, photo=None):
    """Add a role in the team; `person` is new (unsaved) or already in the team."""
    with replacing_images(person, {"photo": photo}), transaction.atomic():
        if person.pk is None:
            person.slug = unique_slug(Person, f"{person.first_name} {person.last_name}")
            authored(person, by).save()
        role.person = person
        role.partnership = partnership
        role.full_clean()
        authored(role, by).save()
    return role


def save_person(*, person, photo=None, by):
    with replacing_images(person, {"photo": photo}), transaction.atomic():
        authored(person, by).save()
    return person


# What the organisation that stays takes from the merged one where it has nothing: groups of fields taken together
# (an address with its postal code, a logo with its width and text), only when each field of the group is empty.
FILLED_ON_MERGE = (
    ("kind",),
    ("description",),
    ("street_address", "postal_code"),
    ("district_id",),
    ("website",),
    ("email",),
    ("phone",),
    ("krs",),
    ("logo", "logo_width", "logo_alt"),
)


def merge_organisations(*, keep, remove, by):
    """Merge the duplicate `remove` into `keep`, all or nothing: its memberships and team roles move to `keep`,
    its address redirects to `keep`'s page (PreviousAddress), `keep` takes the data it lacks, and `remove` is deleted.

    Memberships of both in one partnership that overlap in time become one: the earliest start, the latest (or open)
    end, the weightiest role, a signed declaration if either had one, both notes. Every changed row keeps a history
    record naming `by` and the merge; `remove`'s own history stays, findable by its id (PreviousAddress.merged_id).
    """
    if keep.pk == remove.pk:
        raise ValidationError(_("Organizacji nie można połączyć z nią samą: wybierz dwie różne."), code="same")
    with transaction.atomic():
        rows = Organisation.objects.select_for_update().in_bulk([keep.pk, remove.pk])
        if len(rows) < 2:
            raise ValidationError(_("Jednej z tych organizacji nie ma już w katalogu."), code="gone")
        keep, remove = rows[keep.pk], rows[remove.pk]
        reason = _("Połączono z: %(name)s") % {"name": remove.name}
        _merge_memberships(keep, remove, by, reason)
        for role in remove.people_roles.all():
            role.organisation = keep
            _save(role, by, reason)
        remove.previous_addresses.update(organisation=keep)
        # The address may have been a merged organisation's before `remove` took it: it now leads to `keep`.
        PreviousAddress.objects.update_or_create(
            slug=remove.slug,
            defaults={
                "organisation": keep,
                "name": remove.name,
                "merged_id": remove.pk,
                "merged_on": timezone.localdate(),
            },
        )
        taken = [group for group in FILLED_ON_MERGE if _empty(keep, group) and not _empty(remove, group)]
        values = {name: getattr(remove, name) for group in taken for name in group}
        remove._change_reason = _("Połączono z: %(name)s") % {"name": keep.name}
        authored(remove, by).delete()  # before `keep` takes its KRS number, which is unique
        for name, value in values.items():
            setattr(keep, name, value)
        _save(keep, by, reason)
    return keep


def _empty(organisation, fields):
    return not any(getattr(organisation, name) for name in fields)


def _save(record, by, reason):
    record._change_reason = reason  # django-simple-history's documented way to give a reason
    authored(record, by).save()


def _merge_memberships(keep, remove, by, reason):
    """Move `remove`'s memberships to `keep`, each run of overlapping ones in a partnership made one."""
    memberships = Membership.objects.filter(organisation__in=[keep, remove]).order_by(
        "partnership_id", F("since").asc(nulls_first=True), "pk"
    )
    for _partnership, rows in groupby(memberships, key=lambda row: row.partnership_id):
        for run in _overlapping(rows):
            stays = next((row for row in run if row.organisation_id == keep.pk), run[0])
            others = [row for row in run if row is not stays]
            for other in others:
                other._change_reason = reason
                authored(other, by).delete()  # first: its start or open end may be the one `stays` takes
            if others:
                stays.since = None if any(row.since is None for row in run) else min(row.since for row in run)
                stays.until = None if any(row.until is None for row in run) else max(row.until for row in run)
                stays.role = min((row.role for row in run), key=list(Membership.Role).index)
                stays.signed_declaration = any(row.signed_declaration for row in run)
                notes = dict.fromkeys(row.note for row in [stays, *others] if row.note)
                stays.note = "; ".join(notes)[: Membership._meta.get_field("note").max_length]
            if others or stays.organisation_id != keep.pk:
                stays.organisation = keep
                _save(stays, by, reason)


def _overlapping(rows):
    """Runs of periods (sorted by start, an unknown start first) that overlap one another: a period joins the run when
    it starts before the run ends (an open end, or an unknown start, overlaps all)."""
    run, end = [], None
    for row in rows:
        if run and (end is None or row.since is None or row.since <= end):
            run.append(row)
            end = None if end is None or row.until is None else max(end, row.until)
            continue
        if run:
            yield run
        run, end = [row], row.until
    if run:
        yield run
