"""Site-wide search: the one module that hides the difference between the databases.

Every searchable model keeps `search_text`, its text folded to lower-case ASCII
("Żoliborz" -> "zoliborz", see partnerships.models.SearchableMixin), so typed
words are folded the same way and compared with it:

* SQLite: every typed word must occur in `search_text` (prefixes and infixes
  match: "moko" finds "Mokotów", "praga poludnie" finds "Praga-Południe").
* PostgreSQL: the same, plus full-text search (`to_tsquery` with prefixes over
  the unaccented text) and typos: a word also matches the words of the site's
  texts close to it by `pg_trgm`'s word similarity ("Mokotóww", "Żoliboż"),
  found in the table of distinct words (migration `wspl_site/0003_search_words`).
  GIN indexes from the migration `wspl_site/0001_search_indexes` serve every
  condition; the districts a query names and the close words are looked up
  first (`Query.resolve()`), so every condition has an index.

Ranking, on both databases: the whole query as the name, then names starting
with it, then names containing every word, then matches elsewhere (description,
address, the district's name). PostgreSQL breaks ties by how similar the name
is to the query, which puts the best typo matches first.

Views use `search_overview()`, `search_kind()`, `count_matches()`, `KINDS` and
the `highlight()`/`snippet()` helpers; they never look at the database vendor.
"""

import functools
import logging
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.contrib.postgres.search import SearchQueryField, SearchVectorField, TrigramWordSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Length, Substr
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.text import fold
from events.models import Event
from members.models import Organisation, PartnershipRole, Person
from partnerships.models import District, Partnership, Place, Position, WorkingGroup

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
MAX_WORD_LENGTH = 60
# Shorter words ("a", "w", "na") are left out: as a part of a word they occur in nearly every text, and at the
# scale of a whole city a search for one of them ranked every row (2-4 s in the database).
MIN_WORD_LENGTH = 3
# Shorter words are matched exactly: trigram similarity of a word of four letters or fewer says little
# (and "moko" is a prefix someone is typing, not a typo).
TYPO_MIN_LENGTH = 5
SNIPPET_WIDTH = 180
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")

logger = logging.getLogger(__name__)


