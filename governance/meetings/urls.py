"""URLs of meetings, calendar feeds and decisions (named governance:meeting_…, …)."""

from django.urls import path

from governance.meetings import views

urlpatterns = [
    path("p/<int:partnership_pk>/meetings/", views.MeetingListView.as_view(),
         name="meeting_list"),
    path("p/<int:partnership_pk>/meetings/new/", views.MeetingCreateView.as_view(),
         name="meeting_create"),
    path("p/<int:partnership_pk>/meetings/calendar.ics",
         views.PartnershipCalendarView.as_view(), name="meeting_calendar"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/", views.MeetingDetailView.as_view(),
         name="meeting_detail"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/edit/",
         views.MeetingEditView.as_view(), name="meeting_edit"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/transition/",
         views.MeetingTransitionView.as_view(), name="meeting_transition"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/minutes/",
         views.MeetingMinutesView.as_view(), name="meeting_minutes"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/sign/",
         views.MeetingSignView.as_view(), name="meeting_sign"),
    path("p/<int:partnership_pk>/meetings/<int:pk>/meeting.ics",
         views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("calendar/<slug:secret>.ics", views.CalendarFeedView.as_view(),
         name="calendar_feed"),
    path("account/calendar-feed/", views.CalendarFeedCreateView.as_view(),
         name="calendarfeed_create"),
    path("account/calendar-feed/revoke/", views.CalendarFeedRevokeView.as_view(),
         name="calendarfeed_delete"),
    path("p/<int:partnership_pk>/decisions/", views.DecisionListView.as_view(),
         name="decision_list"),
    path("p/<int:partnership_pk>/decisions/new/", views.DecisionCreateView.as_view(),
         name="decision_create"),
    path("p/<int:partnership_pk>/decisions/<int:pk>/",
         views.DecisionDetailView.as_view(), name="decision_detail"),
    path("p/<int:partnership_pk>/decisions/<int:pk>/edit/",
         views.DecisionEditView.as_view(), name="decision_edit"),
]
