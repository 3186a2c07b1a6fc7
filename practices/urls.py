from django.urls import path

from . import feeds, views

app_name = "practices"

urlpatterns = [
    path("", views.PracticeListView.as_view(), name="list"),
    path("rss/", feeds.NewPracticesFeed(), name="rss"),
    path("atom/", feeds.NewPracticesAtomFeed(), name="atom"),
    path("<slug:slug>/", views.PracticeDetailView.as_view(), name="detail"),
]
