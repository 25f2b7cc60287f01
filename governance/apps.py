from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """Each topic adds its records to the registries of portal.registries (search,
        recent activity, "Coming up"), and the overview its cockpit cards: the partnership
        home and the search page list none of them by hand. Search groups its results in
        this order."""
        from governance import actions, meetings, overview, relationship, requests, risks

        overview.register()
        for topic in (actions, meetings, requests, risks, relationship):
            topic.register()
