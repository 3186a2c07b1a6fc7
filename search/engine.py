"""Site-wide search: the one module that hides the difference between the databases.

Every searchable model keeps `search_text`, its text folded to lower-case ASCII
("Żoliborz" -> "zoliborz", see partnerships.models.SearchableMixin). Typed words are read
by the site's one word rule (`common.words`: folded, three characters or more, each matching
where it occurs, also as the start or a part of a longer word) and compared with it:

* every typed word must occur in `search_text` (prefixes and infixes match: "moko" finds
  "Mokotów", "praga poludnie" finds "Praga-Południe"), or the row must lie in a district the word
  names ("biblioteka zoliborz" finds the library on Żoliborz);
* PostgreSQL also forgives typos: a word matches where one of the words of the site's texts close
  to it occurs ("Mokotóww" finds "mokotow", "Żoliboż" finds "zoliborz"), by the same word rule. The
  close words are found by `pg_trgm`'s word similarity in the table of distinct words
  (`search.models.SearchWord`);
* PostgreSQL also finds the rows whose words start with every typed token when a typed word holds
  punctuation ("praga-połud" finds "Praga Południe"; full-text search).

Before the search, one query (`Query.resolve()`) finds the words close to each typed word and
the districts each word names, so every condition is one that an index answers: a trigram GIN
index for `LIKE '%word%'`, a B-tree for "in these districts" (the search app's migrations add
the indexes that hold the ids such a condition reads, so PostgreSQL reads no table rows for them).

Ranking, on both databases (NameRank): the whole query as the name, then names starting with it,
then names holding every word, then (PostgreSQL) names holding every word or a word close to it,
then matches elsewhere (description, address, the district). PostgreSQL orders the names of each
level by how similar they are to the query, which puts the best typo matches first.

Counting is bounded: a kind with a large table (organisations, events, people) reads at most
COUNT_LIMIT + 1 matches, and a kind with more shows "more than COUNT_LIMIT" (a common word matches
tens of thousands of rows at a city's scale, and counting them all cost more than the rest of the
search). The overview counts with the statement that ranks (a window count, see Kind.ranked()).

Every statement is built with the ORM for each search; the conditions and ranks the search writes
many of are query expressions of its own (Holds, NameRank, MatchCount: Django's documented way of
writing an expression), each compiled once per statement instead of as a tree of lookups. Views use
`search_overview()`, `search_kind()`, `count_matches()`, `KINDS` and the `highlight()`/`snippet()`
helpers; they never look at the database vendor.
"""

import functools
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace

from django.contrib.postgres.search import SearchQueryField, SearchVectorField, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject, Length, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.text import fold
from common.words import MAX_QUERY_LENGTH, MAX_WORD_LENGTH, MAX_WORDS, MIN_WORD_LENGTH, split_words
from events.models import Event
from members.models import Organisation, PartnershipRole, Person
from partnerships.models import District, Partnership, Place, Position, WorkingGroup
from practices.models import Practice

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
    # Per word, the ids of the districts it names; None until resolve().
    district_ids: tuple | None = None
    # Typed words shorter than MIN_WORD_LENGTH, left out of the search (the page says so).
    skipped: tuple = ()
    # Per word, the words of the site's texts close to it (typos); None until resolve(), empty on SQLite.
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
        """Look up, in one query, which districts each word names and (PostgreSQL) which words of the
        site's texts are close to each typed word.

        With the ids and the close words written into the query, every condition is one that a
        GIN or B-tree index answers, so PostgreSQL combines index scans instead of reading every row.
        A district is named by a word when its folded name or description holds the word or a word
        close to it: the rule every other row is matched by.
        """
        if not self.words or self.district_ids is not None:
            return self
        districts, close = looked_up(self.words)
        close_words = tuple(without_repeats(words) for words in close)
        district_ids = tuple(
            tuple(pk for pk, text in districts if any(word in text for word in (typed, *nearby)))
            for typed, nearby in zip(self.words, close_words, strict=True)
        )
        return replace(self, district_ids=district_ids, close_words=close_words)

    @property
    def marked(self):
        """What results highlight: the typed words and the words close to them."""
        return self.words + tuple(word for close in self.close_words or () for word in close)

    def full_text(self):
        """Every token as a prefix, 'praga':* & 'polud':*, when that can find rows the words do not; else None.

        A row whose words start with every token holds every token, so when every typed word is a token
        ("zoliborz", "biblioteka mokotow") the words' own conditions already find it: the full-text
        condition is left out, and PostgreSQL never works out a text's vector row by row for it.
        It finds more when a typed word holds punctuation: "praga-połud" finds "Praga Południe".
        """
        if not self.tokens or set(self.words) <= {fold(token) for token in self.tokens}:
            return None
        return " & ".join(f"'{token[:MAX_WORD_LENGTH]}':*" for token in self.tokens)