# --- the typed query -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the visitor typed, ready for both databases.

    `words` are folded (lower-case ASCII) and compared with `search_text`;
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
        raw = (text or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
        typed = fold(raw).split()
        # Quotes and commas around words („Moje Wierzbno”, "Wola,") do not have to match; a query of
        # punctuation only is still searched for as typed.
        trimmed = [word for word in (_EDGE_PUNCTUATION.sub("", word) for word in typed) if word]
        words = tuple(dict.fromkeys(word[:MAX_WORD_LENGTH] for word in trimmed or typed))
        tokens = tuple(dict.fromkeys(re.findall(r"[^\W_]+", raw.lower())))
        return cls(
            raw=raw,
            words=tuple(word for word in words if len(word) >= MIN_WORD_LENGTH)[:MAX_WORDS],
            tokens=tuple(token for token in tokens if len(token) >= MIN_WORD_LENGTH)[:MAX_WORDS],
            skipped=tuple(word for word in words if len(word) < MIN_WORD_LENGTH),
        )

    def __bool__(self):
        return bool(self.words)

    @property
    def phrase(self):
        return " ".join(self.words)

    def resolve(self):
        """On PostgreSQL, look up once which districts each word names (one query on 18 rows)
        and which words of the site's texts are close to each typed word (one on the word table).

        With the ids and the close words written into the query, every condition is one that a
        GIN or B-tree index answers, so PostgreSQL combines index scans instead of reading every
        row. SQLite reads the rows anyway; there the districts stay a subquery, and it has no typos.
        """
        if not self.words or self.district_ids is not None or not is_postgresql():
            return self
        districts, typos = prepared(DISTRICTS_NAMED, self), close_words_statement(self.words)
        if districts is None:
            rows = fetch(DISTRICTS_NAMED, self)
            close = typos.fetch(self, None) if typos else []
        else:  # one round trip for both
            rows, *more = Statement.fetch_together([districts, typos] if typos else [districts], self, None)
            close = more[0] if more else []
        per_word = tuple(tuple(row[0] for row in rows if row[i + 1]) for i in range(len(self.words)))
        return replace(self, district_ids=per_word, close_words=close_words(self.words, close))

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
# The words of the site's texts (wspl_site_searchword, kept by triggers: see the migration
# wspl_site/0003_search_words) similar to a typed word as pg_trgm's word similarity `%>` has it,
# the words that contain it left out: those are found anyway. Only for words of TYPO_MIN_LENGTH or more.
CLOSE_WORDS = """
SELECT typed.position, close.word
FROM unnest(%s::int[], %s::text[]) AS typed(position, word)
CROSS JOIN LATERAL (
    SELECT DISTINCT word, word_similarity(typed.word, word) AS similarity, length(word) AS length
    FROM wspl_site_searchword
    WHERE word %%> typed.word AND strpos(word, typed.word) = 0
    ORDER BY similarity DESC, length, word
    LIMIT %s
) AS close
ORDER BY typed.position, close.similarity DESC, close.length, close.word
"""


def close_words_statement(words):
    """The statement that finds the close words of `words` (Statement.fetch_together() runs it), or None
    when no word is long enough for typos."""
    typed = [(index, word) for index, word in enumerate(words) if len(word) >= TYPO_MIN_LENGTH]
    if not typed:
        return None
    binds = (("value", [i for i, _ in typed]), ("value", [w for _, w in typed]), ("value", MAX_CLOSE_WORDS))
    return Statement(sql=CLOSE_WORDS, binds=binds, read=list)


def close_words(words, rows):
    """Per word, its close words from the rows of close_words_statement(): ((), ("mokotow",), …)."""
    found = [[] for _ in words]
    for index, word in rows:
        if _LEXEME.fullmatch(word):  # the triggers keep only these; the full-text query quotes nothing else
            found[index].append(word)
    return tuple(tuple(close) for close in found)


# --- PostgreSQL expressions (never compiled on SQLite) ---------------------------------------------------------


class FoldedTextVector(Func):
    """to_tsvector over the folded column; the GIN index `<table>_search_fts` has this exact expression."""

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
    condition = Q(search_text__contains=word)
    if typos is not None:
        condition |= Q(TextMatches(FoldedTextVector(F("search_text")), WordsTsQuery(Value(typos))))
    return condition


def district_name_matches(word):
    """The district's folded name and description contain the word; on PostgreSQL a similar one counts
    too (typos). Eighteen short texts: word similarity over each is cheap."""
    condition = Q(search_text__contains=word)
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
        return self.base_queryset(None).model._default_manager.filter(*conditions, **lookups)

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
                    self.rows(arm).values("pk") if isinstance(arm, Q) else arm[0].values(arm[1])
                    for arm in in_district[index]
                ]
                with_word = Q(pk__in=with_text.union(*ids, all=True))
            elif in_district[index]:
                # Cheapest condition first: a row that meets it skips the costlier ones.
                conditions = [
                    arm if isinstance(arm, Q) else Q(Exists(arm[0].filter(**{arm[1]: OuterRef("pk")})))
                    for arm in in_district[index]
                ]
                with_word = Q(*conditions, _connector=Q.OR) | with_word
            every_word &= with_word
        if full_text is not None and not as_ids:
            every_word |= full_text
        return self.base_queryset(user).filter(every_word)

    def ranked(self, query, user, now=None):
        """Matching rows, best first."""
        now = now or timezone.now()
        queryset = self.matching(query, user).annotate(_name=Substr("search_text", 1, self.name_length()))
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


@dataclass
class Group:
    kind: Kind
    hits: list
    total: int


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


def search_overview(query, *, user, per_kind=5, now=None):
    """The first results of every kind that has some, with its total: at most nine queries.

    SQLite: one query counts every kind's matches, then one per kind with matches
    fetches its best few. PostgreSQL: one query finds the districts the words
    name, then one per kind fetches its best few with the total as a window count
    (for anonymous visitors all eight go to the database in one round trip).
    """
    if not query:
        return []
    query = query.resolve()
    now = now or timezone.now()
    groups = []
    if is_postgresql():
        names = [ranked_statement(kind, with_total=True) for kind in KINDS]
        found = fetch_each(names, query, user=user, now=now, limit=per_kind)
        for kind, rows in zip(KINDS, found, strict=True):
            total = rows[0]._total if rows else 0
            groups.append(Group(kind=kind, hits=hits(kind, rows, query), total=total))
        return groups
    counts = count_matches(query, user=user)
    for kind in KINDS:
        rows = fetch(ranked_statement(kind), query, user=user, now=now, limit=per_kind) if counts[kind.key] else []
        groups.append(Group(kind=kind, hits=hits(kind, rows, query), total=counts[kind.key]))
    return groups


