"""The partnership app's pages, each topic's listed in its own urls module."""

from django.urls import include, path

app_name = "partnership"

urlpatterns = [
    path("", include("partnership.parties.urls")),
    path("", include("partnership.accounts.urls")),
    path("", include("partnership.contracts.urls")),
    path("", include("partnership.deliverables.urls")),
    path("", include("partnership.communication.urls")),
    path("", include("partnership.objectives.urls")),
    path("", include("partnership.techtransfer.urls")),
    path("", include("partnership.history.urls")),
    path("", include("partnership.discussion.urls")),
]
