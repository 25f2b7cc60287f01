"""Top-level URLs: the apps' pages, accounts, the API under /api/v1/ and the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal import notification_views as notifications
from portal.api import router
from portal.views import health

# The bell and its pages: portal's own, since every app sends notifications.
notification_urls = [
    path("notifications/", notifications.NotificationListView.as_view(),
         name="notification_list"),
    path("notifications/bell/", notifications.NotificationBellView.as_view(),
         name="notification_bell"),
    path("notifications/read-all/", notifications.NotificationReadAllView.as_view(),
         name="notification_read_all"),
    path("notifications/settings/", notifications.NotificationPreferencesView.as_view(),
         name="notification_preferences"),
    path("notifications/<int:pk>/", notifications.NotificationOpenView.as_view(),
         name="notification_open"),
    path("notifications/<int:pk>/read/", notifications.NotificationReadView.as_view(),
         name="notification_read"),
]

urlpatterns = [
    path("", include("partnership.urls")),
    path("", include("governance.urls")),
    path("", include((notification_urls, "portal"))),
    path("account/", include("partnership.parties.account_urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
