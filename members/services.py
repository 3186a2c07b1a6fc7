"""Writes to members: memberships, member organisations, the team (people and their roles), consents, erasure.

Verb-first functions with keyword-only arguments; several rows change in one transaction, `by` is
kept as the author in the history, and uploaded files are removed again when the save fails.
"""

from itertools import groupby

from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from common.history import authored, known_user, same
from common.images import delete_image, replacing_images
from partnerships.models import ContactMessage, Invitation, Partnership, unique_slug

from .models import (
    ContactConsent,
    Erasure,
    Membership,
    Organisation,
    OrganisationChangeProposal,
    Person,
    PreviousAddress,
    value_of,
)

# Sent inside an erasure's transaction (sender: Person) with `text`, the erased person's former searchable text, so
# that what keeps words of it in apps above this one (the search's word table) lets them go too.
person_erased = Signal()

# What an erased person who keeps a role on the partnerships' pages is called there.
ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME = "osoba", "anonimowa"
# The change reason of the one version an anonymised person's history keeps (data, so in the site's language).
ERASURE_REASON = "dane usunięte na wniosek osoby (RODO)"


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


def add_team_member(*, partnership, role, person, by, photo=None, consent_how=""):
    """Add a role in the team; `person` is new (unsaved) or already in the team. `consent_how`: how a new person
    consented to publishing their contact (ContactConsent.How), or empty: no consent."""
    with replacing_images(person, {"photo": photo}), transaction.atomic():
        if person.pk is None:
            person.slug = unique_slug(Person, f"{person.first_name} {person.last_name}")
            authored(person, by).save()
            if consent_how:
                record_consent(person=person, how=consent_how, by=by)
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
        # What was proposed for `remove` was meant for its data, not for `keep`'s: closed, with the reason.
        remove.change_proposals.pending().update(
            status=OrganisationChangeProposal.Status.REJECTED,
            decided_by=known_user(by),
            decided_at=timezone.now(),
            decision_note=reason_closed_by_merge(keep),
        )
        taken = [group for group in FILLED_ON_MERGE if _empty(keep, group) and not _empty(remove, group)]
        values = {name: getattr(remove, name) for group in taken for name in group}
        remove._change_reason = _("Połączono z: %(name)s") % {"name": keep.name}
        authored(remove, by).delete()  # before `keep` takes its KRS number, which is unique
        for name, value in values.items():
            setattr(keep, name, value)
        _save(keep, by, reason)
    return keep


def reason_closed_by_merge(keep):
    return (
        _("Organizację połączono z: %(name)s – zaproponuj zmianę jeszcze raz, jeśli nadal jest potrzebna.")
        % {"name": keep.name}
    )[: OrganisationChangeProposal._meta.get_field("decision_note").max_length]


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


# --- proposed changes of a shared organisation ---------------------------------------------------------------------


def propose_organisation_change(*, organisation, partnership, values, by):
    """Keep a proposal to change `organisation` (shared with other partnerships) coming from `partnership`:
    `values` are {field: value} as the organisation form cleans them. Only the fields whose value differs from the
    organisation's now are kept, each with that value; the organisation itself is not touched. A proposal that
    changes nothing is refused (ValidationError)."""
    current = Organisation.objects.get(pk=organisation.pk)
    changes = {}
    for name in OrganisationChangeProposal.FIELDS:
        if name not in values:
            continue
        new = values[name]
        new = getattr(new, "pk", new)  # a district by its id
        old = value_of(current, name)
        if not same(old, new):
            changes[name] = {"old": old, "new": new}
    if not changes:
        raise ValidationError(
            _("Nie zmieniono żadnego pola, więc nie ma czego proponować. Popraw dane, które są nieaktualne."),
            code="unchanged",
        )
    return OrganisationChangeProposal.objects.create(
        organisation=current,
        organisation_name=current.name,
        partnership=partnership,
        proposed_by=known_user(by),
        changes=changes,
    )


