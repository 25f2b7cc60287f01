"""The bell and its pages. Included by the project's URLs under the namespace `portal`, the
one the templates have always used for them."""

from django.urls import path

from partnership.notifications import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path("notifications/bell/", views.NotificationBellView.as_view(),
         name="notification_bell"),
    path("notifications/preview/", views.NotificationPreviewView.as_view(),
         name="notification_preview"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(),
         name="notification_read_all"),
    path("notifications/settings/", views.NotificationPreferencesView.as_view(),
         name="notification_preferences"),
    path("notifications/reminders/", views.ReminderListView.as_view(), name="reminder_list"),
    path("notifications/<int:pk>/", views.NotificationOpenView.as_view(),
         name="notification_open"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(),
         name="notification_read"),
]
