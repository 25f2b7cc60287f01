"""The partnership app: the base of the domain, one package per topic (README, Architecture)."""

from importlib import import_module

from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import module_has_submodule


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Parties and partnerships"

    #: One package per topic, each with the modules it needs (README, Architecture).
    topics = ("parties", "contracts", "deliverables", "communication", "objectives",
              "techtransfer")

    def ready(self) -> None:
        """The admin and Celery look for `admin` and `tasks` at an app's top only: each
        topic's are loaded here. The scoping declarations of every app's models are checked
        (partnership.checks)."""
        from partnership.checks import check_scoped_models

        for topic in self.topics:
            package = import_module(f"{self.name}.{topic}")
            for module in ("admin", "tasks"):
                if module_has_submodule(package, module):
                    import_module(f"{package.__name__}.{module}")
        checks.register(check_scoped_models, checks.Tags.models)
