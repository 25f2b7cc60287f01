"""The partnership scorecard: red / amber / green tiles of the agreed KPIs against their
targets with a trend each, a chart per KPI over time, the KPI tiles of the partnership home,
and a KPI series' export as CSV and XLSX (page and API). Published values only."""


def register() -> None:
    """The KPI tiles on the partnership home."""
    from metrics.scorecard.cockpit import scorecard_cockpit
    from portal.registries import cockpit

    cockpit.register(scorecard_cockpit, topic="kpis")
