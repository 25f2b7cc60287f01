from django.apps import AppConfig
from django.core import checks


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal.validation import check_date_fields

        checks.register(check_date_fields, checks.Tags.models)
