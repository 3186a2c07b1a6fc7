"""List-page behaviour shared by every public directory: paging and filters."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet, Subquery
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from .cache.version import versioned


def shared(request, name, compute, *, clock=True):
    """compute(), shared by every anonymous visitor per data version (see versioning.versioned).

    Logged-in users may see unpublished rows (staff), so they always get it computed afresh.
    """
    if request is None or request.user.is_authenticated:
        return compute()
    return versioned(name, compute, clock=clock)


def request_key(request, *, ignore=("page",)):
    """The address of a request as a cache key's name, without the parameters that do not matter."""
    params = sorted((key, value) for key, values in request.GET.lists() if key not in ignore for value in values)
    return f"{request.path}?{urlencode(params)}"


def unique_ordering(queryset):
    """The queryset ordered as it was, with the primary key last: pages never overlap or skip rows."""
    ordering = list(queryset.query.order_by or (queryset.query.default_ordering and queryset.model._meta.ordering))
    if not ordering or ordering[-1] not in ("pk", "-pk", "id", "-id"):
        ordering.append("-pk" if ordering and str(ordering[-1]).startswith("-") else "pk")
    return queryset.order_by(*ordering)


class DeepPaginator(Paginator):
    """Numbered pages whose last page costs what the first does.

    Plain OFFSET reads and throws away every row before the page, so page 2500 of a
    list costs 2500 times page 1. Here a page in the second half of the list is read
    from the other end (the reversed ordering, a small OFFSET from the end), and every
    page is a deferred join: a narrow query finds the page's primary keys (an index
    scan, no wide rows), then only those rows are loaded with their related data.
    The deepest page is then the middle one, at half the plain cost.

    `keys(number, compute)` (for a list whose page shows each row's card and at most the
    `key_fields` of each row, see wspl_lists.render_cards) may keep a page's primary keys
    and those fields, as `count` keeps the count: a page whose keys are kept holds rows with
    nothing else (CardRows), and the rows themselves are read only for cards missing from
    the cache. When the keys are worked out, the page is read as usual and its rows serve.
    """

    def __init__(self, object_list, *args, count=None, keys=None, key_fields=(), **kwargs):
        if isinstance(object_list, QuerySet):
            object_list = unique_ordering(object_list)
        super().__init__(object_list, *args, **kwargs)
        self.count_with = count
        self.keys_with = keys
        self.key_fields = ("pk", *key_fields)

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
        queryset = self.object_list
        if self.keys_with is None or not isinstance(queryset, QuerySet):
            return Page(self.rows(bottom, top), number, self)
        read = []

        def compute():
            read.append(self.rows(bottom, top))
            return [tuple(getattr(row, name) for name in self.key_fields) for row in read[0]]

        keys = self.keys_with(number, compute)
        if read:  # worked out just now: the rows read for it serve
            return Page(read[0], number, self)
        return Page(CardRows.of(queryset, self.key_fields, keys), number, self)

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


class CardRows(list):
    """A page of rows that hold only their primary key; `load()` reads the whole rows when cards are made."""

    def __init__(self, rows, queryset):
        super().__init__(rows)
        self.queryset = queryset

    @classmethod
    def of(cls, queryset, fields, keys):
        """Rows of the queryset's model holding only `fields` from their kept values, the rest deferred (as
        `.only()` leaves them): made with Model.from_db(), as if they had just been read."""
        model = queryset.model
        meta = model._meta
        attnames = [meta.pk.attname if name == "pk" else meta.get_field(name).attname for name in fields]
        # from_db() takes the values in the order of the model's fields.
        position = {field.attname: index for index, field in enumerate(meta.concrete_fields)}
        order = sorted(range(len(attnames)), key=lambda index: position[attnames[index]])
        names = [attnames[index] for index in order]
        db = queryset.db
        return cls([model.from_db(db, names, [values[index] for index in order]) for values in keys], queryset)

    def load(self):
        """{primary key: the row, with what its card shows}; a row deleted in the meantime is missing."""
        return {row.pk: row for row in self.queryset.filter(pk__in=[row.pk for row in self])}


class PublicListMixin:
    """Pagination with an elided page range; `?page=` that is not a page gives a 404."""

    paginate_by = settings.PAGE_SIZE
    paginator_class = DeepPaginator
    # True for lists whose rows move with the time (coming dates): their count is kept a minute at most.
    count_per_minute = False
    # For lists whose template shows each row's card and, of the row itself, at most these fields (a tuple):
    # a page's keys are then kept too (see DeepPaginator), and a page whose cards are kept reads no rows.
    card_fields = None

    def paginate_queryset(self, queryset, page_size):
        def keys(number, compute):
            # The fields are in the name: a kept value of another shape (an older release's) is never read.
            name = f"page-keys:{'+'.join(('pk', *self.card_fields))}:{number}:{request_key(self.request)}"
            return shared(self.request, name, compute, clock=self.count_per_minute)

        paginator = self.get_paginator(
            queryset,
            page_size,
            allow_empty_first_page=True,
            keys=keys if self.card_fields is not None else None,
            key_fields=self.card_fields or (),
            count=lambda compute: shared(
                self.request, f"count:{request_key(self.request)}", compute, clock=self.count_per_minute
            ),
        )
        raw = self.request.GET.get("page") or 1
        try:
            page = paginator.page(raw)
        except InvalidPage as exc:
            raise Http404(_("Nie ma takiej strony wyników.")) from exc
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["elided_page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2)
        return context


class PublicFilterView(PublicListMixin, FilterView):
    """A filtered, paginated directory. Invalid filter values show the form's errors and no rows."""

    strict = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["filters_active"] = any(
            value not in (None, "", []) for name, value in form.data.items() if name in form.fields
        )
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else len(context["object_list"])
        )
        return context