class KindResults:
    """All matches of one kind, best first, for a paginator: each slice it takes is one query."""

    def __init__(self, kind, query, *, user, now=None):
        self.kind = kind
        self.query = query.resolve()
        self.user = user
        self.now = now or timezone.now()

    def count(self):
        return count_matches(self.query, user=self.user)[self.kind.key]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("KindResults can only be sliced with a start and a stop.")
        if not self.query:  # every word was too short to search for
            return []
        start = index.start or 0
        limit = max(0, index.stop - start)
        return fetch(ranked_statement(self.kind), self.query, user=self.user, now=self.now, limit=limit, offset=start)


def search_kind(query, kind, *, user, now=None):
    """All matches of one kind, best first, to paginate; `hits()` turns a page into Hits."""
    return KindResults(kind, query, user=user, now=now)


def count_matches(query, *, user):
    """How many rows of each kind match, in a single query: {"partnerstwa": 3, …}."""
    if not query:
        return {kind.key: 0 for kind in KINDS}
    (row,) = fetch(COUNTS, query.resolve(), user=user)
    return {kind.key: int(count) for kind, count in zip(KINDS, row, strict=True)}


# --- the statements a search runs ------------------------------------------------------------------------------
#
# Each is named by a small tuple, and `build()` makes it with the ORM for a query: that stays the one
# definition of what matches and how it ranks. `fetch()` runs it.

DISTRICTS_NAMED = ("districts",)
COUNTS = ("counts",)


def ranked_statement(kind, *, with_total=False):
    return ("ranked", kind.key, with_total)


def build(name, query, *, user, now):
    """The statement `name` for `query` and `user`: a queryset, or (SQL, parameters)."""
    if name == DISTRICTS_NAMED:
        flags = {
            f"word_{i}": ExpressionWrapper(district_name_matches(word), BooleanField())
            for i, word in enumerate(query.words)
        }
        return District.objects.annotate(**flags).values_list("pk", *flags)
    if name == COUNTS:
        parts, params = [], []
        for kind in KINDS:
            sql, kind_params = kind.matching(query, user).order_by().values("pk").query.sql_with_params()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS found_{kind.key})")
            params.extend(kind_params)
        return "SELECT " + ", ".join(parts), tuple(params)
    _, key, with_total = name
    queryset = KINDS_BY_KEY[key].ranked(query, user, now)
    return queryset.annotate(_total=Window(Count("pk"))) if with_total else queryset


def fetch(name, query, *, user=None, now=None, limit=None, offset=0):
    """The rows (model instances for querysets) of statement `name` for `query`.

    For anonymous visitors the SQL compiled once for the query's shape is reused (see below);
    for logged-in users the ORM builds it afresh.
    """
    statement = prepared(name, query) if user is None or not user.is_authenticated else None
    if statement is not None:
        return statement.fetch(query, now, limit=limit, offset=offset)
    built = build(name, query, user=user, now=now)
    if isinstance(built, tuple):
        with connection.cursor() as cursor:
            cursor.execute(*built)
            return cursor.fetchall()
    return list(built if limit is None else built[offset : offset + limit])


def fetch_each(names, query, *, user=None, now=None, limit=None):
    """fetch() of several statements; on PostgreSQL, for anonymous visitors, in a single round trip."""
    if is_postgresql() and (user is None or not user.is_authenticated):
        statements = [prepared(name, query) for name in names]
        if all(statement is not None for statement in statements):
            return Statement.fetch_together(statements, query, now, limit=limit)
    return [fetch(name, query, user=user, now=now, limit=limit) for name in names]


