"""What BORIS staff see on the admin's start page: the network in figures and what needs their attention.

Plain functions returning plain data, each in one query (the coordinators' changes in three) whatever the
size of the network; `overview()` gathers them for the page (backoffice/sites.py, templates/backoffice/).

The rules that pick the rows ("not verified for over 12 months", "upcoming, without a place"…) are written
here once and used twice: by the lists on the page, and by the admin's "wymaga uwagi" filter that every list
links to (backoffice/admin.py), so the admin's list holds exactly the rows the page counted.
"""

import functools
from dataclasses import dataclass, field
from datetime import timedelta
from operator import or_
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django import forms
from django.db import models
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.history import made_changes
from common.mail import send_email_task
from events.models import CoOrganiserInvitation, Event, Occurrence
from members.models import Membership, Organisation, OrganisationChangeProposal, folded_name
from network.models import SupportRequest
from partnerships.models import CoordinatorAccess, Invitation, Partnership
from practices.models import Practice

from .models import BackgroundTask

LIMIT = 10  # rows shown in each list; its count and its link cover all of them
CHANGES_DAYS = 30
FILTER = "attention"  # the query parameter of the admin's "wymaga uwagi" filter


class PartnershipCheck(models.TextChoices):
    NOT_VERIFIED_YEAR = "not-verified-12", _("Dane niepotwierdzone od ponad 12 miesięcy albo nigdy")
    NOT_VERIFIED_HALF_YEAR = "not-verified-6", _("Dane potwierdzone od 6 do 12 miesięcy temu")
    NO_COORDINATOR = "no-coordinator", _("Bez koordynatora")
    EXPIRED_INVITATION = "expired-invitation", _("Z wygasłym, nieprzyjętym zaproszeniem")
    INCOMPLETE = "incomplete", _("Bez logo, opisu lub kontaktu")
    CONDITIONS = "conditions", _("Nie spełniają jeszcze wszystkich sześciu warunków")


class EventCheck(models.TextChoices):
    NO_PLACE = "no-place", _("Nadchodzące wydarzenia bez miejsca")
    NO_ORGANISER = "no-organiser", _("Nadchodzące wydarzenia bez organizatora")


class InvitationCheck(models.TextChoices):
    UNANSWERED = "unanswered-co-organiser", _("Zaproszenia do współorganizacji bez odpowiedzi od ponad 14 dni")


UNANSWERED_AFTER = timedelta(days=14)


class OrganisationCheck(models.TextChoices):
    DUPLICATES = "duplicates", _("Organizacje, które wyglądają na zdublowane")


# What an incomplete profile lacks: the rule for each part, and its name on the page.
MISSING = {
    "logo": (Q(logo=""), _("logo")),
    "description": (Q(description=""), _("opis")),
    "contact": (Q(contact_email="", contact_phone=""), _("kontakt (e-mail lub telefon)")),
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Row:
    """One row of a list; besides its label and link, only what its list shows."""

    label: str
    url: str
    date: object = None  # a date, or a datetime shown in Warsaw time
    email: str = ""
    missing: tuple = ()  # names of what is missing (profile parts, conditions)
    met: int | None = None  # conditions met
    members: tuple = ()  # Links: the organisations of a group that look like one
    merges: tuple = ()  # Links: the merge page of the group's first organisation with each other one (label: its name)
    who: Link | None = None  # the author of a change
    fields: tuple = ()  # the labels of the fields a change touched
    kind: str = ""  # of a change: "+" created, "~" changed, "-" deleted
    invited: str = ""  # of an invitation to co-organise an event: the partnership invited
    source: str = ""  # of a proposed change: the partnership it came from
    asked: str = ""  # of a request for support: the kind of support asked for


@dataclass(frozen=True)
class Attention:
    """One list of what needs attention: at most LIMIT rows, how many there are, and where to see them all."""

    key: str
    title: str
    count: int
    rows: list = field(default_factory=list)
    url: str = ""  # the admin's list of exactly these rows ("" when the admin has no such list)


@dataclass(frozen=True)
class Figure:
    label: str
    count: int
    url: str = ""


def admin_url(name, *args, query=None):
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


# --- the network in figures ----------------------------------------------------------------------


def members_by_sector():
    """Organisations with a current membership in any partnership, counted by sector; a former member does not count."""
    current = Membership.objects.current().filter(organisation=OuterRef("pk"))
    counts = dict(Organisation.objects.filter(Exists(current)).order_by().values_list("sector").annotate(n=Count("pk")))
    return [Figure(sector.label, counts.get(sector, 0)) for sector in Organisation.Sector]


def upcoming_dates(now):
    """The dates still to come (not ended yet), of events published or not."""
    return Occurrence.objects.listed().upcoming(now)


def upcoming_events(now):
    """Events that take place (not cancelled) with a date still to come."""
    return Event.objects.filter(status=Event.Status.SCHEDULED, pk__in=upcoming_dates(now).values("event_id"))


def upcoming_event_count(now):
    """How many events take place from now on, counted from their dates (the index on the start), not event by event."""
    return (
        upcoming_dates(now)
        .filter(event__status=Event.Status.SCHEDULED)
        .order_by()
        .values("event_id")
        .distinct()
        .count()
    )


# --- partnerships that need attention --------------------------------------------------------------


def expired_invitations(now):
    """Invitations to coordinate that expired unused (neither accepted nor revoked) and were not sent again since.

    Revoking one in the admin takes it off the dashboard.
    """
    newer = Invitation.objects.filter(
        partnership=OuterRef("partnership"), email=OuterRef("email"), created_at__gt=OuterRef("created_at")
    )
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now).exclude(
        Exists(newer)
    )


