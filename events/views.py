"""Public pages of events: the upcoming list, the archive and one event."""

from django.utils import timezone
from django.views.generic import DetailView

from partnerships.paging import PublicFilterView

from .filters import EventFilter
from .models import Event


def public_events():
    """Published events with what a card shows: the place and every organiser."""
    return Event.objects.public().for_cards()


class UpcomingEventListView(PublicFilterView):
    """Events that have not ended yet, soonest first."""

    filterset_class = EventFilter
    template_name = "events/event_list.html"
    archive = False

    def get_queryset(self):
        now = timezone.now()
        events = public_events()
        return events.past(now) if self.archive else events.upcoming(now)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive"] = self.archive
        return context


class PastEventListView(UpcomingEventListView):
    """Events that have ended, most recent first."""

    archive = True


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return public_events()
