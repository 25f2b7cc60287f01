"""KPI measurements: a value per period, entered by the reporting party, shared with the
other party for review (comment, dispute) and published under a lead's e-signature."""


def register() -> None:
    """KPI values in recent activity, the end of their review windows in "Coming up", and
    those to review or answer in My work."""
    from django.urls import reverse

    from metrics.measurements.models import KPIMeasurement
    from metrics.measurements.selectors import kpi_my_work, measurements_coming_up
    from portal.registries import activity, coming_up, my_work

    activity.register("KPI value", records=lambda user: KPIMeasurement.objects.visible_to(
        user).select_related("definition"), label=activity_label(),
        url=lambda partnership_id, pk: reverse("metrics:kpimeasurement_detail",
                                                args=[partnership_id, pk]))
    coming_up.register("kpimeasurement", provider=measurements_coming_up,
                       template="metrics/kpimeasurement_coming_up.html")
    my_work.register(kpi_my_work)


def activity_label():
    """A value named in recent activity as people say it, in SQL (the card is one UNION
    query): "On-time delivery, Mar 2026", a quarterly KPI's "…, Q1 2026" (the words of
    metrics.periods.label)."""
    from django.db.models import Case, CharField, F, Func, Value, When
    from django.db.models.functions import Concat

    def period_as(pattern: str) -> Func:
        return Func(F("period"), Value(pattern), function="to_char", output_field=CharField())

    return Concat("definition__name", Value(", "), Case(
        When(definition__frequency="quarterly", then=period_as('"Q"Q YYYY')),
        default=period_as("Mon YYYY"), output_field=CharField()), output_field=CharField())
