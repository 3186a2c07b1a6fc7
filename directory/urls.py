from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import contact, meetings, views

app_name = "partnerships"

urlpatterns = [
    path(_("partnerstwa/"), views.PartnershipListView.as_view(), name="list"),
    path(_("partnerstwa/<slug:slug>/"), views.partnership_detail, name="detail"),
    path(_("partnerstwa/<slug:slug>/napisz/"), contact.contact, name="contact"),
    path(_("partnerstwa/<slug:slug>/napisz/wyslano/"), contact.contact_sent, name="contact_sent"),
    path(_("dzielnice/"), views.DistrictListView.as_view(), name="district_list"),
    path(_("dzielnice/<slug:slug>/"), views.DistrictDetailView.as_view(), name="district_detail"),
    path(_("miejsca/"), views.PlaceListView.as_view(), name="place_list"),
    path(_("miejsca/<slug:slug>/"), views.PlaceDetailView.as_view(), name="place_detail"),
    path(_("siec/zespoly-robocze/"), views.WorkingGroupListView.as_view(), name="working_group_list"),
    path(
        _("siec/zespoly-robocze/<slug:slug>/"),
        views.WorkingGroupDetailView.as_view(),
        name="working_group_detail",
    ),
    path(_("siec/stanowiska/"), views.PositionListView.as_view(), name="position_list"),
    path(_("siec/spotkania-ogolne/"), meetings.GeneralMeetingListView.as_view(), name="general_meeting_list"),
    path(_("siec/stanowiska/<slug:slug>/"), views.PositionDetailView.as_view(), name="position_detail"),
]
