"""Top-level URLs: the apps' pages, accounts, the API under /api/v1/ and the admin."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.api import router
from portal.validation import bound_form_and_api_texts
from portal.views import floor, health, landing

urlpatterns = [
    path("", include("partnership.urls")),
    path("", include("governance.urls")),
    path("", include("metrics.urls")),
    # The bell keeps the namespace its templates and links have always used.
    path("", include(("partnership.notifications.urls", "portal"))),
    path("account/", include("partnership.parties.account_urls")),
    path("api/v1/", include(router.urls)),
    # Both for signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the docs send
    # a browser to log in, and load their start-up script as a file (the CSP allows no other).
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(
        url_name="api_schema", template_name="portal/swagger_ui.html")), name="api_docs"),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    # The floor of `make bench`: a trivial page every timed page is compared with.
    path("bench/floor/", floor, name="floor"),
    path("start/", landing, name="landing"),
]

handler400 = "portal.errors.bad_request"

# Every form and serializer the pages and the API use is imported by now: bound their free
# text (portal.validation.TEXT_MAX_LENGTH) where a field declares no length of its own.
bound_form_and_api_texts()
