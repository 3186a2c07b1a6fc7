"""Site-wide search: the one module that hides the difference between the databases.

Every searchable model keeps `search_text`, its text folded to lower-case ASCII
("Żoliborz" -> "zoliborz", see partnerships.models.SearchableMixin). Typed words are read
by the site's one word rule (`common.words`: folded, three characters or more, each matching
where it occurs, also as the start of a longer word) and compared with it:

* SQLite: every typed word must occur in `search_text` (prefixes and infixes
  match: "moko" finds "Mokotów", "praga poludnie" finds "Praga-Południe").
* PostgreSQL: the same, plus full-text search (`to_tsquery` with prefixes over
  the unaccented text) and typos: a word also matches the words of the site's
  texts close to it by `pg_trgm`'s word similarity ("Mokotóww", "Żoliboż"),
  found in the table of distinct words (`search.models.SearchWord`).
  GIN indexes from the search app's migrations serve every condition; the districts
  a query names and the close words are looked up first (`Query.resolve()`), so
  every condition has an index.

Ranking, on both databases: the whole query as the name, then names starting
with it, then names containing every word, then matches elsewhere (description,
address, the district's name). PostgreSQL breaks ties by how similar the name
is to the query, which puts the best typo matches first.

Counting is bounded: each kind counts at most COUNT_LIMIT + 1 matches, and a kind with more
shows "more than COUNT_LIMIT" (a common word matches tens of thousands of rows at a city's
scale, and counting them all cost more than the rest of the search).

Every statement is built with the ORM for each search. Views use `search_overview()`,
`search_kind()`, `count_matches()`, `KINDS` and the `highlight()`/`snippet()` helpers;
they never look at the database vendor.
"""

import contextlib
import functools
import operator
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.contrib.postgres.search import SearchQueryField, SearchVectorField, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.text import fold
from common.words import MAX_QUERY_LENGTH, MAX_WORD_LENGTH, MAX_WORDS, MIN_WORD_LENGTH, split_words, word_condition
from events.models import Event
from members.models import Organisation, PartnershipRole, Person
from partnerships.models import District, Partnership, Place, Position, WorkingGroup

from .models import SearchWord

__all__ = ["MAX_QUERY_LENGTH", "MIN_WORD_LENGTH"]

# Shorter words are matched exactly: trigram similarity of a word of four letters or fewer says little
# (and "moko" is a prefix someone is typing, not a typo).
TYPO_MIN_LENGTH = 5
SNIPPET_WIDTH = 180
# Each kind counts at most this many matches (and one more, to know there are more).
COUNT_LIMIT = 1000


