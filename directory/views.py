"""Public pages of partnerships, districts, places, working groups and positions.

These pages compose the domains: a partnership with its members, team and events, a district
with its partnerships, organisations, places and events.
"""

from datetime import date
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from common.cache import cached_fragment
from common.choices import choice_label
from common.links import slug_urls
from common.paging import PublicFilterView, PublicListMixin
from events.models import Event, Minutes, Occurrence
from members.models import Membership, Organisation
from partnerships.filters import PartnershipFilter, PlaceFilter
from partnerships.models import District, Partnership, Place, Position, WorkingGroup
from practices.models import Practice

UPCOMING_ON_DETAIL = 8
PAST_ON_DETAIL = 5
PRACTICES_ON_DETAIL = 3
# A district page is a summary: at a city-wide scale a district has hundreds of each; the directories page through all.
ORGANISATIONS_ON_DISTRICT = 24
PARTNERSHIPS_ON_DISTRICT = 24
PLACES_ON_DISTRICT = 30


def count_per_district(rows, district_field):
    """A subquery counting the `rows` of the outer district: no join fan-out."""
    rows = rows.filter(**{district_field: OuterRef("pk")}).order_by()
    return Coalesce(Subquery(rows.values(district_field).annotate(n=Count("pk")).values("n")), 0)


def districts_with_counts():
    """Districts with how many published partnerships, published organisations and places each has."""
    return District.objects.annotate(
        partnership_count=count_per_district(Partnership.objects.public(), "districts"),
        organisation_count=count_per_district(Organisation.objects.public(), "district"),
        place_count=count_per_district(Place.objects.all(), "district"),
    )


def public_events():
    return Event.objects.public()


def upcoming_in_district(district, limit=UPCOMING_ON_DETAIL):
    """The next events held in the district or organised by a partnership working there, by their next date.

    Found from the next dates (the index on the dates' start, read from now on), so the cost does not grow with the
    archive: of the next `limit * 4` dates, the first of each event is its next one. Each event carries that date
    as Event.objects.upcoming() gives it (next_start, next_end, next_status, next_moved) for its card and the map:
    read with the dates, rather than by a subquery for each value.
    """
    organised_here = Event.organisers.through.objects.filter(
        event_id=OuterRef("event_id"), partnership__is_published=True, partnership__districts=district
    )
    next_dates = (
        Occurrence.objects.public()
        .upcoming()
        .filter(Q(event__place__district=district) | Q(Exists(organised_here)))
        .values_list("event_id", "start", "end", "status", "moved")[: limit * 4]
    )
    firsts = {}
    for event_id, *next_date in next_dates:
        firsts.setdefault(event_id, next_date)
    firsts = dict(list(firsts.items())[:limit])  # soonest first, as the dates came
    events = public_events().for_cards().in_bulk(firsts)
    found = []
    for event_id, (start, end, status, moved) in firsts.items():
        event = events.get(event_id)  # None only if it was unpublished in between
        if event is not None:
            event.next_start, event.next_end, event.next_status, event.next_moved = start, end, status, moved
            found.append(event)
    return found


class PartnershipListView(PublicFilterView):
    filterset_class = PartnershipFilter
    template_name = "partnerships/partnership_list.html"

    def get_queryset(self):
        return Partnership.objects.visible_to(self.request.user).for_cards()


class Member(NamedTuple):
    """One organisation on a partnership's list of members."""

    url: str
    name: str
    role: str  # the role's label, empty for a plain member
    since: date | None
    until: date | None


def members_of(partnership):
    """The published member organisations: current ones by sector (in the model's order), and former ones.

    Read as plain rows, not model instances: a partnership at scale lists a hundred members, and this list is
    most of its page's work when nothing is cached.
    """
    today = timezone.localdate()
    rows = (
        partnership.memberships.filter(organisation__is_published=True)
        .order_by("organisation__sort_name", "-since")
        .values_list("organisation__slug", "organisation__name", "organisation__sector", "role", "since", "until")
    )
    organisation_url = slug_urls("members:organisation_detail")
    sectors = {sector: [] for sector in Organisation.Sector}
    former = []
    for slug, name, sector, role, since, until in rows:
        label = "" if role == Membership.Role.MEMBER else choice_label(Membership.Role, role)
        member = Member(organisation_url(slug), name, label, since, until)
        (former if until is not None and until < today else sectors[sector]).append(member)
    by_sector = [(sector.label, members) for sector, members in sectors.items() if members]
    return {"by_sector": by_sector, "count": sum(len(members) for _, members in by_sector), "former": former}


