from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "events"

urlpatterns = [
    path("", views.UpcomingEventListView.as_view(), name="list"),
    path(_("archiwum/"), views.PastEventListView.as_view(), name="archive"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
