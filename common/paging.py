"""List-page behaviour shared by every public directory: paging and filters."""

import base64
import binascii
import datetime
import json

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.timezone import is_naive
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from .cache import address_key, cached_fragment


def unique_ordering(queryset):
    """The queryset ordered as it was, with the primary key last: pages never overlap or skip rows."""
    ordering = list(queryset.query.order_by or (queryset.query.default_ordering and queryset.model._meta.ordering))
    if not ordering or ordering[-1] not in ("pk", "-pk", "id", "-id"):
        ordering.append("-pk" if ordering and str(ordering[-1]).startswith("-") else "pk")
    return queryset.order_by(*ordering)


def ordering_of(queryset):
    """[(field name, descending)] of a queryset ordered by unique_ordering(); [] when it is ordered by anything
    but the model's own fields (an expression, a field across a relation): such a list has no keyset links."""
    ordering = []
    for item in queryset.query.order_by:
        name = item.lstrip("-") if isinstance(item, str) else ""
        try:
            _field(queryset.model, name)
        except FieldDoesNotExist:
            return []
        ordering.append((name, item.startswith("-")))
    return ordering


def _field(model, name):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def row_values(queryset, row):
    """The values of `row` in the fields the queryset is ordered by."""
    return [getattr(row, _field(queryset.model, name).attname) for name, _descending in ordering_of(queryset)]


def _plain(value):
    """A sort value as JSON takes it: dates and times whole (to the microsecond), anything else as text."""
    return value.isoformat() if isinstance(value, datetime.date | datetime.time) else str(value)


MAX_PAGE_NUMBER = 10**9


def encode_cursor(number, values):
    """A page's number and the sort values of the row next to it, as a short token for an address."""
    text = json.dumps([number, *values], default=_plain, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(queryset, token):
    """(page number, sort values) from a token; InvalidPage for anything that is not one of ours."""
    try:
        if len(token) > 1000:
            raise ValueError(token[:20])
        number, *raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        ordering = ordering_of(queryset)
        if not isinstance(number, int) or not 1 <= number <= MAX_PAGE_NUMBER or len(raw) != len(ordering):
            raise ValueError(token)
        if any(not isinstance(value, int | str) or "\x00" in str(value) for value in raw):
            raise ValueError(token)
        values = [
            _field(queryset.model, name).to_python(value) for (name, _d), value in zip(ordering, raw, strict=True)
        ]
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, ValidationError, FieldDoesNotExist) as error:
        raise InvalidPage(_("Nie ma takiej strony wyników.")) from error
    if any(value is None or (isinstance(value, datetime.datetime) and is_naive(value)) for value in values):
        raise InvalidPage(_("Nie ma takiej strony wyników."))
    return number, values


def beyond(queryset, values, *, before=False):
    """The rows of the ordered queryset after (or before) the row whose sort values are `values`.

    (a, b, pk) > (x, y, z) is written out as a > x OR (a = x AND b > y) OR …, with the first field's
    own bound (a >= x) beside it, so the database reads the ordering's index from that row on.
    """
    ordering = ordering_of(queryset)
    condition = Q()
    for index, (name, descending) in enumerate(ordering):
        later = "lt" if descending != before else "gt"
        step = Q(**{f"{name}__{later}": values[index]})
        for earlier, _descending in ordering[:index]:
            step &= Q(**{earlier: values[ordering.index((earlier, _descending))]})
        condition |= step
    first, descending = ordering[0]
    bound = Q(**{f"{first}__{'lte' if descending != before else 'gte'}": values[0]})
    return queryset.filter(bound, condition)


class KeysetPage(Page):
    """A page reached from the row before (or after) it: it costs what the first page does, however deep.

    `has_next()`/`has_previous()` come from the rows found, not from the number, which the link only carries.
    """

    def __init__(self, object_list, number, paginator, *, more_after, more_before):
        super().__init__(object_list, number, paginator)
        self.more_after, self.more_before = more_after, more_before

    def has_next(self):
        return self.more_after

    def has_previous(self):
        return self.more_before

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return max(1, self.number - 1)