def _pending(proposal):
    """The proposal, locked, while it still waits for a decision (else ValidationError): one decision only."""
    locked = OrganisationChangeProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None or not locked.is_pending:
        raise ValidationError(_("Tę propozycję ktoś już rozpatrzył."), code="decided")
    return locked


def accept_proposal(*, proposal, by, overwrite=(), note=""):
    """Accept a proposal: its fields are set on the organisation in one transaction with the row locked, and the
    history names `by` with the reason "Propozycja od: <partnership>". A field someone changed since the proposal was
    made (its value now is neither the one it had then nor the proposed one) keeps its value unless named in
    `overwrite`; the skipped ones are kept on the proposal. The values are checked by the model's rules again (a KRS
    number another organisation took meanwhile is refused, ValidationError, and nothing is saved)."""
    with transaction.atomic():
        proposal = _pending(proposal)
        if proposal.organisation_id is None:
            raise ValidationError(
                _("Tej organizacji nie ma już w katalogu: propozycję można tylko odrzucić."), code="gone"
            )
        organisation = Organisation.objects.select_for_update().get(pk=proposal.organisation_id)
        conflicts = set(proposal.changed_since(organisation))
        skipped = [name for name in proposal.changes if name in conflicts and name not in overwrite]
        applied = []
        for name, change in proposal.changes.items():
            if name in skipped or same(value_of(organisation, name), change["new"]):
                continue
            setattr(organisation, Organisation._meta.get_field(name).attname, change["new"])
            applied.append(name)
        if applied:
            others = [f.name for f in Organisation._meta.concrete_fields if f.name not in applied]
            organisation.full_clean(exclude=others)
            organisation._change_reason = _("Propozycja od: %(partnership)s") % {
                "partnership": proposal.partnership.name
            }
            authored(organisation, by).save()
        _decide(proposal, OrganisationChangeProposal.Status.ACCEPTED, by, note)
        proposal.skipped = skipped
        proposal.save()
    return proposal


def reject_proposal(*, proposal, by, note=""):
    """Reject a proposal: the organisation stays as it is; the proposer sees the decision and its reason."""
    with transaction.atomic():
        proposal = _pending(proposal)
        _decide(proposal, OrganisationChangeProposal.Status.REJECTED, by, note)
        proposal.save()
    return proposal


def _decide(proposal, status, by, note):
    proposal.status = status
    proposal.decided_by = known_user(by)
    proposal.decided_at = timezone.now()
    proposal.decision_note = note


# --- consent to publishing a person's contact -------------------------------------------------------------------


def record_consent(*, person, how, by, given_at=None):
    """Record that `person` consented (`how`, at `given_at`, now by default) to publishing their e-mail and phone;
    from then on the pages, feeds and open data show them. A person with a current consent is refused."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).exists()  # one recorder or withdrawer at a time
        if person.consents.filter(withdrawn_at__isnull=True).exists():
            raise ValidationError(_("Ta osoba ma już aktualną zgodę."), code="consent_exists")
        consent = ContactConsent.objects.create(
            person=person, how=how, given_at=given_at or timezone.now(), recorded_by=known_user(by)
        )
        person.public_contact = True
        authored(person, by).save(update_fields=["public_contact", "updated_at"])
    return consent


def withdraw_consent(*, person, by):
    """Withdraw the person's current consent: their e-mail and phone leave every page, feed and open-data file at
    the next request (the save moves the data version of every cache). Returns whether there was one."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).exists()
        withdrawn = person.consents.filter(withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=known_user(by)
        )
        person.public_contact = False
        authored(person, by).save(update_fields=["public_contact", "updated_at"])
    return bool(withdrawn)


# --- erasure ----------------------------------------------------------------------------------------------------


