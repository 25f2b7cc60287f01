"""Django admin of sign-in, for operators: API tokens are read here (their keys are not
stored); authenticator devices are not listed, since their secrets would be, and they are
reset through a person's page (User admin, "Reset two-factor") so that the person's record
says whether they have one. Locks after failed log-ins are django-axes's own admin pages
(delete an access attempt to unlock); their logs of log-ins and failures are read only
there: a security log no operator may thin out."""

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts.models import ApiToken
from portal.admin import NoWrites

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(ApiToken)
class ApiTokenAdmin(NoWrites, admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__email"]
    list_filter = ["revoked_at"]


for model, model_admin in ((AccessLog, AccessLogAdmin),
                           (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (NoWrites, model_admin), {}))
