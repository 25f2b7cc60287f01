"""Pages of a record's discussion."""

from django.urls import path

from partnership.discussion import views

urlpatterns = [
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/",
         views.DiscussionView.as_view(), name="record_discussion"),
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/live/",
         views.DiscussionLiveView.as_view(), name="record_discussion_live"),
    path("p/<int:partnership_pk>/files/<int:pk>/", views.AttachmentDownloadView.as_view(),
         name="attachment_download"),
]
