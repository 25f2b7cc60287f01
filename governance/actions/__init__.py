"""Action items: who owes what by when (from a meeting, a request or a decision), My work's
rows, and the reminder that one is overdue."""


def register() -> None:
    """Action items in global search, recent activity and "Coming up" (portal.registries)."""
    from django.urls import reverse

    from governance.actions.models import ActionItem
    from governance.actions.selectors import actions_coming_up
    from portal.registries import activity, coming_up, search

    search.register("Action items", noun="actions", model=ActionItem,
                    records=ActionItem.objects.visible_to, snippet_fields=("description",),
                    names=("title",))
    activity.register("Action", records=ActionItem.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:actionitem_detail", args=[partnership_id, pk]))
    coming_up.register("action", provider=actions_coming_up,
                       template="governance/actionitem_coming_up.html")
