"""The search page: every kind of object at once, or one kind with paging."""

from django import forms
from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from common.cache import cached_fragment

from . import engine as site_search


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Czego szukasz?"),
        required=False,
        max_length=site_search.MAX_QUERY_LENGTH,
        help_text=_(
            "Nazwa partnerstwa, dzielnicy, osiedla, ulicy, organizacji lub wydarzenia – "
            "polskie litery nie są konieczne."
        ),
        error_messages={"max_length": _("Wpisz krócej – najwyżej 200 znaków.")},
        widget=forms.SearchInput,
    )
    typ = forms.ChoiceField(
        label=_("Rodzaj wyników"),
        required=False,
        choices=[("", _("wszystkie rodzaje"))] + [(kind.key, kind.label) for kind in site_search.KINDS],
        error_messages={"invalid_choice": _("Nie ma takiego rodzaju wyników – wybierz go z listy.")},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # NUL bytes cannot be stored or searched for: drop them instead of failing the form.
            data = {name: data.get(name, "").replace("\x00", "") for name in ("q", "typ")}
        super().__init__(data, **kwargs)


# Suggestions on the empty search page: district names stay as they are, the rest is translated.
EXAMPLES = ["Żoliborz", "Praga-Południe", _("dom sąsiedzki"), _("biblioteka")]


def search(request):
    form = SearchForm(request.GET)
    text, kind = "", None
    if form.is_valid():
        text = form.cleaned_data["q"]
        kind = site_search.KINDS_BY_KEY.get(form.cleaned_data["typ"])
    number = request.GET.get("page") or 1
    # The same query's results are the same for every anonymous visitor until the data changes: found once per
    # data version and kept (a page that does not exist raises Http404, which is never kept).
    name = f"search:{get_language()}:{kind.key if kind else ''}:{number}:{text}"
    found = cached_fragment(name, lambda: results(text, kind, number, request.user), request=request)
    query, counts = found["query"], found["counts"]
    context = {
        "form": form,
        "query": query,
        "kind": kind,
        "examples": EXAMPLES,
        "skipped": ", ".join(query.skipped),
        "min_word_length": site_search.MIN_WORD_LENGTH,
        "count_limit": site_search.COUNT_LIMIT,
    }
    if "groups" in found:
        context["groups"] = [
            site_search.Group(site_search.KINDS_BY_KEY[key], hits, total) for key, hits, total in found["groups"]
        ]
    if "hits" in found:
        # The page's numbers, from the count the results were found with (the rows themselves are kept as hits).
        page = Paginator(range(found["count"]), settings.PAGE_SIZE).page(found["number"])
        context.update(
            page_obj=page,
            hits=found["hits"],
            elided_page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
        )

    # Each kind is counted up to COUNT_LIMIT; with more, the page says "more than" the sum.
    total = counts.get(kind.key, site_search.Total(0)) if kind else sum(counts.values(), site_search.Total(0))
    context.update(
        total=total,
        tabs=[
            {
                "key": item.key,
                "label": item.label,
                "count": counts.get(item.key, site_search.Total(0)),
                "current": item == kind,
            }
            for item in site_search.KINDS
        ],
    )
    return render(request, "search/search.html", context)


def results(text, kind, number, user):
    """What a search finds, as plain data the cache can keep: the query, the counts, and either the first hits of
    every kind (`groups`: key, hits, total) or one page of one kind's hits with its number and the count."""
    query = site_search.Query.parse(text).resolve() if text else site_search.Query.parse("")
    if query and kind is None:
        groups = site_search.search_overview(query, user=user)
        return {
            "query": query,
            "counts": {group.kind.key: group.total for group in groups},
            "groups": [(group.kind.key, group.hits, group.total) for group in groups if group.total],
        }
    if query:
        counts = site_search.count_matches(query, user=user)
        paginator = Paginator(site_search.search_kind(query, kind, user=user), settings.PAGE_SIZE)
        paginator.count = counts[kind.key].count  # known from the counting query: no second COUNT
        try:
            page = paginator.page(number)
        except InvalidPage as exc:
            raise Http404(gettext("Nie ma takiej strony wyników.")) from exc
        hits = site_search.hits(kind, page.object_list, query)
        return {"query": query, "counts": counts, "hits": hits, "number": page.number, "count": paginator.count}
    return {"query": query, "counts": {}}
