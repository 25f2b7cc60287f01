"""Reads of the risk register; each starts from the scoped queryset (DESIGN §2)."""

from django.db.models import Count, F, QuerySet

from governance.risks.models import Risk
from partnership.models import Milestone, Partnership, User


def risk_list(*, user: User, partnership: Partnership | int | None = None
              ) -> QuerySet[Risk]:
    """Risks the user may see (of one partnership, given it or its id), with their score as
    a column (`risk_score`), so lists filter and sort on it: the register and the API."""
    risks = Risk.objects.visible_to(user).select_related("owner__organization").annotate(
        risk_score=F("likelihood") * F("impact")).order_by("-risk_score", "-impact", "pk")
    return risks.filter(partnership=partnership) if partnership else risks


def risk_heat_map(*, user: User, partnership: Partnership) -> list[dict]:
    """Open risks counted per cell of the 5 × 5 grid in one GROUP BY: rows are likelihood
    5 → 1 (most likely on top), columns impact 1 → 5, each cell with its band."""
    counts = {
        (row["likelihood"], row["impact"]): row["count"]
        for row in Risk.objects.visible_to(user).filter(
            partnership=partnership, status=Risk.Status.OPEN).values(
            "likelihood", "impact").annotate(count=Count("pk")).order_by()
    }
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            band, label = Risk.band_of(likelihood * impact)
            cells.append({"likelihood": likelihood, "impact": impact,
                          "score": likelihood * impact, "band": band, "band_label": label,
                          "count": counts.get((likelihood, impact), 0)})
        rows.append({"likelihood": likelihood, "cells": cells})
    return rows


def risk_milestones(*, user: User, risk: Risk | None = None) -> QuerySet[Milestone]:
    """The milestones `risk` threatens (any risk's, for a prefetch) that the user may see:
    whatever is linked, a milestone internal to the other party never shows."""
    milestones = Milestone.objects.visible_to(user).select_related("tech_transfer")
    return milestones.filter(risks=risk) if risk is not None else milestones


def risk_milestone_choices(*, user: User, partnership: Partnership) -> QuerySet[Milestone]:
    """The tech-transfer milestones of the partnership a risk may threaten (the risk
    service refuses an internal one for a shared risk)."""
    return Milestone.objects.visible_to(user).filter(partnership=partnership).select_related(
        "tech_transfer")