def verification_bounds(today):
    """(a year ago, half a year ago): data confirmed before the first is over 12 months old, before the second
    over 6 months old."""
    return today - relativedelta(months=12), today - relativedelta(months=6)


def partnership_rules(now):
    """{PartnershipCheck: Q}: which partnerships each check picks.

    "Over 12 months" is before the same day a year ago; never verified counts as over 12 months. The two
    verification lists do not overlap: the second holds the ones verified 6 to 12 months ago. A coordinator
    is an active account with the right to edit the partnership that is not staff.
    """
    year_ago, half_year_ago = verification_bounds(timezone.localdate(now))
    coordinators = CoordinatorAccess.objects.filter(
        partnership=OuterRef("pk"), user__is_active=True, user__is_staff=False
    )
    return {
        PartnershipCheck.NOT_VERIFIED_YEAR: Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=year_ago),
        PartnershipCheck.NOT_VERIFIED_HALF_YEAR: Q(last_verified_on__gte=year_ago, last_verified_on__lt=half_year_ago),
        PartnershipCheck.NO_COORDINATOR: ~Exists(coordinators),
        PartnershipCheck.EXPIRED_INVITATION: Exists(expired_invitations(now).filter(partnership=OuterRef("pk"))),
        PartnershipCheck.INCOMPLETE: functools.reduce(or_, (rule for rule, _label in MISSING.values())),
        PartnershipCheck.CONDITIONS: functools.reduce(
            or_, (Q(**{f"condition_{key}": False}) for key, _label in Partnership.CONDITIONS)
        ),
    }


def _flag(rule):
    return ExpressionWrapper(rule, output_field=BooleanField())


def partnerships(now):
    """Every partnership (published or not) counted by status, and one Attention per PartnershipCheck.

    One query: every partnership with a flag for each check (a network has partnerships by the hundred, not by
    the hundred thousand), counted and sorted into the lists here.
    """
    rules = partnership_rules(now)
    flags = {f"is_{check.name.lower()}": check for check in PartnershipCheck}
    missing = {f"lacks_{part}": part for part in MISSING}
    last_expired = expired_invitations(now).filter(partnership=OuterRef("pk")).order_by("-expires_at", "-pk")
    rows = (
        Partnership.objects.annotate(
            **{name: _flag(rules[check]) for name, check in flags.items()},
            **{name: _flag(MISSING[part][0]) for name, part in missing.items()},
            expired_email=Subquery(last_expired.values("email")[:1]),
            expired_at=Subquery(last_expired.values("expires_at")[:1]),
        )
        .order_by("sort_name", "pk")
        .values(
            "pk",
            "name",
            "status",
            "last_verified_on",
            "expired_email",
            "expired_at",
            *flags,
            *missing,
            *(f"condition_{key}" for key, _label in Partnership.CONDITIONS),
        )
    )
    by_status = dict.fromkeys(Partnership.Status, 0)
    picked = {check: [] for check in PartnershipCheck}
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + 1
        for name, check in flags.items():
            if row[name]:
                picked[check].append(row)
    changelist = "partnerships_partnership_changelist"
    return {
        "by_status": [
            Figure(status.label, by_status[status], admin_url(changelist, query={"status__exact": status}))
            for status in Partnership.Status
        ],
        "attention": [
            Attention(
                key=check.value,
                title=check.label,
                count=len(picked[check]),
                rows=[_partnership_row(check, row) for row in picked[check][:LIMIT]],
                url=admin_url(changelist, query={FILTER: check.value}),
            )
            for check in PartnershipCheck
        ],
    }


