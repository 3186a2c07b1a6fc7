"""Writes to members: memberships, member organisations, the team (people and their roles).

Verb-first functions with keyword-only arguments; several rows change in one transaction, `by` is
kept as the author in the history, and uploaded files are removed again when the save fails.
"""

from django.db import transaction

from common.history import authored
from common.images import replacing_images
from partnerships.models import unique_slug

from .models import Organisation, Person


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
