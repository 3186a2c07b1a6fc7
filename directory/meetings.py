"""The network's general meetings (/siec/spotkania-ogolne/): the next ones from the agenda, and the past ones with
their minutes (or the note that the minutes are being prepared).

General meetings are events of the kind `general_meeting`; their minutes are events.Minutes, shown on the meeting's
page once published. The page runs the same few queries whatever the number of meetings: the next meetings with
their places and organisers, and one page of the past ones, each with whether its minutes are published.
"""

from django.db.models import Exists, OuterRef
from django.views.generic import ListView

from common.cache import cached_fragment
from common.paging import PublicListMixin
from events.models import Event, Minutes

UPCOMING_GENERAL_MEETINGS = 6


def general_meetings():
    return Event.objects.public().filter(kind=Event.Kind.GENERAL_MEETING)


class GeneralMeetingListView(PublicListMixin, ListView):
    template_name = "events/general_meetings.html"
    context_object_name = "past_meetings"
    moves_with_time = True  # a meeting moves from "next" to "past" when it ends

    def get_queryset(self):
        published_minutes = Minutes.objects.public().filter(event=OuterRef("pk"))
        return (
            general_meetings()
            .only("title", "slug", "start", "end", "all_day", "status", "kind")
            .past()
            .annotate(has_minutes=Exists(published_minutes))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upcoming_meetings"] = cached_fragment(
            "general-meetings-upcoming",
            lambda: list(general_meetings().for_cards().upcoming()[:UPCOMING_GENERAL_MEETINGS]),
            moves_with_time=True,
        )
        context["kind"] = Event.Kind.GENERAL_MEETING
        return context