def events_of(partnership):
    """The next events the partnership organises (for cards) and the last ones that have ended."""
    now = timezone.now()
    events = public_events().filter(organisers=partnership)
    return {
        "upcoming": list(events.for_cards().upcoming(now)[:UPCOMING_ON_DETAIL]),
        "past": list(events.only("title", "slug", "start", "end").past(now)[:PAST_ON_DETAIL]),
    }


def partnership_detail(request, slug):
    partnerships = with_newest_practices(Partnership.objects.visible_to(request.user))
    try:
        # The same for every anonymous visitor: shared per data version, like its parts below.
        partnership = cached_fragment(f"partnership:{slug}", lambda: partnerships.get(slug=slug), request=request)
    except Partnership.DoesNotExist:
        renamed = partnerships.renamed_from(slug)
        if renamed is None:
            raise Http404 from None
        return redirect(renamed, permanent=True)

    # The page's sections are the same for every anonymous visitor (what is published) and costly to build at scale:
    # each is rendered once per data version and kept (the events also move with the time).
    key = f"{partnership.pk}:{get_language()}:{request.build_absolute_uri('/')}"

    def section(name, **data):
        return render_to_string(f"partnerships/partnership/{name}.html", {"partnership": partnership, **data}, request)

    def sections():
        parts = parts_of(partnership)
        return {
            "head": section("head", districts=parts["districts"], places=parts["places"]),
            "members": section("members", members=members_of(partnership)),
            "facts": section(
                "facts", districts=parts["districts"], previous_names=parts["previous_names"], places=parts["places"]
            ),
            "team": section("team", team=parts["team"], working_groups=parts["working_groups"]),
            "scripts": section("scripts", places=parts["places"]),
            "practices": section("practices", practices=practices_of(partnership)),
        }

    def events():
        found = events_of(partnership)
        return section("events", upcoming_events=found["upcoming"], past_events=found["past"])

    context = {
        "partnership": partnership,
        "sections": cached_fragment(f"partnership-sections:{key}", sections, request=request),
        "events": cached_fragment(f"partnership-events:{key}", events, request=request, moves_with_time=True),
    }
    return render(request, "partnerships/partnership_detail.html", context)


def with_newest_practices(partnerships):
    """The partnerships with their newest published practices (`newest_practice_<n>`: title, slug and summary,
    or None) and how many they have (`practice_count`), read in the same query as the partnership itself."""
    published = Practice.objects.filter(partnership=OuterRef("pk"), is_published=True)
    newest = published.order_by("-published_at", "-pk").values(
        data=JSONObject(title="title", slug="slug", summary="summary")
    )
    counted = published.order_by().values("partnership").annotate(n=Count("pk")).values("n")
    return partnerships.annotate(
        practice_count=Coalesce(Subquery(counted), 0),
        **{f"newest_practice_{n}": Subquery(newest[n : n + 1]) for n in range(PRACTICES_ON_DETAIL)},
    )


def practices_of(partnership):
    """The newest published practices read with the partnership (with_newest_practices), with their addresses."""
    url = slug_urls("practices:detail")
    rows = [getattr(partnership, f"newest_practice_{n}") for n in range(PRACTICES_ON_DETAIL)]
    return [{**row, "url": url(row["slug"])} for row in rows if row]


def parts_of(partnership):
    """What a partnership's page shows besides its members and events: districts, former names, the team
    (current roles, by person), meeting places and working groups."""
    team = {}
    for role in (
        partnership.team_roles.current().select_related("person", "organisation").order_by("role", "person__sort_name")
    ):
        team.setdefault(role.person, []).append(role)
    return {
        "districts": list(partnership.districts.all()),
        "previous_names": list(partnership.previous_names.all()),
        "team": list(team.items()),
        "places": list(partnership.places.select_related("district")),
        "working_groups": list(partnership.working_groups.public()),
    }


class DistrictListView(ListView):
    template_name = "partnerships/district_list.html"
    context_object_name = "districts"

    def get_queryset(self):
        return districts_with_counts()