class DeepPaginator(Paginator):
    """Numbered pages whose last page costs what the first does.

    Plain OFFSET reads and throws away every row before the page, so page 2500 of a
    list costs 2500 times page 1. Here a page in the second half of the list is read
    from the other end (the reversed ordering, a small OFFSET from the end), and every
    page is a deferred join: a narrow query finds the page's primary keys (an index
    scan, no wide rows), then only those rows are loaded with their related data.
    The deepest page is then the middle one, at half the plain cost.

    A page deep inside a long list is reached with keyset links instead (`page_beyond`):
    from the row next to it, as cheap as the first page.
    """

    def __init__(self, object_list, *args, count=None, **kwargs):
        if isinstance(object_list, QuerySet):
            object_list = unique_ordering(object_list)
        super().__init__(object_list, *args, **kwargs)
        self.count_with = count

    @cached_property
    def count(self):
        """The number of rows; `count(compute)` given to the paginator may keep it (a COUNT at scale is a scan)."""

        def compute():
            # As Django's Paginator counts: COUNT(*) for a queryset, the length of anything else.
            if isinstance(self.object_list, QuerySet):
                return self.object_list.count()
            return len(self.object_list)

        return self.count_with(compute) if self.count_with else compute()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(self.rows(bottom, top), number, self)

    def page_beyond(self, token, *, before=False):
        """The page after (or, with `before`, before) the row a keyset link names."""
        queryset = self.object_list
        number, values = decode_cursor(queryset, token)
        rows = list(
            self.fetch(beyond(queryset.reverse() if before else queryset, values, before=before), 0, self.per_page + 1)
        )
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if before:
            rows.reverse()
        return KeysetPage(rows, number, self, more_after=True if before else more, more_before=more if before else True)

    def keyset(self):
        return isinstance(self.object_list, QuerySet) and bool(ordering_of(self.object_list))

    def next_cursor(self, page):
        """The token of the page after `page`: the sort values of its last row."""
        if not page.has_next() or not page.object_list or not self.keyset():
            return None
        return encode_cursor(page.number + 1, row_values(self.object_list, page.object_list[-1]))

    def previous_cursor(self, page):
        if not page.has_previous() or not page.object_list or not self.keyset():
            return None
        return encode_cursor(max(1, page.number - 1), row_values(self.object_list, page.object_list[0]))

    def rows(self, bottom, top):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or top <= bottom:
            return list(queryset[bottom:top])
        if bottom > self.count - top:
            rows = list(self.fetch(queryset.reverse(), self.count - top, self.count - bottom))
            rows.reverse()
            return rows
        return list(self.fetch(queryset, bottom, top))

    @staticmethod
    def fetch(queryset, start, stop):
        keys = queryset.values("pk")[start:stop]
        return queryset.filter(pk__in=Subquery(keys))


# Pages this close to either end of a list are linked by their number: read from the nearer end, they cost what
# the first page does. Deeper pages are reached with the keyset links (next, previous) or the filters.
NUMBERED_DEPTH = 5


def near_the_ends(numbers, current, last):
    """The elided page range without the numbers deep inside a long list (but the current one), ellipses kept single."""
    kept = []
    for number in numbers:
        if isinstance(number, int) and number != current and NUMBERED_DEPTH < number <= last - NUMBERED_DEPTH:
            number = Paginator.ELLIPSIS
        if number == Paginator.ELLIPSIS and kept and kept[-1] == Paginator.ELLIPSIS:
            continue
        kept.append(number)
    return kept


class PastTheEnd(Exception):
    """`?page=` after a list's last page; `last` is that page's number."""

    def __init__(self, last):
        super().__init__(last)
        self.last = last


def past_the_end(paginator, number):
    """True for a whole page number after the last page (read as Paginator reads it), False for anything else."""
    try:
        return int(number) > paginator.num_pages
    except (TypeError, ValueError):
        return False


class PublicListMixin:
    """Pagination with an elided page range.

    `?page=` after the last page (an old link, a list that has shrunk) redirects (302) to the last page, the other
    parameters kept; anything else that is not a page (`abc`, `0`, `-1`, a NUL, a forged keyset link) gives a 404.
    """

    paginate_by = settings.PAGE_SIZE
    paginator_class = DeepPaginator
    # True for lists whose rows move with the time (coming dates): their count is kept a minute at most.
    moves_with_time = False

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            allow_empty_first_page=True,
            count=lambda compute: cached_fragment(
                f"count:{address_key(self.request)}",
                compute,
                request=self.request,
                moves_with_time=self.moves_with_time,
            ),
        )
        after, before = self.request.GET.get("po"), self.request.GET.get("przed")
        try:
            if (after or before) and paginator.keyset():
                page = paginator.page_beyond(after or before, before=not after)
            else:
                number = self.request.GET.get("page") or 1
                if past_the_end(paginator, number):
                    raise PastTheEnd(paginator.num_pages)
                page = paginator.page(number)
        except InvalidPage as exc:
            raise Http404(_("Nie ma takiej strony wyników.")) from exc
        return paginator, page, page.object_list, page.has_other_pages()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PastTheEnd as end:
            query = request.GET.copy()
            if end.last > 1:
                query["page"] = str(end.last)
            else:
                del query["page"]
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            paginator = page.paginator
            # Next and previous go by the row next to them (keyset links: as cheap as the first page, however deep);
            # the numbered links only to the pages near either end, which are cheap to read by their number.
            context["next_cursor"] = paginator.next_cursor(page)
            context["previous_cursor"] = paginator.previous_cursor(page)
            context["elided_page_range"] = near_the_ends(
                paginator.get_elided_page_range(page.number, on_each_side=2), page.number, paginator.num_pages
            )
        return context


class PublicFilterView(PublicListMixin, FilterView):
    """A filtered, paginated directory. Invalid filter values show the form's errors and no rows."""

    strict = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        # How many filters are in use (0: none), for the "Filtry (2)" button that folds the form on a phone.
        context["filters_active"] = sum(
            1 for name, value in form.data.items() if name in form.fields and value not in (None, "", [])
        )
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        return context
