from django.urls import path

from governance import (
    decision_views,
    feedback_views,
    meeting_views,
    request_views,
    risk_views,
    search_views,
    views,
)

app_name = "governance"

urlpatterns = [
    path("my-work/", views.MyWorkView.as_view(), name="my_work"),
    path("p/<int:partnership_pk>/actions/", views.ActionItemListView.as_view(),
         name="actionitem_list"),
    path("p/<int:partnership_pk>/actions/new/", views.ActionItemCreateView.as_view(),
         name="actionitem_create"),
    path("p/<int:partnership_pk>/actions/<int:pk>/", views.ActionItemDetailView.as_view(),
         name="actionitem_detail"),
    path("p/<int:partnership_pk>/actions/<int:pk>/edit/", views.ActionItemEditView.as_view(),
         name="actionitem_edit"),
    path("p/<int:partnership_pk>/actions/<int:pk>/transition/",
         views.ActionItemTransitionView.as_view(), name="actionitem_transition"),
]

# Meetings, iCalendar and decisions.
urlpatterns += [
    path("p/<int:partnership_pk>/meetings/", meeting_views.MeetingListView.as_view(),
         name="meeting_list"),
    path("p/<int:partnership_pk>/meetings/new/", meeting_views.MeetingCreateView.as_view(),
         name="meeting_create"),
    path("p/<int:partnership_pk>/meetings/calendar.ics",
         meeting_views.PartnershipCalendarView.as_view(), name="meeting_calendar"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/", meeting_views.MeetingDetailView.as_view(),
         name="meeting_detail"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/edit/",
         meeting_views.MeetingEditView.as_view(), name="meeting_edit"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/transition/",
         meeting_views.MeetingTransitionView.as_view(), name="meeting_transition"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/minutes/",
         meeting_views.MeetingMinutesView.as_view(), name="meeting_minutes"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/meeting.ics",
         meeting_views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("calendar/<str:secret>.ics", meeting_views.CalendarFeedView.as_view(),
         name="calendar_feed"),
    path("account/calendar-feed/", meeting_views.CalendarFeedCreateView.as_view(),
         name="calendarfeed_create"),
    path("account/calendar-feed/revoke/", meeting_views.CalendarFeedRevokeView.as_view(),
         name="calendarfeed_delete"),
    path("p/<int:partnership_pk>/decisions/", decision_views.DecisionListView.as_view(),
         name="decision_list"),
    path("p/<int:partnership_pk>/decisions/new/", decision_views.DecisionCreateView.as_view(),
         name="decision_create"),
    path("p/<int:partnership_pk>/decisions/<int:pk>/",
         decision_views.DecisionDetailView.as_view(), name="decision_detail"),
    path("p/<int:partnership_pk>/decisions/<int:pk>/edit/",
         decision_views.DecisionEditView.as_view(), name="decision_edit"),
]

# Risks, notices, recognition and the feedback survey.
urlpatterns += [
    path("p/<int:partnership_pk>/risks/", risk_views.RiskListView.as_view(), name="risk_list"),
    path("p/<int:partnership_pk>/risks/new/", risk_views.RiskCreateView.as_view(),
         name="risk_create"),
    path("p/<int:partnership_pk>/risks/<int:pk>/", risk_views.RiskDetailView.as_view(),
         name="risk_detail"),
    path("p/<int:partnership_pk>/risks/<int:pk>/edit/", risk_views.RiskEditView.as_view(),
         name="risk_edit"),
    path("p/<int:partnership_pk>/risks/<int:pk>/transition/",
         risk_views.RiskTransitionView.as_view(), name="risk_transition"),
    path("p/<int:partnership_pk>/notices/", risk_views.NoticeListView.as_view(),
         name="notice_list"),
    path("p/<int:partnership_pk>/notices/new/", risk_views.NoticeCreateView.as_view(),
         name="notice_create"),
    path("p/<int:partnership_pk>/notices/<int:pk>/", risk_views.NoticeDetailView.as_view(),
         name="notice_detail"),
    path("p/<int:partnership_pk>/notices/<int:pk>/edit/", risk_views.NoticeEditView.as_view(),
         name="notice_edit"),
    path("p/<int:partnership_pk>/notices/<int:pk>/acknowledge/",
         risk_views.NoticeAcknowledgeView.as_view(), name="notice_acknowledge"),
    path("p/<int:partnership_pk>/recognition/", feedback_views.RecognitionListView.as_view(),
         name="recognition_list"),
    path("p/<int:partnership_pk>/recognition/new/",
         feedback_views.RecognitionCreateView.as_view(), name="recognition_create"),
    path("p/<int:partnership_pk>/feedback/", feedback_views.SurveyView.as_view(),
         name="survey"),
    path("p/<int:partnership_pk>/feedback/answer/", feedback_views.SurveyAnswerView.as_view(),
         name="survey_answer"),
]

# Formal requests.
urlpatterns += [
    path("p/<int:partnership_pk>/requests/", request_views.RequestListView.as_view(),
         name="request_list"),
    path("p/<int:partnership_pk>/requests/new/", request_views.RequestCreateView.as_view(),
         name="request_create"),
    path("p/<int:partnership_pk>/requests/<int:pk>/", request_views.RequestDetailView.as_view(),
         name="request_detail"),
    path("p/<int:partnership_pk>/requests/<int:pk>/edit/",
         request_views.RequestEditView.as_view(), name="request_edit"),
    path("p/<int:partnership_pk>/requests/<int:pk>/relay/",
         request_views.RequestRelayView.as_view(), name="request_relay"),
    path("p/<int:partnership_pk>/requests/<int:pk>/<slug:step>/",
         request_views.RequestStepView.as_view(), name="request_step"),
]

# Global search of the top bar.
urlpatterns += [
    path("search/", search_views.SearchView.as_view(), name="search"),
]