def _partnership_row(check, row):
    url = admin_url("partnerships_partnership_change", row["pk"])
    if check in (PartnershipCheck.NOT_VERIFIED_YEAR, PartnershipCheck.NOT_VERIFIED_HALF_YEAR):
        return Row(row["name"], url, date=row["last_verified_on"])
    if check == PartnershipCheck.EXPIRED_INVITATION:
        return Row(row["name"], url, date=row["expired_at"], email=row["expired_email"])
    if check == PartnershipCheck.INCOMPLETE:
        lacking = tuple(label for part, (_rule, label) in MISSING.items() if row[f"lacks_{part}"])
        return Row(row["name"], url, missing=lacking)
    if check == PartnershipCheck.CONDITIONS:
        unmet = tuple(label for key, label in Partnership.CONDITIONS if not row[f"condition_{key}"])
        return Row(row["name"], url, missing=unmet, met=len(Partnership.CONDITIONS) - len(unmet))
    return Row(row["name"], url)


# --- events that need attention ------------------------------------------------------------------


EVENT_RULES = {
    # An event online has its place: the link.
    EventCheck.NO_PLACE: Q(place__isnull=True, online_url=""),
    # No organiser makes it an event of the whole network: staff check that it is meant so.
    EventCheck.NO_ORGANISER: ~Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"))),
}


def events_needing_attention(check, now):
    """The upcoming events `check` picks."""
    return upcoming_events(now).filter(EVENT_RULES[check])


def event_attention(check, now):
    """The first LIMIT events `check` picks, by their next date, and how many there are: one query."""
    next_date = upcoming_dates(now).filter(event=OuterRef("pk"))
    rows = list(
        events_needing_attention(check, now)
        .annotate(next_start=Subquery(next_date.values("start")[:1]), total=Window(Count("pk")))
        .order_by("next_start", "pk")
        .values("pk", "title", "next_start", "total")[:LIMIT]
    )
    return Attention(
        key=check.value,
        title=check.label,
        count=rows[0]["total"] if rows else 0,
        rows=[Row(row["title"], admin_url("events_event_change", row["pk"]), date=row["next_start"]) for row in rows],
        url=admin_url("events_event_changelist", query={FILTER: check.value}),
    )


# --- invitations to co-organise an event that nobody answers -------------------------------------------------


def unanswered_invitations(now):
    """Invitations to co-organise an event still pending UNANSWERED_AFTER after they were sent (perhaps the
    invited partnership has no coordinator with an e-mail address): staff may answer for it in the admin."""
    return CoOrganiserInvitation.objects.pending().filter(invited_at__lt=now - UNANSWERED_AFTER)


def invitation_attention(now):
    """The oldest LIMIT unanswered invitations and how many there are: one query."""
    check = InvitationCheck.UNANSWERED
    rows = list(
        unanswered_invitations(now)
        .annotate(total=Window(Count("pk")))
        .order_by("invited_at", "pk")
        .values("pk", "event__title", "partnership__name", "invited_at", "total")[:LIMIT]
    )
    return Attention(
        key=check.value,
        title=check.label,
        count=rows[0]["total"] if rows else 0,
        rows=[
            Row(
                row["event__title"],
                admin_url("events_coorganiserinvitation_change", row["pk"]),
                date=row["invited_at"],
                invited=row["partnership__name"],
            )
            for row in rows
        ],
        url=admin_url("events_coorganiserinvitation_changelist", query={FILTER: check.value}),
    )


# --- organisations that look like duplicates --------------------------------------------------------


def duplicate_groups():
    """Groups of organisations whose names fold to the same words (folded_name), in one query over all of them.

    Two organisations with different KRS numbers are two legal entities, so a group counts only when at least
    one of its organisations has no KRS. The same KRS twice cannot happen: the database refuses it
    (the constraint organisation_krs_unique). Each group is a list of (pk, name), in Polish order.
    """
    groups = {}
    for pk, name, krs in Organisation.objects.order_by("sort_name", "pk").values_list("pk", "name", "krs"):
        key = folded_name(name)
        if key:
            groups.setdefault(key, []).append((pk, name, krs))
    return [
        [(pk, name) for pk, name, _krs in group]
        for group in groups.values()
        if len(group) > 1 and any(not krs for _pk, _name, krs in group)
    ]