def accounts_of(person):
    """The user accounts that are this person: the linked one and any with the person's e-mail."""
    found = Q(pk=person.user_id) if person.user_id else Q(pk__in=[])
    if person.email:
        found |= Q(email__iexact=person.email)
    return get_user_model().objects.filter(found)


def stays_as_anonymous(person):
    """Whether an erasure keeps the person as "osoba anonimowa": they had a role in a partnership or a working group."""
    return person.roles.exists() or person.working_groups.exists()


def erase_person(*, person, by):
    """Erase a person's data on their request, in one transaction; returns the Erasure record.

    A person with roles in partnerships or working groups stays as "osoba anonimowa", so that those teams' past
    stays true; anyone else is deleted with everything linked. Either way: their photo, e-mail, phone, account(s),
    consents, the invitations sent to their e-mail, the messages sent from it through a partnership's contact form
    and the person's change history go (its one remaining version is the erasure itself, so the admin has nothing
    to restore); the e-mail, phone and name are also taken out of
    the contacts of partnerships and organisations (and their history), the admin's log and the e-mail queue.
    A person whose account is a staff account is refused: staff take the account's rights away first.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        accounts = list(accounts_of(person))
        if any(account.is_staff or account.is_superuser for account in accounts):
            raise ValidationError(
                _("To konto pracownika BORIS: najpierw odbierz mu uprawnienia pracownika w panelu."), code="staff"
            )
        pk, email, phone, name, photo = person.pk, person.email, person.phone, person.full_name, person.photo.name
        searchable = person.search_text
        keep = stays_as_anonymous(person)
        person.consents.all().delete()
        Person.history.filter(id=pk).delete()
        if keep:
            person.first_name, person.last_name = ANONYMOUS_FIRST_NAME, ANONYMOUS_LAST_NAME
            person.slug = f"osoba-anonimowa-{pk}"
            person.bio = person.email = person.phone = person.photo = ""
            person.photo_width, person.public_contact, person.user = None, False, None
            person._change_reason = ERASURE_REASON  # django-simple-history's documented way to give a reason
            authored(person, by).save()
        else:
            person.delete()
            Person.history.filter(id=pk).delete()  # the deletion's own version, which would offer to restore
        forget_contact(email=email, phone=phone, name=name, usernames=[account.username for account in accounts])
        for account in accounts:
            account.delete()
        erasure = Erasure.objects.create(person_id=pk, erased_by=known_user(by), kept_as_anonymous=keep)
        person_erased.send(sender=Person, text=searchable)
    if photo:
        transaction.on_commit(lambda: delete_image(photo))
    return erasure


def forget_contact(*, email, phone, name, usernames):
    """Take an erased person's e-mail, phone and name out of every other place the site keeps them."""
    if email:
        Invitation.objects.filter(email__iexact=email).delete()
        ContactMessage.objects.filter(email__iexact=email).delete()
    texts = [text for text in (email, phone) if text]
    if texts:
        mentions = Q()
        for text in texts:
            mentions |= Q(args_kwargs__icontains=text)
        DBTaskResult.objects.filter(mentions).delete()
    AccessAttempt.objects.filter(username__in=[*usernames, *texts]).delete()
    for model, fields in ((Partnership, PARTNERSHIP_CONTACT), (Organisation, ORGANISATION_CONTACT)):
        for field, value in zip(fields, (email, phone, name), strict=True):
            if field and value:
                for rows in (model.objects, model.history):
                    rows.filter(**{f"{field}__iexact": value}).update(**{field: ""})
    for text in [*texts, name]:
        LogEntry.objects.filter(object_repr__contains=text).update(
            object_repr=Replace("object_repr", Value(text), Value(f"{ANONYMOUS_FIRST_NAME} {ANONYMOUS_LAST_NAME}"))
        )


# The fields of a partnership's and an organisation's contact holding an e-mail, a phone and a person's name.
PARTNERSHIP_CONTACT = ("contact_email", "contact_phone", "contact_name")
ORGANISATION_CONTACT = ("email", "phone", None)
