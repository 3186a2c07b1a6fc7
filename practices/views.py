"""Public pages of good practices: the list with its filters, one practice in its fixed shape, and the feeds of new
ones.

The list shows published practices only. A draft's page is for staff and the coordinators of its partnership, who see
it marked as a draft before it goes out; anyone else gets a 404.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from common.images import image_sources, share_image_url
from common.paging import PublicFilterView
from members.models import Organisation
from partnerships.models import Partnership

from .filters import PracticeFilter
from .models import Practice

SHARE_WIDTH = 1200


class PracticeListView(PublicFilterView):
    filterset_class = PracticeFilter
    template_name = "practices/practice_list.html"
    # Built once (the queryset is cloned for each request, as ListView does): what a card needs.
    queryset = Practice.objects.public().for_cards()


def practice_for_page(queryset, slug):
    """The practice at `slug` from `queryset` with everything its page shows: the published organisations and
    partnerships that took part, its topics and photos (five queries, whatever their number)."""
    return get_object_or_404(
        queryset.select_related("partnership", "contact_person", "working_group").prefetch_related(
            "topics",
            "photos",
            Prefetch("organisations", queryset=Organisation.objects.public().only("name", "slug", "sort_name")),
            Prefetch("partner_partnerships", queryset=Partnership.objects.public().only("name", "slug", "sort_name")),
        ),
        slug=slug,
    )


def practice_json_ld(practice, photos, absolute_url):
    """schema.org Article of a practice: told by its partnership (an Organization), about its topics."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": practice.title,
        "description": practice.summary,
        "url": absolute_url(practice.get_absolute_url()),
        "inLanguage": "pl",
        "dateModified": practice.updated_at.isoformat(),
        "author": {
            "@type": "Organization",
            "name": practice.partnership.name,
            "url": absolute_url(practice.partnership.get_absolute_url()),
        },
        "about": [{"@type": "Thing", "name": topic.shown_name} for topic in practice.topics.all()],
    }
    if practice.published_at:
        data["datePublished"] = practice.published_at.isoformat()
    images = [absolute_url(share_image_url(photo.image, photo.image_width, SHARE_WIDTH)) for photo in photos]
    if images:
        data["image"] = images
    return data


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_object(self, queryset=None):
        return practice_for_page(Practice.objects.readable_by(self.request.user), self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.object
        photos = list(practice.photos.all())
        for photo in photos:
            photo.src, photo.srcset = image_sources(photo.image, photo.image_width)
        needs = [
            (_("Czas"), practice.get_time_needed_display()),
            (_("Pieniądze"), practice.get_money_needed_display()),
            (_("Przestrzeń"), practice.get_space_needed_display()),
            (_("Ludzie do pracy"), practice.get_people_needed_display()),
        ]
        context.update(
            photos=photos,
            needs=[(label, value) for label, value in needs if value],
            is_draft=not (practice.is_published and practice.partnership.is_published),
            json_ld=practice_json_ld(practice, photos, self.request.build_absolute_uri),
            share_image=share_image_url(photos[0].image, photos[0].image_width, SHARE_WIDTH) if photos else "",
        )
        return context