# --- the same SQL, compiled once per query shape ---------------------------------------------------------------
#
# Building and compiling the ORM expressions above costs several times more Python than the
# database needs to answer them (about 35 of 55 ms of CPU per search at scale). Yet their SQL
# depends only on the *shape* of a query: how many words, which of them are long enough for typo
# matching, how many districts each word names, whether there is anything for full-text search.
# (Also on the database and on today's date: current roles.) The words, the district ids and the
# time are only parameters. So a statement is compiled once per shape, with stand-in values, and
# a search binds its own values into the parameters. Before it is used, a second compilation with
# other values (with the characters LIKE escapes) must give the same SQL and exactly the parameters
# that binding gives; otherwise the ORM runs every time. Logged-in users, who may see unpublished
# rows, always go through the ORM.

_STAND_IN_WORD = re.compile(r"\x01(\d)\x02+")
_STAND_IN_NOW = (datetime(2000, 1, 2, 3, 4, 5, 6, tzinfo=UTC), datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC))


def prepared(name, query):
    """The compiled statement `name` for queries shaped like `query`, or None when the ORM has to run."""
    shape = (
        tuple(len(word) >= TYPO_MIN_LENGTH for word in query.words),
        None if query.district_ids is None else tuple(len(ids) for ids in query.district_ids),
        bool(query.tokens),
        # Whether a word has close words, not how many: they are one parameter.
        None if query.close_words is None else tuple(bool(close) for close in query.close_words),
    )
    return _compile(name, shape, connection.vendor, timezone.localdate())


def _stand_in(shape, variant):
    """A query of `shape` with values that can be recognised in the compiled parameters."""
    long_words, district_counts, has_tokens, has_close = shape
    if variant == 0:
        # \x01 index \x02: a word, found again in every parameter that holds it ("%…%" for LIKE).
        words = tuple(f"\x01{i}\x02" + ("\x02\x02" if long else "") for i, long in enumerate(long_words))
        tokens, first_id = ("\x01t\x02",), -1_000_000
    else:
        words = tuple(f"{i}%_" + ("\\'x" if long else "") for i, long in enumerate(long_words))
        tokens, first_id = ("zz",), -2_000_000
    district_ids = None
    if district_counts is not None:
        district_ids = tuple(
            tuple(first_id - 100 * i - j for j in range(count)) for i, count in enumerate(district_counts)
        )
    close_words = None
    if has_close is not None:
        close_words = tuple((f"close{variant}w{i}",) if close else () for i, close in enumerate(has_close))
    return Query(
        raw="",
        words=words,
        tokens=tokens if has_tokens else (),
        district_ids=district_ids,
        close_words=close_words,
    )


@functools.lru_cache(maxsize=256)
def _compile(name, shape, vendor, today):
    first, second = _stand_in(shape, 0), _stand_in(shape, 1)
    statement = Statement.compile(build(name, first, user=None, now=_STAND_IN_NOW[0]), first, _STAND_IN_NOW[0])
    sql, params = _sql(build(name, second, user=None, now=_STAND_IN_NOW[1]))
    if statement is None or sql != statement.sql or statement.params(second, _STAND_IN_NOW[1]) != list(params):
        logger.warning("search statement %s for %s cannot be reused; the ORM builds it every time", name, shape)
        return None
    return statement


def _sql(built):
    """(SQL, parameters) of a queryset or of (SQL, parameters); (None, ()) for a query that matches nothing."""
    if isinstance(built, tuple):
        return built[0], tuple(built[1])
    try:
        sql, params = built.query.get_compiler(using=built.db).as_sql()
    except EmptyResultSet:
        return None, ()
    return sql, tuple(params)