# --- the typed query -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the visitor typed, ready for both databases.

    `words` are folded (lower-case ASCII, see common.words) and compared with `search_text`;
    `tokens` are the letters-and-digits runs of the raw text, lower-cased but
    with their Polish letters, for PostgreSQL's `unaccent` + `to_tsquery`.
    """

    raw: str
    words: tuple
    tokens: tuple
    # Per word, the districts whose name it matches; None until resolve() (then a subquery is used).
    district_ids: tuple | None = None
    # Typed words shorter than MIN_WORD_LENGTH, left out of the search (the page says so).
    skipped: tuple = ()
    # Per word, the words of the site's texts close to it (typos); None until resolve() on PostgreSQL.
    close_words: tuple | None = None

    @classmethod
    def parse(cls, text):
        typed = split_words(text)
        tokens = tuple(dict.fromkeys(re.findall(r"[^\W_]+", typed.raw.lower())))
        return cls(
            raw=typed.raw,
            words=typed.words,
            tokens=tuple(token for token in tokens if len(token) >= MIN_WORD_LENGTH)[:MAX_WORDS],
            skipped=typed.skipped,
        )

    def __bool__(self):
        return bool(self.words)

    @property
    def phrase(self):
        return " ".join(self.words)

    def resolve(self):
        """On PostgreSQL, look up which districts each word names (18 rows) and which words of the
        site's texts are close to each typed word (the word table), both in one query.

        With the ids and the close words written into the query, every condition is one that a
        GIN or B-tree index answers, so PostgreSQL combines index scans instead of reading every
        row. SQLite reads the rows anyway; there the districts stay a subquery, and it has no typos.
        """
        if not self.words or self.district_ids is not None or not is_postgresql():
            return self
        districts = [[] for _ in self.words]
        close = [{} for _ in self.words]
        for position, word, similarity, length, district in looked_up(self.words):
            if district is not None:
                districts[position].append(district)
            elif _LEXEME.fullmatch(word):  # the triggers keep only these; the full-text query quotes nothing else
                close[position].setdefault(word, (-similarity, length, word))
        ranked = tuple(tuple(sorted(found, key=found.get)[:MAX_CLOSE_WORDS]) for found in close)
        return replace(self, district_ids=tuple(tuple(ids) for ids in districts), close_words=ranked)

    def typo_tsquery(self, index):
        """The close words of word `index` as a full-text query matching any of them: 'mokotow' | 'mokotowa'."""
        return " | ".join(f"'{word}'" for word in self.close_words[index])

    @property
    def marked(self):
        """What results highlight: the typed words and the words close to them."""
        return self.words + tuple(word for close in self.close_words or () for word in close)

    def tsquery(self):
        """Every token as a prefix: 'zoliborz':* & 'praga':* (tokens hold letters and digits only)."""
        return " & ".join(f"'{token[:MAX_WORD_LENGTH]}':*" for token in self.tokens)


def is_postgresql():
    return connection.vendor == "postgresql"


# At most this many close words per typed word, the most similar (then the shortest) first: the endings
# of a Polish word (a dozen for an adjective) and a typo or two. Matched whole: as prefixes ('mokotow':*)
# the planner can only guess how many rows they find, and guessing low it read tens of thousands of
# rows through the wrong index (0.6 s for "warsztaty dla dzieci" at a hundred times the city).
MAX_CLOSE_WORDS = 24
_LEXEME = re.compile(r"[a-z0-9]+")


def looked_up(words):
    """Rows (word's position, close word, similarity, length, district id) for `words`, in one query (PostgreSQL):
    per word the districts whose name matches it (the word columns empty), and for each word of
    TYPO_MIN_LENGTH or more the words of the site's texts similar to it as pg_trgm's word similarity `%>`
    has it (the district empty), the words that contain it left out: those are found anyway.

    A close word kept twice (see SearchWord) comes twice: one more row than MAX_CLOSE_WORDS is read for it.
    """
    parts = []
    for position, word in enumerate(words):
        parts.append(
            District.objects.filter(district_name_matches(word))
            .order_by()
            .annotate(
                position=Value(position),
                # Typed, or PostgreSQL takes the NULLs of two first parts for text.
                close=Cast(Value(None), output_field=TextField()),
                similarity=Cast(Value(None), output_field=FloatField()),
                length=Cast(Value(None), output_field=IntegerField()),
                district=F("pk"),
            )
            .values_list("position", "close", "similarity", "length", "district")
        )
        if len(word) >= TYPO_MIN_LENGTH:
            parts.append(
                SearchWord.objects.filter(word__trigram_word_similar=word)
                .exclude(word__contains=word)
                .annotate(
                    position=Value(position),
                    close=F("word"),
                    similarity=TrigramWordSimilarity(word, "word"),
                    length=Length("word"),
                    district=Cast(Value(None), output_field=IntegerField()),
                )
                .order_by("-similarity", "length", "word")
                .values_list("position", "close", "similarity", "length", "district")[: MAX_CLOSE_WORDS + 1]
            )
    first, *rest = parts
    return list(first.union(*rest, all=True)) if rest else list(first)


@contextmanager
def searching():
    """The statements of one search, run with the search's settings on PostgreSQL, which end with the
    transaction: the one already open (a test's, a request's), or one opened for the search.

    A search reads a few rows of each table through its indexes: starting parallel workers for it costs
    more than it saves (milliseconds a statement on a small machine), and so does compiling it to machine
    code (JIT): the planner's costs for text conditions are high enough to trigger it, and compiling took
    0.5 s of a 1 s search at a hundred times the city.
    """
    if not is_postgresql():
        yield
        return
    with contextlib.ExitStack() as stack:
        if transaction.get_autocommit():
            stack.enter_context(transaction.atomic())
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_SETTINGS)
        yield


SEARCH_SETTINGS = "SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"


# --- PostgreSQL expressions (never compiled on SQLite) ---------------------------------------------------------


class FoldedTextVector(Func):
    """to_tsvector over the folded column; the GIN index `search_<table>_fts` has this exact expression."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


class PrefixTsQuery(Func):
    """The typed tokens, unaccented by the database, as a prefix tsquery."""

    template = "to_tsquery('simple'::regconfig, unaccent(%(expressions)s))"
    output_field = SearchQueryField()


class WordsTsQuery(Func):
    """Whole words of the folded text, as a tsquery: 'mokotow' | 'mokotowa'."""

    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = SearchQueryField()


class TextMatches(Func):
    """vector @@ query, usable directly in filter()."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def text_matches(word, typos=None):
    """The folded `search_text` contains the word, or (PostgreSQL) one of the words close to it.

    `typos` is the full-text query of the close words (Query.typo_tsquery()), matched with the
    full-text index; None when there are none.
    """
    condition = word_condition(word, ["search_text"])
    if typos is not None:
        condition |= Q(TextMatches(FoldedTextVector(F("search_text")), WordsTsQuery(Value(typos))))
    return condition


def district_name_matches(word):
    """The district's folded name and description contain the word; on PostgreSQL a similar one counts
    too (typos). Eighteen short texts: word similarity over each is cheap."""
    condition = word_condition(word, ["search_text"])
    if is_postgresql() and len(word) >= TYPO_MIN_LENGTH:
        condition |= Q(search_text__trigram_word_similar=word)
    return condition


# --- what can be found -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One type of result: how to fetch, match, rank and show it."""

    key: str  # in the address: ?typ=partnerstwa
    label: object  # lazy, plural: "Partnerstwa"
    name: str  # the attribute shown as the result's title
    snippet_fields: tuple
    choice_fields: tuple = ()  # fields whose choice label the result shows (as hit.labels.<field>)

    def base_queryset(self, user):
        raise NotImplementedError

    @property
    def model(self):
        return self.base_queryset(None).model

    def name_length(self):
        return Length(self.name)

    def order_tail(self, now):
        return ("sort_name", "pk")

    def prefetch(self, queryset):
        return queryset

    def finish(self, obj):
        """Prepare a fetched row for its template (PersonKind adds the role)."""

    def in_districts(self, districts):
        """The rows that lie in (or work in) one of `districts`, as a list of conditions on the row (Q) and
        of (queryset of another table, its field with the row's id); empty when the kind has no district."""
        return []

    def rows(self, *conditions, **lookups):
        """Every row (published or not: the outer query decides) that meets the conditions."""
        return self.model._default_manager.filter(*conditions, **lookups).order_by()

    def matching(self, query, user):
        """The rows that match `query` (unordered): the same set on both databases, plus typos on PostgreSQL.

        Every word must occur in the row's own text or in the name of its district, so "biblioteka
        zoliborz" finds the library on Żoliborz and "mokotow" the partnerships working in Mokotów.
        On PostgreSQL a row whose words start with every typed one (full-text search) matches too.

        Being in a district is a join. Where a word names no district, its index narrows the rows
        and the districts are checked on those. When every word names a district, nothing else
        narrows them: with the join ORed into each word's condition PostgreSQL would read every row
        and work out the text conditions for each (seconds for "zoliborz" at a hundred times the
        city). Then each word is a set of ids instead, the UNION of the rows with the word and of
        the rows in its districts, each from its own index; the full-text condition F goes into every
        word's set, as (W1 ∧ W2) ∨ F = (W1 ∨ F) ∧ (W2 ∨ F).

        """
        full_text = None
        if is_postgresql() and query.tokens:
            full_text = Q(TextMatches(FoldedTextVector(F("search_text")), PrefixTsQuery(Value(query.tsquery()))))
        in_district = []  # per word: the rows in the districts it names, as in_districts() gives them
        for index, word in enumerate(query.words):
            if query.district_ids is None:
                districts = District.objects.filter(district_name_matches(word)).values("pk")
            else:
                districts = list(query.district_ids[index])
            in_district.append(self.in_districts(districts) if districts != [] else [])
        # Only with the districts looked up: the ids then come from indexes (a subquery would be read whole).
        as_ids = query.district_ids is not None and all(in_district)
        every_word = Q()
        for index, word in enumerate(query.words):
            typos = query.typo_tsquery(index) if query.close_words and query.close_words[index] else None
            with_word = text_matches(word, typos)
            if as_ids:
                with_text = self.rows(with_word if full_text is None else with_word | full_text).values("pk")
                ids = [
                    self.rows(arm).values("pk") if isinstance(arm, Q) else arm[0].order_by().values(arm[1])
                    for arm in in_district[index]
                ]
                with_word = Q(pk__in=with_text.union(*ids, all=True))
            elif in_district[index]:
                # Cheapest condition first: a row that meets it skips the costlier ones.
                conditions = [
                    arm if isinstance(arm, Q) else Q(Exists(arm[0].filter(**{arm[1]: OuterRef("pk")})))
                    for arm in in_district[index]
                ]
                with_word = functools.reduce(operator.or_, conditions) | with_word
            every_word &= with_word
        if full_text is not None and not as_ids:
            every_word |= full_text
        return self.base_queryset(user).filter(every_word)

    def bounded_matches(self, query, user):
        """The ids of the first COUNT_LIMIT + 1 matching rows, in no order: all of them when there are fewer."""
        return self.matching(query, user).order_by().values("pk")[: COUNT_LIMIT + 1]

    def named(self, query):
        """The ids of up to COUNT_LIMIT + 1 rows whose name holds every typed word (an index on the folded name,
        see the migration search/0002, finds them). Each of them matches the query: the name is a part of
        `search_text`."""
        condition = Q()
        for word in query.words:
            condition &= Q(search_name__contains=word)
        rows = self.model._default_manager.alias(search_name=self.folded_name()).filter(condition).order_by()
        return rows.values("pk")[: COUNT_LIMIT + 1]

    def folded_name(self):
        """The folded name: the start of `search_text` (SearchableMixin puts the name first)."""
        return Substr("search_text", 1, self.name_length())

    def ranked(self, query, user, now=None):
        """Matching rows, best first.

        Ranked are the first COUNT_LIMIT + 1 matches the database finds and the rows whose name holds
        every word: every match when there are no more than COUNT_LIMIT. A common word ("zoliborz":
        18 159 events at a hundred times the city) would otherwise have every match read and ranked
        to show the best five. Then the names that hold the words still come first; the rest is
        ranked among the matches read.
        """
        now = now or timezone.now()
        bounded, named = self.bounded_matches(query, user), self.named(query)
        if is_postgresql():
            candidates = Q(pk__in=bounded.union(named, all=True))  # one set of ids, each read from its index
        else:  # SQLite allows no LIMIT in the parts of a UNION
            candidates = Q(pk__in=bounded) | Q(pk__in=named)
        queryset = self.base_queryset(user).filter(candidates).annotate(_name=self.folded_name())
        all_words_in_name = Q()
        for word in query.words:
            all_words_in_name &= Q(_name__contains=word)
        queryset = queryset.annotate(
            _level=Case(
                When(_name=query.phrase, then=Value(0)),
                When(_name__startswith=query.phrase, then=Value(1)),
                When(all_words_in_name, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        ordering = [F("_level").asc()]
        if is_postgresql():
            # A typo ("Mokotóww") leaves the levels equal: the name most like the query comes first.
            queryset = queryset.annotate(_similarity=TrigramWordSimilarity(query.phrase, "_name"))
            ordering.append(F("_similarity").desc())
        return self.prefetch(queryset.order_by(*ordering, *self.order_tail(now)))


class PartnershipKind(Kind):
    def in_districts(self, districts):
        through = Partnership.districts.through
        return [(through.objects.filter(district_id__in=districts), "partnership_id")]

    def base_queryset(self, user):
        return Partnership.objects.visible_to(user).only(
            "name", "slug", "kind", "status", "summary", "area", "description", "goals", "citywide", "is_published"
        )


class DistrictKind(Kind):
    def base_queryset(self, user):
        return District.objects.only("name", "slug", "bank", "description")


class OrganisationKind(Kind):
    def in_districts(self, districts):
        return [Q(district_id__in=districts)]

    def base_queryset(self, user):
        return (
            Organisation.objects.visible_to(user)
            .select_related("district")
            .only(
                "name",
                "slug",
                "sector",
                "kind",
                "street_address",
                "description",
                "is_published",
                "district__name",
                "district__slug",
            )
        )


class EventKind(Kind):
    def in_districts(self, districts):
        """Held in the district, or organised by a partnership working there (as on the district page)."""
        organisers = Event.organisers.through.objects.filter(partnership__districts__in=districts)
        return [Q(place__district_id__in=districts), (organisers, "event_id")]

    def base_queryset(self, user):
        return (
            Event.objects.visible_to(user)
            .select_related("place__district")
            .only(
                "title",
                "slug",
                "kind",
                "start",
                "end",
                "all_day",
                "status",
                "audience",
                "description",
                "is_published",
                "place__name",
                "place__slug",
                "place__street_address",
                "place__district__name",
            )
        )

    def order_tail(self, now):
        """Upcoming events soonest first, then past ones, the most recent first."""
        upcoming_start = Case(When(end__gte=now, then=F("start")), default=None, output_field=DateTimeField())
        return (upcoming_start.asc(nulls_last=True), F("start").desc(), "pk")


class PlaceKind(Kind):
    def in_districts(self, districts):
        return [Q(district_id__in=districts)]

    def base_queryset(self, user):
        return Place.objects.select_related("district").only(
            "name", "slug", "street_address", "postal_code", "description", "district__name", "district__slug"
        )


class PersonKind(Kind):
    """Only people with a current role in a published partnership; their contact only with consent."""

    def base_queryset(self, user):
        public_role = PartnershipRole.objects.current().filter(person=OuterRef("pk"), partnership__is_published=True)
        return Person.objects.filter(Exists(public_role)).only(
            "first_name", "last_name", "slug", "email", "phone", "public_contact"
        )

    def name_length(self):
        return Length("first_name") + Value(1) + Length("last_name")

    def prefetch(self, queryset):
        """The first public role (and how many there are) as annotations: no second query."""
        roles = (
            PartnershipRole.objects.current()
            .filter(person=OuterRef("pk"), partnership__is_published=True)
            .order_by("partnership__sort_name", "role", "pk")
        )
        role_count = roles.order_by().values("person").annotate(n=Count("pk")).values("n")
        return queryset.annotate(
            _role=Subquery(roles.values("role")[:1]),
            _role_partnership_name=Subquery(roles.values("partnership__name")[:1]),
            _role_partnership_slug=Subquery(roles.values("partnership__slug")[:1]),
            _role_count=Subquery(role_count),
        )

    def finish(self, obj):
        obj.public_role = {
            "label": _choice_labels(PartnershipRole, "role").get(obj._role, obj._role),
            "partnership": obj._role_partnership_name,
            "url": reverse("partnerships:detail", kwargs={"slug": obj._role_partnership_slug}),
            "count": obj._role_count or 1,
        }


class WorkingGroupKind(Kind):
    def base_queryset(self, user):
        return WorkingGroup.objects.visible_to(user).only(
            "name", "slug", "purpose", "description", "dissolved_on", "is_published"
        )


class PositionKind(Kind):
    def base_queryset(self, user):
        return Position.objects.visible_to(user).only("title", "slug", "adopted_on", "summary", "body", "is_published")

    def order_tail(self, now):
        return ("-adopted_on", "sort_name", "pk")


KINDS = (
    PartnershipKind(
        "partnerstwa", _("Partnerstwa"), "name", ("summary", "area", "description", "goals"), ("kind", "status")
    ),
    DistrictKind("dzielnice", _("Dzielnice"), "name", ("description",)),
    OrganisationKind("organizacje", _("Organizacje"), "name", ("description", "kind", "street_address"), ("sector",)),
    EventKind("wydarzenia", _("Wydarzenia"), "title", ("description", "audience"), ("kind",)),
    PlaceKind("miejsca", _("Miejsca"), "name", ("description", "street_address")),
    PersonKind("osoby", _("Osoby"), "full_name", ()),
    WorkingGroupKind("zespoly", _("Zespoły robocze"), "name", ("purpose", "description")),
    PositionKind("stanowiska", _("Stanowiska sieci"), "title", ("summary", "body")),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


# --- running a search ------------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One found object with its highlighted title and snippet, for templates."""

    kind: str
    object: object
    title: str
    snippet: str
    url: str
    labels: dict  # field -> its choice label, as get_<field>_display() gives it


@functools.cache
def _choice_labels(model, field):
    """{value: label} of a field with choices; the labels stay lazy (translated when shown)."""
    return dict(model._meta.get_field(field).flatchoices)


def choice_label(obj, field):
    """What obj.get_<field>_display() gives, without building the dict of every label each time."""
    value = getattr(obj, field)
    return _choice_labels(type(obj), field).get(value, value)


@dataclass(frozen=True)
class Total:
    """How many rows of a kind match, counted up to COUNT_LIMIT: `count` is at most the limit and
    `more` says that more than that match ("more than 1000")."""

    count: int
    more: bool = False

    @classmethod
    def of(cls, counted):
        """From a bounded count (at most COUNT_LIMIT + 1 rows counted)."""
        counted = int(counted or 0)
        return cls(count=min(counted, COUNT_LIMIT), more=counted > COUNT_LIMIT)

    def __add__(self, other):
        return Total(count=self.count + other.count, more=self.more or other.more)

    def __bool__(self):
        return self.count > 0


@dataclass
class Group:
    kind: Kind
    hits: list
    total: Total


def make_hit(kind, obj, query):
    kind.finish(obj)
    title = getattr(obj, kind.name)
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    texts = [getattr(obj, field) or "" for field in kind.snippet_fields]
    return Hit(
        kind=kind.key,
        object=obj,
        title=highlight(title, query.marked),
        snippet=best_snippet(texts, query.marked),
        url=url,
        labels={field: choice_label(obj, field) for field in kind.choice_fields},
    )


def hits(kind, objects, query):
    return [make_hit(kind, obj, query) for obj in objects]


def bounded_count(kind, query, user):
    """A subquery: how many rows of `kind` match, counting at most COUNT_LIMIT + 1 of them.

    `COUNT(pk) … WHERE pk IN (SELECT pk … LIMIT n)`: the database stops reading matches at the limit.
    """
    counted = kind.model._default_manager.filter(pk__in=kind.bounded_matches(query, user)).order_by()
    return Subquery(counted.annotate(counted=Func(F("pk"), function="COUNT")).values("counted"))


def search_overview(query, *, user, per_kind=5, now=None):
    """The first results of every kind that has some, with its (bounded) total.

    One query per kind (its best rows, each with the kind's total); on PostgreSQL one more before them
    finds the districts the words name and the words close to the typed ones, and one sets the search's
    settings: at most ten queries.
    """
    if not query:
        return []
    query = query.resolve()
    now = now or timezone.now()
    groups = []
    with searching():
        for kind in KINDS:
            rows = list(
                kind.ranked(query, user, now).annotate(search_total=bounded_count(kind, query, user))[:per_kind]
            )
            total = Total.of(rows[0].search_total) if rows else Total(0)
            groups.append(Group(kind=kind, hits=hits(kind, rows, query), total=total))
    return groups


class KindResults:
    """All matches of one kind, best first, for a paginator: each slice it takes is one query.

    Only the first COUNT_LIMIT matches are paged through: their count is what count() gives.
    """

    def __init__(self, kind, query, *, user, now=None):
        self.kind = kind
        self.query = query.resolve()
        self.user = user
        self.now = now or timezone.now()

    def count(self):
        return count_matches(self.query, user=self.user)[self.kind.key].count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("KindResults can only be sliced with a start and a stop.")
        if not self.query:  # every word was too short to search for
            return []
        start, stop = index.start or 0, min(index.stop, COUNT_LIMIT)
        if stop <= start:
            return []
        with searching():
            return list(self.kind.ranked(self.query, self.user, self.now)[start:stop])


def search_kind(query, kind, *, user, now=None):
    """All matches of one kind, best first, to paginate; `hits()` turns a page into Hits."""
    return KindResults(kind, query, user=user, now=now)


def count_matches(query, *, user):
    """How many rows of each kind match, in a single query: {"partnerstwa": Total(3), …}."""
    if not query:
        return {kind.key: Total(0) for kind in KINDS}
    query = query.resolve()
    parts = [
        kind.model._default_manager.filter(pk__in=kind.bounded_matches(query, user))
        .order_by()
        .annotate(search_kind=Value(index), counted=Func(F("pk"), function="COUNT"))
        .values_list("search_kind", "counted")
        for index, kind in enumerate(KINDS)
    ]
    with searching():
        counted = dict(parts[0].union(*parts[1:], all=True))
    return {kind.key: Total.of(counted.get(index)) for index, kind in enumerate(KINDS)}


# --- showing matches -------------------------------------------------------------------------------------------


class _FoldTable(dict):
    """A str.translate() table: every character to its folded form (fold() of the character alone),
    worked out the first time the character is met."""

    def __missing__(self, code):
        self[code] = folded = fold(chr(code))
        return folded


class _OneToOneTable(dict):
    """A str.translate() table that keeps the characters that fold to exactly one and drops the others."""

    def __missing__(self, code):
        self[code] = kept = code if len(_FOLD[code]) == 1 else None
        return kept


_FOLD = _FoldTable()
_ONE_TO_ONE = _OneToOneTable()


def _folded_with_origins(text):
    """The folded text and, for each of its characters, the index of the character it came from."""
    folded = text.translate(_FOLD)
    if len(folded) == len(text) and len(text.translate(_ONE_TO_ONE)) == len(text):
        return folded, range(len(text))  # every character folds to one: the usual case, done in C
    origins = []
    for index, char in enumerate(text):
        origins.extend([index] * len(_FOLD[ord(char)]))
    return folded, origins


@functools.lru_cache(maxsize=64)
def _word_pattern(words):
    """One regular expression for all typed words, longest first; compiled once per query."""
    words = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words)) if words else None


def highlight(text, words):
    """`text` escaped, with every typed word (found with or without Polish letters) in <mark>.

    Each piece of the visitor's or the database's text is escaped before the
    <mark> tags are put around it; nothing unescaped reaches mark_safe.
    """
    text = str(text or "")
    pattern = _word_pattern(tuple(words))
    if pattern is None:
        return escape(text)
    folded, origins = _folded_with_origins(text)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        start, end = origins[match.start()], origins[match.end() - 1] + 1
        if start < last:
            continue
        pieces.append(escape(text[last:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece was escaped above


def snippet(text, words, width=SNIPPET_WIDTH):
    """A fragment of `text` around the first matching word, highlighted; the whole text when short."""
    text = " ".join(str(text or "").split())
    if len(text) <= width:
        return highlight(text, words)
    folded, origins = _folded_with_origins(text)
    pattern = _word_pattern(tuple(words))
    match = pattern.search(folded) if pattern else None
    first = origins[match.start()] if match else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    body = highlight(text[start:end], words)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))  # noqa: S308


def best_snippet(texts, words):
    """The snippet of the first text that contains a typed word, else of the first non-empty text."""
    pattern = _word_pattern(tuple(words))
    texts = [str(text) for text in texts if text]
    for text in texts:
        if pattern and pattern.search(text.translate(_FOLD)):
            return snippet(text, words)
    return snippet(texts[0], words) if texts else ""
