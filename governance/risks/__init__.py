"""The risk register: likelihood × impact, the heat map, milestones a risk threatens, and
the reminder of a review date."""


def register() -> None:
    """Risks in global search and recent activity (portal.registries)."""
    from django.urls import reverse

    from governance.risks.models import Risk
    from portal.registries import activity, search

    search.register("Risks", noun="risks", model=Risk, records=Risk.objects.visible_to,
                    snippet_fields=("description", "mitigation"), names=("title",))
    activity.register("Risk", records=Risk.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:risk_detail", args=[partnership_id, pk]))
