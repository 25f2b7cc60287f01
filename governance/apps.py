from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """The partnership home shows governance's cockpit cards without importing
        governance (portal.registries.cockpit explains why)."""
        from governance.selectors import cockpit
        from portal.registries import cockpit as cockpit_registry

        cockpit_registry.register(cockpit)
