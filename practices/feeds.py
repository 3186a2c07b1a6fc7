"""RSS and Atom feeds of newly published good practices (django.contrib.syndication), the newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import Practice

FEED_ITEMS = 30


class NewPracticesFeed(Feed):
    def title(self):
        return _("Dobre praktyki – Warszawska Sieć Partnerstw Lokalnych")

    def link(self):
        return reverse("practices:list")

    def description(self):
        return _("Jak partnerstwa lokalne Warszawy rozwiązały konkretne sprawy: nowe opisy dobrych praktyk.")

    def items(self):
        return list(Practice.objects.public().for_cards().order_by("-published_at", "-pk")[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """Readers take a description for HTML: the summary as text, escaped."""
        return escape(item.summary)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"practice-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.partnership.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [topic.shown_name for topic in item.topics.all()]


class NewPracticesAtomFeed(NewPracticesFeed):
    feed_type = Atom1Feed
    subtitle = NewPracticesFeed.description
