from datetime import date

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "events"


class DayConverter:
    """A day written as 2026-04-14; an impossible date (2026-02-30) is no match, so a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(DayConverter, "day")

urlpatterns = [
    path("", views.AgendaView.as_view(), name="list"),
    path(_("archiwum/"), views.ArchiveView.as_view(), name="archive"),
    path(_("kalendarz/"), views.MonthCalendarView.as_view(), name="month_current"),
    path(_("kalendarz/<int:year>/<int:month>/"), views.MonthCalendarView.as_view(), name="month"),
    path(_("jak-subskrybowac/"), views.SubscribeHelpView.as_view(), name="subscribe_help"),
    # Feeds: iCal for the whole network (and any filters), per partnership, district, kind and event.
    path("wydarzenia.ics", views.ical_feed, name="ical"),
    path("partnerstwo/<slug:slug>.ics", views.ical_partnership, name="ical_partnership"),
    path("dzielnica/<slug:slug>.ics", views.ical_district, name="ical_district"),
    path("rodzaj/<slug:kind>.ics", views.ical_kind, name="ical_kind"),
    path("rss/", feeds.UpcomingEventsFeed(), name="rss"),
    path("atom/", feeds.UpcomingEventsAtomFeed(), name="atom"),
    # Widgets for other websites' iframes.
    path(
        _("widzet/partnerstwo/<slug:slug>/"), views.WidgetView.as_view(scope="partnership"), name="widget_partnership"
    ),
    path(_("widzet/dzielnica/<slug:slug>/"), views.WidgetView.as_view(scope="district"), name="widget_district"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/kalendarz.ics", views.ical_event, name="ical_event"),
    path("<slug:slug>/<day:day>/", views.EventDetailView.as_view(), name="occurrence"),
]
