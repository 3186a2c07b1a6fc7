"""RSS and Atom feeds of upcoming dates (django.contrib.syndication), with the agenda's filters."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .filters import EventFilter
from .models import Occurrence
from .views import follows_renames

FEED_ITEMS = 50


class UpcomingEventsFeed(Feed):
    """The next dates of the network's events; ?dzielnica=, ?partnerstwo=, ?rodzaj= narrow it like the agenda."""

    @method_decorator(follows_renames)
    def __call__(self, request, *args, **kwargs):
        """The feed; a renamed partnership's old slug in ?partnerstwo= answers 301 to its current one."""
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        filterset = EventFilter(request.GET, queryset=Occurrence.objects.public(), request=request)
        filterset.check_partnership_renamed()
        if not filterset.is_valid():
            raise Http404(_("Nieznana wartość filtra kanału."))
        return {"filterset": filterset, "params": filterset.feed_params(), "request": request}

    def title(self, obj):
        """The network's name, and the filter's choices when the feed is narrowed: a reader lists several feeds."""
        labels = obj["filterset"].labels()
        if labels:
            return _("Nadchodzące wydarzenia: %(filters)s – Warszawska Sieć Partnerstw Lokalnych") % {
                "filters": ", ".join(labels)
            }
        return _("Nadchodzące wydarzenia – Warszawska Sieć Partnerstw Lokalnych")

    def link(self, obj):
        return reverse("events:list")

    def description(self, obj):
        return _("Spotkania partnerstw, wydarzenia dla mieszkańców, szkolenia i spotkania całej sieci.")

    def items(self, obj):
        dates = obj["filterset"].qs.upcoming(timezone.now()).for_cards()
        return list(dates[:FEED_ITEMS])

    def item_title(self, item):
        when = timezone.localtime(item.start)
        title = f"{item.event.title} ({when:%d.%m.%Y %H:%M})"
        if item.is_cancelled:
            return _("ODWOŁANE: %(title)s") % {"title": title}
        if item.moved:
            # After the date it qualifies: the title of every date starts with the event's name.
            return _("%(title)s – nowy termin") % {"title": title}
        return title

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"event-{item.event_id}-{item.original_start:%Y%m%dT%H%M%SZ}"

    item_guid_is_permalink = False

    def item_description(self, item):
        return render_to_string("events/feed_item.html", {"occurrence": item, "event": item.event})

    def item_pubdate(self, item):
        return item.event.created_at

    def item_updateddate(self, item):
        return item.event.updated_at

    def item_categories(self, item):
        return [str(item.event.get_kind_display())]


class UpcomingEventsAtomFeed(UpcomingEventsFeed):
    feed_type = Atom1Feed
    subtitle = UpcomingEventsFeed.description
