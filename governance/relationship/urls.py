"""URLs of notices, recognition and the feedback survey (named governance:notice_…, …)."""

from django.urls import path

from governance.relationship import views

urlpatterns = [
    path("p/<int:partnership_pk>/notices/", views.NoticeListView.as_view(),
         name="notice_list"),
    path("p/<int:partnership_pk>/notices/new/", views.NoticeCreateView.as_view(),
         name="notice_create"),
    path("p/<int:partnership_pk>/notices/<int:pk>/", views.NoticeDetailView.as_view(),
         name="notice_detail"),
    path("p/<int:partnership_pk>/notices/<int:pk>/live/", views.NoticeLiveView.as_view(),
         name="notice_live"),
    path("p/<int:partnership_pk>/notices/<int:pk>/edit/", views.NoticeEditView.as_view(),
         name="notice_edit"),
    path("p/<int:partnership_pk>/notices/<int:pk>/acknowledge/",
         views.NoticeAcknowledgeView.as_view(), name="notice_acknowledge"),
    path("p/<int:partnership_pk>/recognition/", views.RecognitionListView.as_view(),
         name="recognition_list"),
    path("p/<int:partnership_pk>/recognition/new/",
         views.RecognitionCreateView.as_view(), name="recognition_create"),
    path("p/<int:partnership_pk>/feedback/", views.SurveyView.as_view(),
         name="survey"),
    path("p/<int:partnership_pk>/feedback/answer/", views.SurveyAnswerView.as_view(),
         name="survey_answer"),
]
