"""The coordinator area under /moje/ (namespace "coordinator").

Every pattern here is checked by tests/coordinator/test_permissions.py for anonymous visitors,
plain users, coordinators of this and of another partnership, and staff: a new pattern
must be classified there, or that test fails.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from events import edit_views as events

from . import exchange, practices, views

app_name = "coordinator"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    # Staff only: invitations and rights (two segments, so no partnership slug can shadow them).
    path(_("obsluga/koordynatorzy/"), views.AccessListView.as_view(), name="access_list"),
    path(_("obsluga/koordynatorzy/<int:pk>/odbierz/"), views.AccessRevokeView.as_view(), name="access_revoke"),
    path(_("obsluga/zaproszenia/<int:pk>/wycofaj/"), views.InvitationRevokeView.as_view(), name="invitation_revoke"),
    # One partnership.
    path("<slug:slug>/", views.PartnershipHomeView.as_view(), name="partnership"),
    path(_("<slug:slug>/profil/"), views.PartnershipEditView.as_view(), name="partnership_edit"),
    path(_("<slug:slug>/logo-i-zdjecie/"), views.PartnershipImagesView.as_view(), name="partnership_images"),
    path(_("<slug:slug>/potwierdz/"), views.PartnershipVerifyView.as_view(), name="partnership_verify"),
    path(_("<slug:slug>/historia/"), views.PartnershipHistoryView.as_view(), name="partnership_history"),
    path(_("<slug:slug>/historia/<slug:kind>/<int:pk>/cofnij/"), views.ChangeUndoView.as_view(), name="change_undo"),
    path(_("<slug:slug>/czlonkowie/dodaj/"), views.MembershipAddView.as_view(), name="membership_add"),
    path(
        _("<slug:slug>/czlonkowie/nowa-organizacja/"),
        views.MembershipNewOrganisationView.as_view(),
        name="membership_add_new",
    ),
    path(_("<slug:slug>/czlonkowie/<int:pk>/"), views.MembershipEditView.as_view(), name="membership_edit"),
    path(_("<slug:slug>/czlonkowie/<int:pk>/zakoncz/"), views.MembershipEndView.as_view(), name="membership_end"),
    path(_("<slug:slug>/organizacje/<int:pk>/"), views.OrganisationEditView.as_view(), name="organisation_edit"),
    path(_("<slug:slug>/wiadomosci/"), views.ContactMessageListView.as_view(), name="contact_messages"),
    path(
        _("<slug:slug>/wiadomosci/<int:pk>/zalatwione/"),
        views.ContactMessageHandleView.as_view(),
        name="contact_message_handle",
    ),
    path(_("<slug:slug>/propozycje/"), views.ProposalListView.as_view(), name="proposal_list"),
    path(_("<slug:slug>/propozycje/<int:pk>/"), views.ProposalDecideView.as_view(), name="proposal_decide"),
    path(
        _("<slug:slug>/propozycje/organizacja/<int:pk>/"),
        views.OrganisationProposeView.as_view(),
        name="organisation_propose",
    ),
    path(_("<slug:slug>/dobre-praktyki/"), practices.PracticeListView.as_view(), name="practice_list"),
    path(_("<slug:slug>/dobre-praktyki/dodaj/"), practices.PracticeCreateView.as_view(), name="practice_add"),
    path(_("<slug:slug>/dobre-praktyki/<int:pk>/"), practices.PracticeEditView.as_view(), name="practice_edit"),
    path(
        _("<slug:slug>/dobre-praktyki/<int:pk>/wyslij/"), practices.PracticeSubmitView.as_view(), name="practice_submit"
    ),
    path(
        _("<slug:slug>/dobre-praktyki/<int:pk>/opublikuj/"),
        practices.PracticePublishView.as_view(),
        name="practice_publish",
    ),
    path(_("<slug:slug>/dobre-praktyki/<int:pk>/ukryj/"), practices.PracticeHideView.as_view(), name="practice_hide"),
    path(
        _("<slug:slug>/dobre-praktyki/<int:pk>/usun/"), practices.PracticeDeleteView.as_view(), name="practice_delete"
    ),
    path(
        _("<slug:slug>/dobre-praktyki/<int:pk>/zdjecia/"),
        practices.PracticePhotosView.as_view(),
        name="practice_photos",
    ),
    path(
        _("<slug:slug>/dobre-praktyki/<int:pk>/zdjecia/<int:photo>/usun/"),
        practices.PracticePhotoRemoveView.as_view(),
        name="practice_photo_remove",
    ),
    path(_("<slug:slug>/zespol/dodaj/"), views.TeamAddView.as_view(), name="team_add"),
    path(_("<slug:slug>/zespol/<int:pk>/"), views.RoleEditView.as_view(), name="role_edit"),
    path(_("<slug:slug>/zespol/<int:pk>/zakoncz/"), views.RoleEndView.as_view(), name="role_end"),
    path(_("<slug:slug>/osoby/<int:pk>/"), views.PersonEditView.as_view(), name="person_edit"),
    path(_("<slug:slug>/osoby/<int:pk>/zgoda/"), views.ConsentRecordView.as_view(), name="consent_record"),
    path(_("<slug:slug>/osoby/<int:pk>/zgoda/wycofaj/"), views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path(_("<slug:slug>/miejsca/dodaj/"), views.PlaceCreateView.as_view(), name="place_add"),
    path(_("<slug:slug>/miejsca/<int:pk>/"), views.PlaceEditView.as_view(), name="place_edit"),
    path(_("<slug:slug>/miejsca/<int:pk>/usun-z-listy/"), views.PlaceUnlinkView.as_view(), name="place_unlink"),
    path(_("<slug:slug>/gielda/"), exchange.ExchangeEntryListView.as_view(), name="exchange_list"),
    path(_("<slug:slug>/gielda/dodaj/"), exchange.ExchangeEntryCreateView.as_view(), name="exchange_add"),
    path(_("<slug:slug>/gielda/<int:pk>/"), exchange.ExchangeEntryEditView.as_view(), name="exchange_edit"),
    path(_("<slug:slug>/gielda/<int:pk>/odnow/"), exchange.ExchangeEntryRenewView.as_view(), name="exchange_renew"),
    path(
        _("<slug:slug>/gielda/<int:pk>/wycofaj/"),
        exchange.ExchangeEntryWithdrawView.as_view(),
        name="exchange_withdraw",
    ),
    path(_("<slug:slug>/wydarzenia/dodaj/"), events.EventCreateView.as_view(), name="event_add"),
    path(_("<slug:slug>/wydarzenia/<int:pk>/"), events.EventEditView.as_view(), name="event_edit"),
    path(_("<slug:slug>/wydarzenia/<int:pk>/odwolaj/"), events.EventCancelView.as_view(), name="event_cancel"),
    path(_("<slug:slug>/wydarzenia/<int:pk>/powiel/"), events.EventDuplicateView.as_view(), name="event_duplicate"),
    path(
        _("<slug:slug>/wspolorganizacja/<int:pk>/akceptuj/"),
        events.CoOrganiserAcceptView.as_view(),
        name="co_organiser_accept",
    ),
    path(
        _("<slug:slug>/wspolorganizacja/<int:pk>/odrzuc/"),
        events.CoOrganiserDeclineView.as_view(),
        name="co_organiser_decline",
    ),
    path(_("<slug:slug>/wydarzenia/<int:pk>/terminy/"), events.EventDatesView.as_view(), name="event_dates"),
    path(
        _("<slug:slug>/wydarzenia/<int:pk>/terminy/<int:date>/odwolaj/"),
        events.OccurrenceCancelView.as_view(),
        name="occurrence_cancel",
    ),
    path(
        _("<slug:slug>/wydarzenia/<int:pk>/terminy/<int:date>/pomin/"),
        events.OccurrenceSkipView.as_view(),
        name="occurrence_skip",
    ),
    path(
        _("<slug:slug>/wydarzenia/<int:pk>/terminy/<int:date>/przenies/"),
        events.OccurrenceMoveView.as_view(),
        name="occurrence_move",
    ),
    path(
        _("<slug:slug>/wydarzenia/<int:pk>/terminy/<int:date>/przywroc/"),
        events.OccurrenceRestoreView.as_view(),
        name="occurrence_restore",
    ),
]
