"""Change controls: models, services, selectors, forms, filters, views, urls, api and admin
of their own, in the quality topic (its urls, api routes and admin include them;
governance/models.py imports the models)."""


def register() -> None:
    """Change controls in global search, recent activity and "Coming up" (decision due
    dates), the partnership home's card of changes awaiting the sponsor's decision, and the
    news a party must act on."""
    from django.urls import reverse

    from governance.quality.changes.models import ChangeControl
    from governance.quality.changes.selectors import (
        change_control_cockpit,
        change_controls_coming_up,
    )
    from portal.registries import activity, cockpit, coming_up, search

    search.register("Change controls", noun="change controls", model=ChangeControl,
                    records=lambda user: ChangeControl.objects.visible_to(user).select_related(
                        "site"),
                    snippet_fields=("reference", "description", "rationale"),
                    names=("reference", "title"))
    activity.register("Change control", records=ChangeControl.objects.visible_to,
                      label="title", url=lambda partnership_id, pk: reverse(
                          "governance:changecontrol_detail", args=[partnership_id, pk]))
    coming_up.register("changecontrol", provider=change_controls_coming_up,
                       template="governance/changecontrol_coming_up.html")
    cockpit.register(change_control_cockpit, topic="quality")
