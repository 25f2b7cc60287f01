"""Pages of a record's discussion."""

from django.urls import path

from partnership.discussion import views

urlpatterns = [
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/",
         views.DiscussionView.as_view(), name="record_discussion"),
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/live/",
         views.DiscussionLiveView.as_view(), name="record_discussion_live"),
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/files/",
         views.DiscussionFilesView.as_view(), name="record_discussion_files"),
    path("p/<int:partnership_pk>/discussion/<slug:record_type>/<int:pk>/comments/"
         "<int:comment_pk>/withdraw/",
         views.CommentWithdrawView.as_view(), name="comment_withdraw"),
    path("p/<int:partnership_pk>/files/<int:pk>/", views.AttachmentDownloadView.as_view(),
         name="attachment_download"),
]
