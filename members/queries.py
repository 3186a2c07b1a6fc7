"""Reads of members that several pages share: everything the site holds about one person (a data request)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.choices import choice_label
from common.history import same
from partnerships.models import ContactMessage, CoordinatorAccess, District, Invitation, Partnership

from .models import ContactConsent, Organisation, PartnershipRole, Person, WorkingGroupMembership, value_of
from .services import accounts_of

HISTORY_TYPES = {"+": gettext_lazy("dodano"), "~": gettext_lazy("zmieniono"), "-": gettext_lazy("usunięto")}


@dataclass
class Section:
    key: str  # the section's name in the JSON file
    title: str
    rows: list  # each row a dict {field label: value as text}


def plain(value):
    """A value as text a person can read and a JSON file can hold."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def row(obj, fields, **extra):
    """{verbose name: value} of `fields` of a model object (choices by their label), then `extra` ({label: value})."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if field.choices and display else getattr(obj, name)
        values[str(field.verbose_name)] = plain(getattr(value, "name", value) if name == "photo" else value)
    values.update({str(label): plain(value) for label, value in extra.items()})
    return values


PROFILE = ("first_name", "last_name", "slug", "photo", "bio", "email", "phone", "public_contact", "created_at")
ACCOUNT = ("username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login")
HISTORY = ("first_name", "last_name", "bio", "email", "phone", "public_contact")


def person_data(person):
    """Everything the site holds about `person`, as sections of rows of text, in a fixed number of queries.

    The same sections make the staff's readable page and the JSON file the person gets (members/admin.py).
    """
    accounts = list(accounts_of(person).order_by("pk"))
    matches_contact = Q(pk__in=[])
    organisation_contact = Q(pk__in=[])
    if person.email:
        matches_contact |= Q(contact_email__iexact=person.email)
        organisation_contact |= Q(email__iexact=person.email)
    if person.phone:
        matches_contact |= Q(contact_phone=person.phone)
        organisation_contact |= Q(phone=person.phone)
    rights = CoordinatorAccess.objects.filter(user__in=accounts).select_related("user", "partnership")
    roles = PartnershipRole.objects.filter(person=person).select_related("person", "partnership", "organisation")
    groups = WorkingGroupMembership.objects.filter(person=person).select_related("working_group")
    consents = ContactConsent.objects.filter(person=person).select_related("recorded_by", "withdrawn_by")
    invitations = Invitation.objects.filter(email__iexact=person.email or None).select_related("partnership")
    contact_messages = ContactMessage.objects.filter(email__iexact=person.email or None).select_related("partnership")
    partnerships = Partnership.objects.filter(matches_contact)
    versions = Person.history.filter(id=person.pk).select_related("history_user").order_by("history_date")
    return [
        Section("profile", _("Dane osoby"), [row(person, PROFILE)]),
        Section("accounts", _("Konta użytkownika"), [row(account, ACCOUNT) for account in accounts]),
        Section(
            "coordinator_rights",
            _("Prawa edycji partnerstw"),
            [
                row(right, ("granted_at",), **{_("konto"): right.user, _("partnerstwo"): right.partnership})
                for right in rights
            ],
        ),
        Section(
            "roles",
            _("Role w partnerstwach"),
            [row(role, ("partnership", "role", "organisation", "since", "until")) for role in roles],
        ),
        Section(
            "working_groups",
            _("Zespoły robocze"),
            [row(membership, ("working_group", "role", "since", "until")) for membership in groups],
        ),
        Section(
            "consents",
            _("Zgody na publikację kontaktu"),
            [row(c, ("given_at", "how", "recorded_by", "withdrawn_at", "withdrawn_by")) for c in consents],
        ),
        Section(
            "invitations",
            _("Zaproszenia wysłane na adres e-mail osoby"),
            [
                row(i, ("email", "partnership", "created_at", "expires_at", "accepted_at", "revoked_at"))
                for i in invitations
            ],
        ),
        Section(
            "contact_messages",
            _("Wiadomości wysłane z tego adresu e-mail przez formularz kontaktowy partnerstwa"),
            [row(m, ("partnership", "name", "email", "reason", "message", "created_at")) for m in contact_messages],
        ),
        Section(
            "partnership_contacts",
            _("Partnerstwa z kontaktem tej osoby"),
            [row(p, ("name", "contact_name", "contact_email", "contact_phone")) for p in partnerships],
        ),
        Section(
            "organisation_contacts",
            _("Organizacje z kontaktem tej osoby"),
            [row(o, ("name", "email", "phone")) for o in Organisation.objects.filter(organisation_contact)],
        ),
        Section(
            "history",
            _("Historia zmian danych osoby"),
            [
                row(
                    version,
                    HISTORY,
                    **{
                        _("kiedy"): version.history_date,
                        _("zmiana"): HISTORY_TYPES.get(version.history_type, version.history_type),
                        _("kto"): version.history_user,
                        _("powód"): version.history_change_reason,
                    },
                )
                for version in versions
            ],
        ),
    ]


# --- a proposed change of a shared organisation, field by field ---------------------------------------------------


@dataclass
class ProposedChange:
    """One field of a proposal, its values as text: when proposed, now, proposed; `changed_since`: someone changed it
    after the proposal was made (it is neither the old nor the proposed value now)."""

    name: str
    label: str
    old: str
    now: str
    new: str
    changed_since: bool
    done: bool  # the organisation holds the proposed value now


def proposed_changes(proposal):
    """The proposal's fields in the form's order, with the organisation's values now (one query for the names of
    the districts they mention)."""
    organisation = proposal.organisation
    conflicts = set(proposal.changed_since()) if proposal.is_pending else set()
    now = {name: value_of(organisation, name) if organisation else None for name in proposal.changes}
    district_ids = {
        value
        for name, change in proposal.changes.items()
        if name == "district"
        for value in (change["old"], change["new"], now[name])
        if value
    }
    districts = dict(District.objects.filter(pk__in=district_ids).values_list("pk", "name")) if district_ids else {}

    def shown(name, value):
        if value in (None, ""):
            return "–"
        if name == "district":
            return districts.get(value, "–")
        if name == "sector":
            return choice_label(Organisation.Sector, value)
        return str(value)

    return [
        ProposedChange(
            name=name,
            label=str(Organisation._meta.get_field(name).verbose_name),
            old=shown(name, change["old"]),
            now=shown(name, now[name]) if organisation else "–",
            new=shown(name, change["new"]),
            changed_since=name in conflicts,
            done=organisation is not None and same(now[name], change["new"]),
        )
        for name in proposal.FIELDS
        if name in proposal.changes
        for change in [proposal.changes[name]]
    ]