class DistrictDetailView(DetailView):
    """A district: the first of its partnerships, organisations and places, each with a link to all of them."""

    model = District
    template_name = "partnerships/district_detail.html"
    context_object_name = "district"

    def get_queryset(self):
        return districts_with_counts()

    def get_object(self, queryset=None):
        """The district with its counts (three counting subqueries at scale): shared, like its lists."""
        read = super().get_object
        return cached_fragment(f"district:{self.kwargs['slug']}", lambda: read(queryset), request=self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        district, request = self.object, self.request

        def section(name, **data):
            return render_to_string(f"partnerships/district/{name}.html", {"district": district, **data}, request)

        def sections():
            organisations = Organisation.objects.visible_to(request.user).filter(district=district)
            partnerships = Partnership.objects.visible_to(request.user).filter(districts=district).for_cards()
            return {
                "partnerships": section("partnerships", partnerships=list(partnerships[:PARTNERSHIPS_ON_DISTRICT])),
                "organisations": section(
                    "organisations",
                    organisations=list(
                        organisations.only("name", "slug", "sector", "kind")[:ORGANISATIONS_ON_DISTRICT]
                    ),
                ),
            }

        def moving():
            """What moves with the time: the next events, and the map that shows them with the places."""
            upcoming = upcoming_in_district(district)
            places = list(district.places.all()[:PLACES_ON_DISTRICT])
            return {
                "events": section("events", upcoming_events=upcoming),
                "map": section(
                    "map", places=places, upcoming_events=upcoming, map_areas_limit=PARTNERSHIPS_ON_DISTRICT
                ),
            }

        # The same for every anonymous visitor (what is published) and costly at scale: each rendered once per data
        # version and kept (the events and the map also move with the time).
        key = f"{district.pk}:{get_language()}:{request.build_absolute_uri('/')}"
        context["sections"] = cached_fragment(f"district-sections:{key}", sections, request=request)
        context["moving"] = cached_fragment(f"district-moving:{key}", moving, request=request, moves_with_time=True)
        return context


class PlaceListView(PublicFilterView):
    template_name = "partnerships/place_list.html"
    context_object_name = "places"
    filterset_class = PlaceFilter

    def get_queryset(self):
        return Place.objects.select_related("district")


class PlaceDetailView(DetailView):
    model = Place
    template_name = "partnerships/place_detail.html"
    context_object_name = "place"

    def get_queryset(self):
        return Place.objects.select_related("district")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnerships"] = list(self.object.partnerships.visible_to(self.request.user).only("name", "slug"))
        context["upcoming_events"] = list(
            public_events().for_cards().filter(place=self.object).upcoming()[:UPCOMING_ON_DETAIL]
        )
        return context


class WorkingGroupListView(PublicListMixin, ListView):
    template_name = "partnerships/workinggroup_list.html"
    context_object_name = "working_groups"

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)


class WorkingGroupDetailView(DetailView):
    """A working group: its task, who is in it, its next meetings, the meetings that chose it and what it produced.

    A fixed number of queries whatever the size of the network: the group, its partnerships, its people, its next
    meetings (with their organisers), the published minutes that chose it and its positions."""

    template_name = "partnerships/workinggroup_detail.html"
    context_object_name = "working_group"

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.object
        context["partnerships"] = list(group.partnerships.public().only("name", "slug"))
        context["people"] = list(group.people.current().select_related("person"))
        context["upcoming_meetings"] = list(
            public_events().filter(working_group=group).for_cards().upcoming()[:UPCOMING_ON_DETAIL]
        )
        context["chosen_at"] = list(
            Minutes.objects.public()
            .filter(working_groups=group)
            .select_related("event")
            .only("event", "event__title", "event__slug", "event__start")
            .order_by("event__start", "pk")
        )
        # What the group produced, in one section of the page ("Dorobek zespołu"): its positions and good practices.
        context["outputs"] = {
            "positions": list(group.positions.public()),
            "practices": list(
                Practice.objects.public().filter(working_group=group).only("title", "slug", "summary", "published_at")
            ),
        }
        return context


class PositionListView(PublicListMixin, ListView):
    template_name = "partnerships/position_list.html"
    context_object_name = "positions"

    def get_queryset(self):
        return Position.objects.visible_to(self.request.user).select_related("working_group")


class PositionDetailView(DetailView):
    template_name = "partnerships/position_detail.html"
    context_object_name = "position"

    def get_queryset(self):
        return Position.objects.visible_to(self.request.user).select_related("working_group")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnerships"] = list(self.object.partnerships.public().only("name", "slug"))
        return context