def duplicate_ids():
    return [pk for group in duplicate_groups() for pk, _name in group]


def duplicate_attention():
    groups = duplicate_groups()
    rows = []
    for group in groups[:LIMIT]:
        ids = ",".join(str(pk) for pk, _name in group)
        members = tuple(Link(name, admin_url("members_organisation_change", pk)) for pk, name in group)
        url = admin_url("members_organisation_changelist", query={"id__in": ids})
        (first, _name), *others = group
        merges = tuple(
            Link(name, admin_url("members_organisation_merge", query={"a": first, "b": pk})) for pk, name in others
        )
        rows.append(Row(members[0].label, url, members=members, merges=merges))
    check = OrganisationCheck.DUPLICATES
    return Attention(
        key=check.value,
        title=check.label,
        count=len(groups),
        rows=rows,
        url=admin_url("members_organisation_changelist", query={FILTER: check.value}),
    )


# --- changes of shared organisations that coordinators proposed ---------------------------------------


def proposal_attention():
    """Proposed changes of shared organisations waiting for a decision, the oldest first: at most LIMIT, one query."""
    rows = list(
        OrganisationChangeProposal.objects.pending()
        .select_related("partnership")
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")[:LIMIT]
    )
    return Attention(
        key="proposals",
        title=_("Propozycje zmian organizacji czekające na decyzję"),
        count=rows[0].total if rows else 0,
        rows=[
            Row(
                proposal.organisation_name,
                admin_url("members_organisationchangeproposal_change", proposal.pk),
                date=proposal.created_at,
                fields=tuple(proposal.field_labels()),
                source=proposal.partnership.name,
            )
            for proposal in rows
        ],
        url=admin_url(
            "members_organisationchangeproposal_changelist",
            query={"status__exact": OrganisationChangeProposal.Status.PENDING},
        ),
    )


# --- requests for BORIS's support that nobody has handled yet ----------------------------------------------


def support_request_attention():
    """Requests sent through the support page's form, not marked handled, the oldest first: at most LIMIT, one
    query."""
    rows = list(
        SupportRequest.objects.unhandled()
        .annotate(total=Window(Count("pk")))
        .order_by("created_at", "pk")
        .values("pk", "name", "kind__name", "created_at", "total")[:LIMIT]
    )
    return Attention(
        key="support-requests",
        title=_("Prośby o wsparcie bez odpowiedzi"),
        count=rows[0]["total"] if rows else 0,
        rows=[
            Row(
                row["name"],
                admin_url("network_supportrequest_change", row["pk"]),
                date=row["created_at"],
                asked=row["kind__name"],
            )
            for row in rows
        ],
        url=admin_url("network_supportrequest_changelist", query={"handled": "no"}),
    )


# --- good practices sent for publication ------------------------------------------------------------------


def waiting_practices():
    """How many good practices their partnerships sent for publication wait for staff (one query), and the admin's
    list of exactly those (its filter "czeka na publikację")."""
    url = admin_url("practices_practice_changelist", query={"czeka": "tak"})
    return Figure(_("Dobre praktyki czekające na publikację"), Practice.objects.waiting().count(), url)


# --- what coordinators changed ----------------------------------------------------------------------


# The many-to-many fields kept in a partnership's history, and the column of their kept rows that names the target.
HISTORY_M2M_TARGETS = {"districts": "district", "places": "place"}


@functools.cache
def partnership_field_labels():
    """{field name: label} of what an editor can change in a partnership: the labels of its form."""
    form = forms.modelform_factory(Partnership, fields="__all__")
    return {name: form_field.label for name, form_field in form.base_fields.items()}


