"""Public pages of the member organisations: the directory and one organisation."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView

from common.paging import PublicFilterView

from .filters import OrganisationFilter
from .models import Organisation

CARD_FIELDS = ("name", "slug", "sector", "kind", "is_published", "sort_name", "district__name", "district__slug")


class OrganisationListView(PublicFilterView):
    filterset_class = OrganisationFilter
    template_name = "members/organisation_list.html"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("district").only(*CARD_FIELDS)


class OrganisationDetailView(DetailView):
    template_name = "members/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("district")

    def get(self, request, *args, **kwargs):
        """The page; the address of an organisation merged into another one answers with a permanent redirect."""
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            merged_into = self.get_queryset().merged_from(kwargs["slug"])
            if merged_into is None:
                raise
            return redirect(merged_into, permanent=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = list(
            self.object.memberships.select_related("partnership")
            .only(
                "role",
                "since",
                "until",
                "signed_declaration",
                "organisation_id",
                "partnership__name",
                "partnership__slug",
                "partnership__is_published",
            )
            .order_by("partnership__sort_name", "-since", "pk")
        )
        context["current_memberships"] = [m for m in memberships if m.is_current]
        context["former_memberships"] = sorted(
            (m for m in memberships if not m.is_current), key=lambda m: m.until, reverse=True
        )
        return context