@dataclass(frozen=True)
class Statement:
    """SQL with, for each parameter, where its value comes from: ("value", v), ("words", pieces, like),
    ("tsquery",), ("typos", word index), ("now",) or ("district", word index, position)."""

    sql: str | None
    binds: tuple
    read: object  # rows -> what iterating the queryset yields

    @classmethod
    def compile(cls, built, stand_in, now):
        if isinstance(built, tuple):
            sql, params = built
            read = list
        else:
            if built._prefetch_related_lookups or built._known_related_objects:
                return None
            compiler = built.query.get_compiler(using=built.db)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return cls(sql=None, binds=(), read=list)
            read = _reader(built, compiler)
            if read is None:
                return None
        tsquery = stand_in.tsquery() if stand_in.tokens else None
        now = connection.ops.adapt_datetimefield_value(now)
        ids = {pk: (i, j) for i, row in enumerate(stand_in.district_ids or ()) for j, pk in enumerate(row)}
        typos = {stand_in.typo_tsquery(i): i for i, close in enumerate(stand_in.close_words or ()) if close}
        binds = []
        for param in params:
            if isinstance(param, str) and param == tsquery:
                binds.append(("tsquery",))
            elif isinstance(param, str) and param in typos:
                binds.append(("typos", typos[param]))
            elif isinstance(param, str) and "\x01" in param:
                pieces = _STAND_IN_WORD.split(param)
                literals = pieces[::2]
                pieces = tuple(int(piece) if i % 2 else piece for i, piece in enumerate(pieces))
                binds.append(("words", pieces, any("%" in literal for literal in literals)))
            elif type(param) is type(now) and param == now:
                binds.append(("now",))
            elif type(param) is int and param in ids:
                binds.append(("district", *ids[param]))
            else:
                binds.append(("value", param))
        return cls(sql=sql, binds=tuple(binds), read=read)

    def params(self, query, now):
        words, like_words = query.words, [connection.ops.prep_for_like_query(word) for word in query.words]
        values = []
        for bind in self.binds:
            source = bind[0]
            if source == "value":
                values.append(bind[1])
            elif source == "words":
                typed = like_words if bind[2] else words
                values.append("".join(piece if isinstance(piece, str) else typed[piece] for piece in bind[1]))
            elif source == "tsquery":
                values.append(query.tsquery())
            elif source == "typos":
                values.append(query.typo_tsquery(bind[1]))
            elif source == "now":
                values.append(connection.ops.adapt_datetimefield_value(now))
            else:
                values.append(query.district_ids[bind[1]][bind[2]])
        return values

    def fetch(self, query, now, *, limit=None, offset=0):
        return Statement.fetch_together([self], query, now, limit=limit, offset=offset)[0]

    @staticmethod
    def fetch_together(statements, query, now, *, limit=None, offset=0):
        """The rows of each statement, all sent in one round trip (PostgreSQL runs them one after another)."""
        now = now or timezone.now()
        tail = "" if limit is None else " LIMIT %s OFFSET %s"
        runnable = [statement for statement in statements if statement.sql is not None]
        if not runnable:
            return [[] for _ in statements]
        params = []
        for statement in runnable:
            params += statement.params(query, now) + ([] if limit is None else [limit, offset])
        sql = [statement.sql + tail for statement in runnable]
        if is_postgresql():
            sql.insert(0, SEARCH_SETTINGS)
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(sql), params)
            if is_postgresql():
                cursor.nextset()  # past the settings
            for index, statement in enumerate(runnable):
                if index:
                    cursor.nextset()
                rows.append(statement.read(cursor.fetchall()))
        found = iter(rows)
        return [next(found) if statement.sql is not None else [] for statement in statements]


# A search reads a few rows of each table through its indexes: starting parallel workers for it costs more
# than it saves (milliseconds a statement on a small machine), and so does compiling it to machine code
# (JIT): the planner's costs for text conditions are high enough to trigger it, and compiling took
# 0.5 s of a 1 s search at a hundred times the city. In autocommit the statements sent together run as one
# implicit transaction, so the settings end with them (inside a transaction, with the transaction).
SEARCH_SETTINGS = "SELECT set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)"


def _reader(queryset, compiler):
    """Rows -> what iterating `queryset` yields (model instances or value tuples), as Django's
    ModelIterable and ValuesListIterable make them; None for any other kind of queryset."""
    db = queryset.db
    width = compiler.col_count if compiler.has_extra_select else None
    converters = list(compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]).items())

    def converted(rows):
        database = connections[db]  # this thread's connection, as the converters expect
        for row in rows:
            row = list(row[:width] if width else row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, database)
                row[position] = value
            yield row

    if queryset._iterable_class is ValuesListIterable:
        names = [*queryset.query.values_select, *queryset.query.annotation_select]
        if list(queryset._fields) != names:
            return None
        return lambda rows: [tuple(row) for row in converted(rows)]
    if queryset._iterable_class is not ModelIterable:
        return None
    select, klass_info, annotation_positions = compiler.select, compiler.klass_info, compiler.annotation_col_map
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, db)

    def read(rows):
        objects = []
        for row in converted(rows):
            obj = model.from_db(db, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotation_positions.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    return read


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