def coordinator_changes(now):
    """Changes of partnerships' data made by coordinators (accounts with the right to edit a partnership that are
    not staff) in the last CHANGES_DAYS days, the newest first: at most LIMIT, with the fields each one changed.

    Three queries: the changes (with their count and the id of the record before each), those earlier records,
    and the districts and places kept with all of them.
    """
    coordinators = CoordinatorAccess.objects.filter(user=OuterRef("history_user"))
    earlier = Partnership.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id"
    )
    records = list(
        Partnership.history.filter(history_date__gte=now - timedelta(days=CHANGES_DAYS), history_user__is_staff=False)
        .filter(Exists(coordinators))
        .annotate(previous_id=Subquery(earlier.values("history_id")[:1]), total=Window(Count("pk")))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:LIMIT]
    )
    previous = Partnership.history.in_bulk([record.previous_id for record in records if record.previous_id])
    kept = _kept_m2m([*(record.history_id for record in records), *previous])
    labels = partnership_field_labels()
    rows = []
    for record in records:
        before = previous.get(record.previous_id)
        changed = _changed_fields(record, before, kept, labels) if record.history_type == "~" and before else []
        user = record.history_user
        rows.append(
            Row(
                record.name,
                admin_url("partnerships_partnership_simple_history", record.id, record.history_id),
                date=record.history_date,
                who=Link(user.get_full_name() or user.get_username(), admin_url("auth_user_change", user.pk)),
                fields=tuple(labels[name] for name in changed),
                kind=record.history_type,
            )
        )
    return Attention(
        key="coordinator-changes",
        title=_("Zmiany wprowadzone przez koordynatorów w ostatnich 30 dniach"),  # CHANGES_DAYS
        count=records[0].total if records else 0,
        rows=rows,
    )


def _kept_m2m(history_ids):
    """{(field name, history id): {target ids}}: the districts and places kept with these records, in one query."""
    history_model = Partnership.history.model
    first, *others = (
        getattr(history_model, name)
        .filter(history_id__in=history_ids)
        .order_by()
        .annotate(field_name=Value(name, output_field=CharField()))
        .values_list("field_name", "history_id", target)
        for name, target in HISTORY_M2M_TARGETS.items()
    )
    kept = {}
    for name, history_id, target_id in first.union(*others, all=True):
        kept.setdefault((name, history_id), set()).add(target_id)
    return kept


def _changed_fields(record, before, kept, labels):
    """Names of the editable fields `record` changed against the record `before` it, in the form's order."""
    plain = [name for name in labels if name not in HISTORY_M2M_TARGETS]
    # A save that changed nothing a person can see (a browser's line endings, "" for nothing) is no change.
    changed = {change.field for change in made_changes(record.diff_against(before, included_fields=plain))}
    for name in HISTORY_M2M_TARGETS:
        if kept.get((name, record.history_id), set()) != kept.get((name, before.history_id), set()):
            changed.add(name)
    return [name for name in labels if name in changed]


# --- e-mails that could not be sent -------------------------------------------------------------------


def failed_emails():
    """E-mails whose every attempt failed (common/mail.py gave up), the newest first: at most LIMIT, one query."""
    task_path = send_email_task.module_path
    rows = list(
        BackgroundTask.objects.failed()
        .filter(task_path=task_path)
        .annotate(total=Window(Count("pk")))
        .order_by("-finished_at")
        .values("pk", "args_kwargs", "finished_at", "total")[:LIMIT]
    )
    return Attention(
        key="failed-emails",
        title=_("E-maile, których nie udało się wysłać"),
        count=rows[0]["total"] if rows else 0,
        rows=[
            Row(
                row["args_kwargs"]["kwargs"]["subject"],
                admin_url("backoffice_backgroundtask_change", row["pk"]),
                date=row["finished_at"],
                email=", ".join(row["args_kwargs"]["kwargs"]["to"]),
            )
            for row in rows
        ],
        url=admin_url("backoffice_backgroundtask_changelist", query={"status": "FAILED", "task_path": task_path}),
    )


# --- the page -------------------------------------------------------------------------------------


def overview(now):
    """Everything the dashboard shows, in a fixed number of queries."""
    network = partnerships(now)
    by_sector = members_by_sector()
    return {
        "by_status": network["by_status"],
        "partnership_total": sum(figure.count for figure in network["by_status"]),
        "by_sector": by_sector,
        "member_total": sum(figure.count for figure in by_sector),
        "upcoming_events": upcoming_event_count(now),
        "partnerships": network["attention"],
        "events": [event_attention(check, now) for check in EventCheck],
        "invitations": invitation_attention(now),
        "duplicates": duplicate_attention(),
        "proposals": proposal_attention(),
        "support_requests": support_request_attention(),
        "practices": waiting_practices(),
        "failed_emails": failed_emails(),
        "changes": coordinator_changes(now),
        "limit": LIMIT,
    }


def picked_rows(check, now):
    """The rows (a queryset of their model, or a list of ids) that `check` picks: what the admin's filter shows."""
    if isinstance(check, PartnershipCheck):
        return Partnership.objects.filter(partnership_rules(now)[check]).values("pk")
    if isinstance(check, EventCheck):
        return events_needing_attention(check, now).values("pk")
    if isinstance(check, InvitationCheck):
        return unanswered_invitations(now).values("pk")
    return duplicate_ids()