def is_postgresql():
    return connection.vendor == "postgresql"


# At most this many close words per typed word, the most similar (then the shortest) first: the endings
# of a Polish word (a dozen for an adjective) and a typo or two.
MAX_CLOSE_WORDS = 24
_LEXEME = re.compile(r"[a-z0-9]+")


def looked_up(words):
    """([(district id, its folded text)], per word [close words, the most similar first]) in one query.

    Every district (eighteen short texts), and on PostgreSQL the words of the site's texts similar to a
    word of TYPO_MIN_LENGTH or more as pg_trgm's word similarity `%>` has it, each with its similarity to
    every such word (none where `%>` does not hold); the words that hold the typed one are left out of its
    close words (those rows are found anyway), and a word kept twice (see SearchWord) counts once.
    """
    typos = [word for word in words if len(word) >= TYPO_MIN_LENGTH] if is_postgresql() else []
    nothing = Value(None, output_field=FloatField())
    districts = District.objects.order_by().values_list("pk", "search_text", *(nothing for _ in typos))
    if typos:
        similar = SearchWord.objects.filter(
            functools.reduce(Q.__or__, (Q(word__trigram_word_similar=word) for word in typos))
        ).values_list(
            Value(None, output_field=IntegerField()),
            "word",
            *(Case(When(word__trigram_word_similar=word, then=TrigramWordSimilarity(word, "word"))) for word in typos),
        )
        rows = districts.union(similar, all=True)
    else:
        rows = districts
    found, close = [], {word: {} for word in typos}
    for district, text, *similarities in rows:
        if district is not None:
            found.append((district, text))
        elif _LEXEME.fullmatch(text):  # the triggers keep only these
            for word, similarity in zip(typos, similarities, strict=True):
                if similarity is not None and word not in text:
                    close[word][text] = (-similarity, len(text), text)
    ranked = {word: sorted(found_close, key=found_close.get)[:MAX_CLOSE_WORDS] for word, found_close in close.items()}
    return found, [ranked.get(word, []) for word in words]


def without_repeats(words):
    """The close words without those that hold another of them: a word matches wherever it occurs, so
    "mokotow" finds every text "mokotowa" would."""
    return tuple(word for word in words if not any(other != word and other in word for other in words))


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
    with ExitStack() as stack:
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


