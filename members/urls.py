from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "members"

urlpatterns = [
    path(_("organizacje/"), views.OrganisationListView.as_view(), name="organisation_list"),
    path(_("organizacje/<slug:slug>/"), views.OrganisationDetailView.as_view(), name="organisation_detail"),
]
