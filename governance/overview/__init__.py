"""The reads across topics: My work, global search and the partnership home's cockpit
cards (what awaits me, overdue, coming up, top risks, recent activity, recognition).

Search, recent activity and "Coming up" list no topic by hand: they read
portal.registries, which each topic fills from GovernanceConfig.ready()."""


def register() -> None:
    """The cockpit cards on the partnership home, My work's rows, and the partnership
    app's records in global search (programs, contracts, deliverables, objectives, tech
    transfers).

    The partnership app's searchables are registered here, first so that they lead the
    results as before, until partnership's own AppConfig.ready() registers them: partnership
    may not import governance, and the search page is governance's."""
    from governance.overview.my_work import KINDS as MY_WORK_KINDS
    from governance.overview.my_work import governance_my_work
    from governance.overview.selectors import cockpit
    from partnership.models import (
        Contract,
        Deliverable,
        Membership,
        Objective,
        Program,
        TechTransfer,
    )
    from partnership.search import full_name
    from portal.registries import cockpit as cockpit_registry
    from portal.registries import my_work as my_work_registry
    from portal.registries import search

    for heading, noun, model, snippet_fields, names in (
        ("Programs", "programs", Program, ("code", "description"), ("name", "code")),
        ("Contracts", "contracts", Contract, ("reference",), ("reference", "title")),
        ("Deliverables", "deliverables", Deliverable, ("description",), ("title",)),
        ("Objectives", "objectives", Objective, ("measure_of_success",), ("title",)),
        ("Tech transfers", "tech transfers", TechTransfer, (), ("title",)),
    ):
        search.register(heading, noun=noun, model=model, records=model.objects.visible_to,
                        snippet_fields=snippet_fields, names=names)
    # People by name: a seat in a partnership the user sees (the people rule of DESIGN §2),
    # linked to that partnership's people page.
    search.register("People", noun="people", model=Membership, full_text=False,
                    records=lambda user: Membership.objects.visible_to(user).select_related(
                        "user", "user__organization"),
                    names=(full_name("user__"),))
    cockpit_registry.register(cockpit)
    my_work_registry.register(governance_my_work)
    for kind in MY_WORK_KINDS:
        my_work_registry.register_kind(kind)
