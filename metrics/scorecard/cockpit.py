"""The KPI tiles of the partnership home (DESIGN §8, the cockpit): the scorecard's tiles of
the last twelve ended months, compact, each linking to the scorecard."""

from metrics.scorecard import charts, selectors
from partnership.models import Partnership, User


def scorecard_cockpit(*, user: User, partnership: Partnership) -> dict:
    """The card's context: the tiles (two queries, whatever the number of KPIs and values)."""
    tiles = selectors.scorecard(user=user, partnership=partnership)
    for tile in tiles:
        tile.sparkline = charts.sparkline(tile.points, tile.definition.target)
    return {"template": "metrics/scorecard_cockpit.html", "tiles": tiles}
