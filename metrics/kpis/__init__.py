"""KPI definitions: what both parties agree to measure, versioned and signed off by the
leads of both parties; the standard library a partnership adopts its drafts from."""


def register() -> None:
    """KPI definitions in global search and recent activity."""
    from django.urls import reverse

    from metrics.kpis.models import KPIDefinition
    from portal.registries import activity, search

    search.register("KPI definitions", noun="KPIs", model=KPIDefinition,
                    records=KPIDefinition.objects.visible_to,
                    snippet_fields=("formula",), names=("name",))
    activity.register("KPI definition", records=KPIDefinition.objects.visible_to,
                      label="name", url=lambda partnership_id, pk: reverse(
                          "metrics:kpidefinition_detail", args=[partnership_id, pk]))
