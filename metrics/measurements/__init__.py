"""KPI measurements: a value per period, entered by the reporting party, shared with the
other party for review (comment, dispute) and published under a lead's e-signature."""


def register() -> None:
    """KPI values in recent activity, and the end of their review windows in "Coming up"."""
    from django.urls import reverse

    from metrics.measurements.models import KPIMeasurement
    from metrics.measurements.selectors import measurements_coming_up
    from portal.registries import activity, coming_up

    activity.register("KPI value", records=lambda user: KPIMeasurement.objects.visible_to(
        user).select_related("definition"), label="key",
        url=lambda partnership_id, pk: reverse("metrics:kpimeasurement_detail",
                                                args=[partnership_id, pk]))
    coming_up.register("kpimeasurement", provider=measurements_coming_up,
                       template="metrics/kpimeasurement_coming_up.html")
