"""List-page behaviour shared by every public directory: paging and filters."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.views import FilterView


class PublicListMixin:
    """Pagination with an elided page range; `?page=` that is not a page gives a 404."""

    paginate_by = settings.PAGE_SIZE
    paginator_class = Paginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
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