class TextMatches(Func):
    """vector @@ query, usable directly in filter()."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


# --- expressions of the search (both databases) ----------------------------------------------------------------


def text_matches(word, close=()):
    """The folded `search_text` holds the word, or (PostgreSQL) one of the words close to it: each is a
    `LIKE '%word%'` that the trigram index answers and that costs little to check on a row. A word that
    holds another of them adds nothing ("warsztaty" where "warsztat" is close) and is left out."""
    return Q(Holds(F("search_text"), [without_repeats((word, *close))]))


class Holds(Expression):
    """`expression` holds, for each group of `groups`, one of its words: (e LIKE '%a%' OR e LIKE '%b%') AND …

    The site's word rule (common.words: a word matches where it occurs) as one expression: the text is
    compiled once for all the words, where a lookup per word cost a tenth of a millisecond of CPU to
    build and compile. PostgreSQL sees the same LIKE conditions, which its trigram indexes answer.
    """

    output_field = BooleanField()

    def __init__(self, expression, groups):
        super().__init__()
        self.expression = expression
        self.groups = tuple(tuple(group) for group in groups)

    def get_source_expressions(self):
        return [self.expression]

    def set_source_expressions(self, exprs):
        (self.expression,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.expression)
        like = f"{sql} LIKE %s{like_escape(connection)}"
        return all_of([any_of([(like, [*params, like_pattern(word)]) for word in group]) for group in self.groups])


class NameRank(Expression):
    """How well a row's folded name (the start of `search_text`, see Kind.folded_name()) matches the query,
    as one number to sort by, smallest first: the name is the query (0), starts with it (1), holds every
    word (2), holds every word or a word close to it (3, typos), none of these (4). On PostgreSQL the
    names of the first four are also ordered by how like the query they are (pg_trgm's word similarity,
    worked out for those names only: it is the costliest part of the ranking): 2 × level + 1 − similarity.

    One expression writing its own SQL (Django's documented way of writing a query expression): the name
    is compiled once and each comparison is a plain `=`/`LIKE` on it, where a tree of Case, When and
    lookups cost a millisecond of CPU per kind to build and compile.
    """

    output_field = FloatField()

    def __init__(self, name_length, query, *, similarity=False):
        super().__init__()
        self.text, self.name_length = F("search_text"), name_length
        self.phrase = query.phrase
        self.words = query.words
        self.near = None
        if any(query.close_words or ()):
            self.near = tuple(
                without_repeats((word, *close)) for word, close in zip(query.words, query.close_words, strict=True)
            )
        self.similarity = similarity

    def get_source_expressions(self):
        return [self.text, self.name_length]

    def set_source_expressions(self, exprs):
        self.text, self.name_length = exprs

    def as_sql(self, compiler, connection):
        text, text_params = compiler.compile(self.text)
        length, length_params = compiler.compile(self.name_length)
        name, name_params = f"SUBSTR({text}, 1, {length})", [*text_params, *length_params]
        like = f"{name} LIKE %s{like_escape(connection)}"
        levels = [(f"{name} = %s", [*name_params, self.phrase])]
        levels.append((like, [*name_params, like_pattern(self.phrase, start=True)]))
        levels.append(all_of([(like, [*name_params, like_pattern(word)]) for word in self.words]))
        if self.near:
            levels.append(
                all_of([any_of([(like, [*name_params, like_pattern(part)]) for part in parts]) for parts in self.near])
            )
        sql, params = ["CASE"], []
        for level, (condition, condition_params) in enumerate(levels):
            if self.similarity:
                sql.append(f"WHEN {condition} THEN {2 * level + 1} - WORD_SIMILARITY(%s, {name})")
                params += [*condition_params, self.phrase, *name_params]
            else:
                sql.append(f"WHEN {condition} THEN {2 * level}")
                params += condition_params
        sql.append("ELSE 8 END")
        return " ".join(sql), params


class MatchCount(Expression):
    """COUNT(*) OVER (): how many rows the query finds, counted before its LIMIT (a window count written as
    it reads: Window(Count(...)) cost several times as much CPU to build and compile, for each kind)."""

    output_field = IntegerField()
    contains_over_clause = True

    def as_sql(self, compiler, connection):
        return "COUNT(*) OVER ()", []


def like_pattern(text, *, start=False):
    """A LIKE pattern matching `text` where it occurs (or at the start), its wildcards and backslashes escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if start else f"%{escaped}%"


def like_escape(connection):
    """The ESCAPE clause of a LIKE: PostgreSQL escapes with a backslash by default, SQLite only when told."""
    return "" if connection.vendor == "postgresql" else " ESCAPE '\\'"


def all_of(conditions):
    return "(" + " AND ".join(sql for sql, _ in conditions) + ")", [p for _, params in conditions for p in params]


def any_of(conditions):
    return "(" + " OR ".join(sql for sql, _ in conditions) + ")", [p for _, params in conditions for p in params]


# --- what can be found -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One type of result: how to fetch, match, rank and show it."""

    key: str  # in the address: ?typ=partnerstwa
    label: object  # lazy, plural: "Partnerstwa"
    name: str  # the attribute shown as the result's title
    snippet_fields: tuple
    choice_fields: tuple = ()  # fields whose choice label the result shows (as hit.labels.<field>)

    model = None  # set by each kind (a class attribute, not a field)
    # How many matches ranked() reads (see there): all of them (a table of a few thousand rows at most), or
    # the first COUNT_LIMIT + 1 and, with `names_apart`, the rows whose name holds every word.
    bounded = False
    names_apart = True
    # The title is a phrase people wrote (an event's, a position's, a working group's), not a proper name: it
    # says it is Polish on English pages (common/language.py).
    title_is_phrase = False

    def visible(self, user):
        """The rows `user` may find: published ones for everyone, drafts too for staff."""
        return self.model.objects.visible_to(user)

    def shown(self, queryset):
        """`queryset` with the columns (and related rows) its results show."""
        return queryset

    def name_length(self):
        return Length(self.name)

    def order_tail(self, now):
        return ("sort_name", "pk")

    def prefetch(self, queryset):
        return queryset

    def finish(self, obj):
        """Prepare a fetched row for its template (PersonKind adds the role)."""

    def may_match(self, query):
        """False when no row can match `query`, known without asking the database (see DistrictKind)."""
        return True

    def in_districts(self, districts):
        """The rows that lie in (or work in) one of `districts`, as a list of conditions on the row (Q) and of
        (queryset of another table, its field with the row's id); empty when the kind has no district."""
        return []

    def ids(self, condition):
        """The ids of every row (published or not: the outer query decides) that meets the condition."""
        return self.model._default_manager.filter(condition).order_by().values("pk")

    def matching(self, query, user, *, as_ids=True):
        """The rows that match `query` (unordered): the same set on both databases, plus typos on PostgreSQL.

        Every word must occur in the row's own text (or a word close to it) or the row must be in a
        district the word names, so "biblioteka zoliborz" finds the library on Żoliborz and "mokotow"
        the partnerships working in Mokotów. On PostgreSQL a row whose words start with every typed
        token (full-text search, see Query.full_text()) matches too.

        Being in a district is a join. Where a word names no district, its index narrows the rows
        and the districts are checked on those (the rows of another table with EXISTS, a few index
        probes a row). When every word names a district, nothing else narrows them: with the district
        ORed into each word's condition PostgreSQL would read every row and work out the text
        conditions for each (seconds for "zoliborz" at a hundred times the city). Then the word naming
        the fewest districts is a set of ids instead, the UNION of the rows with the word and of the
        rows in its districts, each from its own index (the indexes of the migration search/0004 hold
        the ids), and the other words are checked on those rows (`as_ids=False` keeps the ORed form, to
        compare). The full-text condition F goes into every word's condition, as
        (W1 ∧ W2) ∨ F = (W1 ∨ F) ∧ (W2 ∨ F).
        """
        query = query.resolve()
        if not query:  # every word was too short to search for: nothing narrows the rows
            return self.visible(user)
        tsquery = query.full_text() if is_postgresql() else None
        full_text = None
        if tsquery is not None:
            full_text = Q(TextMatches(FoldedTextVector(F("search_text")), PrefixTsQuery(Value(tsquery))))
        arms = [self.in_districts(ids) if ids else [] for ids in query.district_ids]
        driving = None  # the word read as a set of ids
        if as_ids and all(arms):
            driving = min(range(len(arms)), key=lambda index: len(query.district_ids[index]))
        every_word = Q()
        for index, (word, close, in_district) in enumerate(zip(query.words, query.close_words, arms, strict=True)):
            with_word = text_matches(word, close)
            if full_text is not None and driving is not None:
                with_word |= full_text
            if index == driving:
                rest = [self.ids(arm) if isinstance(arm, Q) else arm[0].values(arm[1]) for arm in in_district]
                with_word = Q(pk__in=self.ids(with_word).union(*rest, all=True))
            elif in_district:
                # The districts first: a row in one skips the text conditions.
                conditions = [
                    arm if isinstance(arm, Q) else Q(Exists(arm[0].filter(**{arm[1]: OuterRef("pk")})))
                    for arm in in_district
                ]
                with_word = functools.reduce(Q.__or__, conditions) | with_word
            every_word &= with_word
        if full_text is not None and driving is None:
            every_word |= full_text
        return self.visible(user).filter(every_word)

    def bounded_matches(self, query, user):
        """The ids of the first COUNT_LIMIT + 1 matching rows, in no order: all of them when there are fewer."""
        return self.matching(query, user).order_by().values("pk")[: COUNT_LIMIT + 1]

    def folded_name(self):
        """The folded name: the start of `search_text` (SearchableMixin puts the name first). A trigram
        index on this exact expression (see the migration search/0002) finds the names holding a word."""
        return Substr("search_text", 1, self.name_length())

    def ranked(self, query, user, now=None, *, counted=False):
        """Matching rows, best first (see NameRank); with `counted`, each also has `search_total`, how many
        match as Total.of() reads it.

        Ranked are the first COUNT_LIMIT + 1 matches the database finds and the rows whose name holds
        every word: every match when there are no more than COUNT_LIMIT. A common word ("zoliborz":
        18 159 events at a hundred times the city) would otherwise have every match read and ranked
        to show the best five. Then the names that hold the words still come first; the rest is
        ranked among the matches read. A kind whose table stays small (`bounded` false: a few thousand
        rows at a hundred times the city) ranks every match. People's text is their name: the names
        holding the words are the matches (`names_apart` false).

        Both sets are matches, so the rows ranked are all the matches when there are no more than
        COUNT_LIMIT, and more than COUNT_LIMIT otherwise: counting them (a window count, before the
        LIMIT of the page) gives the bounded count without reading the matches a second time.
        """
        query = query.resolve()
        now = now or timezone.now()
        if not self.bounded:
            queryset = self.matching(query, user)
        elif not self.names_apart:  # every row read is visible: the outer query need not check it again
            queryset = self.model._default_manager.filter(pk__in=self.bounded_matches(query, user))
        else:
            bounded = self.bounded_matches(query, user)
            in_name = Holds(self.folded_name(), [(word,) for word in query.words])
            named = self.model._default_manager.filter(in_name).order_by().values("pk")[: COUNT_LIMIT + 1]
            if is_postgresql():
                candidates = Q(pk__in=bounded.union(named, all=True))  # one set of ids, each read from its index
            else:  # SQLite allows no LIMIT in the parts of a UNION
                candidates = Q(pk__in=bounded) | Q(pk__in=named)
            queryset = self.visible(user).filter(candidates)
        queryset = self.shown(queryset).alias(_rank=NameRank(self.name_length(), query, similarity=is_postgresql()))
        if counted:
            queryset = queryset.annotate(search_total=MatchCount())
        return self.prefetch(queryset.order_by("_rank", *self.order_tail(now)))


class PartnershipKind(Kind):
    model = Partnership

    def in_districts(self, districts):
        working_there = Partnership.districts.through.objects.filter(district_id__in=districts)
        return [Q(pk__in=working_there.values("partnership_id"))]

    def shown(self, queryset):
        return queryset.only(
            "name", "slug", "kind", "status", "summary", "area", "description", "goals", "citywide", "is_published"
        )


class DistrictKind(Kind):
    model = District

    def visible(self, user):
        return District.objects.all()

    def may_match(self, query):
        """A district matches when its text holds every word (or a word close to it): when it is named by
        every word, which the lookup of Query.resolve() already knows. The full-text condition (a typed
        word with punctuation) it does not know."""
        query = query.resolve()
        return query.full_text() is not None or bool(set.intersection(*(set(ids) for ids in query.district_ids)))

    def shown(self, queryset):
        return queryset.only("name", "slug", "bank", "description")


class OrganisationKind(Kind):
    model = Organisation
    bounded = True

    def in_districts(self, districts):
        return [Q(district_id__in=districts)]

    def shown(self, queryset):
        return queryset.select_related("district").only(
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


class EventKind(Kind):
    model = Event
    bounded = True
    title_is_phrase = True

    def in_districts(self, districts):
        """Held in the district, or organised by a partnership working there (as on the district page)."""
        organised = Event.organisers.through.objects.filter(partnership__districts__in=districts)
        return [Q(place__district_id__in=districts), (organised, "event_id")]

    def shown(self, queryset):
        return queryset.select_related("place__district").only(
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

    def order_tail(self, now):
        """Upcoming events soonest first, then past ones, the most recent first."""
        upcoming_start = Case(When(end__gte=now, then=F("start")), default=None, output_field=DateTimeField())
        return (upcoming_start.asc(nulls_last=True), F("start").desc(), "pk")


class PlaceKind(Kind):
    model = Place

    def visible(self, user):
        return Place.objects.all()

    def in_districts(self, districts):
        return [Q(district_id__in=districts)]

    def shown(self, queryset):
        return queryset.select_related("district").only(
            "name", "slug", "street_address", "postal_code", "description", "district__name", "district__slug"
        )

    def prefetch(self, queryset):
        """The first published partnership meeting there and how many do, as one annotation: someone who typed
        their street sees who is active on it."""
        first = (
            Partnership.objects.public()
            .filter(places=OuterRef("pk"))
            .order_by("sort_name", "pk")
            .values(meets=JSONObject(name="name", slug="slug", count=MatchCount()))[:1]
        )
        return queryset.annotate(_meets=Subquery(first))

    def finish(self, obj):
        meets = obj._meets
        obj.meets = meets and {
            "partnership": meets["name"],
            "url": reverse("partnerships:detail", kwargs={"slug": meets["slug"]}),
            "others": (meets["count"] or 1) - 1,
        }


class PersonKind(Kind):
    """Only people with a current role in a published partnership; their contact only with consent."""

    model = Person
    bounded = True
    names_apart = False  # the text is the name

    def visible(self, user):
        return Person.objects.filter(pk__in=self.public_roles().values("person_id"))

    @staticmethod
    def public_roles():
        return PartnershipRole.objects.current().filter(partnership__is_published=True)

    def shown(self, queryset):
        return queryset.only("first_name", "last_name", "slug", "email", "phone", "public_contact")

    def name_length(self):
        return Length("first_name") + Value(1) + Length("last_name")

    def prefetch(self, queryset):
        """The first public role and how many there are, as one annotation: no second query."""
        first = (
            self.public_roles()
            .filter(person=OuterRef("pk"))
            .order_by("partnership__sort_name", "role", "pk")
            .values(
                role_data=JSONObject(
                    role="role",
                    partnership="partnership__name",
                    slug="partnership__slug",
                    count=MatchCount(),
                )
            )[:1]
        )
        return queryset.annotate(_role=Subquery(first))

    def finish(self, obj):
        role = obj._role
        obj.public_role = {
            "label": _choice_labels(PartnershipRole, "role").get(role["role"], role["role"]),
            "partnership": role["partnership"],
            "url": reverse("partnerships:detail", kwargs={"slug": role["slug"]}),
            "count": role["count"] or 1,
        }


class WorkingGroupKind(Kind):
    model = WorkingGroup
    title_is_phrase = True

    def shown(self, queryset):
        return queryset.only("name", "slug", "purpose", "description", "dissolved_on", "is_published")


class PositionKind(Kind):
    model = Position
    title_is_phrase = True

    def shown(self, queryset):
        return queryset.only("title", "slug", "adopted_on", "summary", "body", "is_published")

    def order_tail(self, now):
        return ("-adopted_on", "sort_name", "pk")


class PracticeKind(Kind):
    """Good practices, published ones only (a draft is read by its partnership on its own page, not found)."""

    model = Practice
    title_is_phrase = True

    def visible(self, user):
        return Practice.objects.public()

    def in_districts(self, districts):
        """Told by a partnership working in the district."""
        working_there = Partnership.districts.through.objects.filter(district_id__in=districts)
        return [Q(partnership_id__in=working_there.values("partnership_id"))]

    def shown(self, queryset):
        return queryset.select_related("partnership").only(
            "title", "slug", "summary", "problem", "steps", "results", "partnership__name", "partnership__slug"
        )

    def order_tail(self, now):
        return ("-published_at", "sort_name", "pk")


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
    PracticeKind("dobre-praktyki", _("Dobre praktyki"), "title", ("summary", "problem", "steps", "results")),
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
    title_is_phrase: bool = False  # Kind.title_is_phrase


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
        title_is_phrase=kind.title_is_phrase,
    )


def hits(kind, objects, query):
    return [make_hit(kind, obj, query) for obj in objects]


def search_overview(query, *, user, per_kind=5, now=None):
    """The first results of every kind that has some, with its (bounded) total.

    One query per kind (its best rows, each with the kind's bounded total), none for a kind that cannot
    match (Kind.may_match()); one before them finds the districts the words name and (PostgreSQL) the
    words close to the typed ones, and on PostgreSQL one sets the search's settings: at most two queries more
    than there are kinds.
    """
    if not query:
        return []
    query = query.resolve()
    now = now or timezone.now()
    groups = []
    with searching():
        for kind in KINDS:
            rows = list(kind.ranked(query, user, now, counted=True)[:per_kind]) if kind.may_match(query) else []
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
