"""The reads across topics: My work, global search and the partnership home's cockpit
cards (what awaits me, overdue, coming up, top risks, recent activity, recognition).

Search, recent activity and "Coming up" list no topic by hand: they read
portal.registries, which each topic fills from GovernanceConfig.ready()."""


def register() -> None:
    """The cockpit cards on the partnership home, and the partnership app's records in
    global search (programs, contracts, deliverables, objectives, tech transfers).

    The partnership app's searchables are registered here, first so that they lead the
    results as before, until partnership's own AppConfig.ready() registers them: partnership
    may not import governance, and the search page is governance's."""
    from governance.overview.selectors import cockpit
    from partnership.models import Contract, Deliverable, Objective, Program, TechTransfer
    from portal.registries import cockpit as cockpit_registry
    from portal.registries import search

    for heading, noun, model, snippet_fields in (
        ("Programs", "programs", Program, ("code", "description")),
        ("Contracts", "contracts", Contract, ("reference",)),
        ("Deliverables", "deliverables", Deliverable, ("description",)),
        ("Objectives", "objectives", Objective, ("measure_of_success",)),
        ("Tech transfers", "tech transfers", TechTransfer, ()),
    ):
        search.register(heading, noun=noun, model=model, records=model.objects.visible_to,
                        snippet_fields=snippet_fields)
    cockpit_registry.register(cockpit)
