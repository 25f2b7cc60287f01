from importlib import import_module

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        """Importing metrics.permissions declares who may do what; the KPI topics add their
        records to search and recent activity, and their notification kinds; the portfolio
        its links in the top bar; the scorecard its KPI tiles to the partnership home."""
        from metrics import kpis, measurements, portfolio, scorecard, steering
        from metrics.notices import NOTIFICATION_KINDS, REMINDERS
        from portal.registries import notification_kinds, reminders

        import_module("metrics.permissions")
        kpis.register()
        measurements.register()
        portfolio.register()
        scorecard.register()
        steering.register()
        for code, label, position in NOTIFICATION_KINDS:
            notification_kinds.register(code, label, position=position)
        for code, label, position, task, dues in REMINDERS:
            reminders.register(code, label, position=position, task=task, dues=dues)
