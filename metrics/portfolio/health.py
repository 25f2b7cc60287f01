"""Reads of a partnership's relationship health: the feedback survey's published scores and
how fast each party answers the other's formal requests, quarter by quarter, beside the
agreed KPIs — so that a relationship slipping shows before a failed batch does. Each read
starts from the scoped queryset (DESIGN §2); the survey's figures are those
governance.relationship.selectors.survey_results publishes (closed quarters, enough
respondents), never one person's answer."""

import datetime
from dataclasses import dataclass

from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from governance.relationship.models import SurveyResponse
from governance.relationship.selectors import survey_results
from governance.requests.models import Request
from metrics.portfolio.selectors import kpis_with_history
from partnership.models import Partnership, User

#: Quarters shown, the current one included.
QUARTERS = 8
#: A fall of the survey's overall score by this much from one quarter to the next, or of
#: the share of requests acknowledged in time by this many points, is a warning sign.
SURVEY_FALL = 0.5
IN_TIME_FALL = 15


class Median(Aggregate):
    """PostgreSQL's continuous median of the rows' values (NULLs left out)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _seconds(later: str, earlier: str) -> Func:
    return Func(F(later) - F(earlier), template="EXTRACT(EPOCH FROM %(expressions)s)",
                output_field=FloatField())


@dataclass
class Responsiveness:
    """How one party answered the other's requests sent in one quarter."""

    quarter: datetime.date
    received: int
    #: Those whose acknowledgement is settled: acknowledged, or past the agreed time.
    due: int
    acknowledged: int
    in_time: int
    ack_median_hours: float | None
    fulfilled: int
    fulfil_median_days: float | None

    @property
    def label(self) -> str:
        return SurveyResponse.quarter_label(self.quarter)

    @property
    def in_time_percent(self) -> int | None:
        """Acknowledged in time, of those whose acknowledgement is settled (a request still
        inside its agreed time is neither late nor in time yet)."""
        return round(100 * self.in_time / self.due) if self.due else None


def quarters_back(count: int = QUARTERS) -> list[datetime.date]:
    """The first days of the last `count` calendar quarters (UTC), the current one first."""
    quarters = [SurveyResponse.current_quarter()]
    while len(quarters) < count:
        quarters.append(SurveyResponse.previous_quarter(quarters[-1]))
    return quarters


def responsiveness(*, user: User, partnership: Partnership,
                   quarters: list[datetime.date]) -> dict[str, list[Responsiveness]]:
    """{receiving party: its Responsiveness per quarter, newest first} for requests sent in
    `quarters` (one query): how many it received, acknowledged, acknowledged within the
    agreed time (of those settled), the median hours to acknowledge, how many it fulfilled
    and the median days from sending to fulfilment. A change the CDMO asked for is carried
    out by the CDMO itself (Request.sender_carries_out): the sponsor that received it
    decides, so its acknowledgement counts, its fulfilment is not the sponsor's."""
    oldest = datetime.datetime.combine(quarters[-1], datetime.time(), datetime.UTC)
    now = timezone.now()
    sender_works = Request.sender_carries_out_q()
    rows = Request.objects.visible_to(user).filter(
        partnership=partnership, sent_at__gte=oldest).annotate(
        quarter=TruncQuarter("sent_at", tzinfo=datetime.UTC)).values(
        "requested_by_party", "quarter").annotate(
        received=Count("pk"), acknowledged=Count("acknowledged_at"),
        due=Count("pk", filter=Q(acknowledged_at__isnull=False) | Q(acknowledge_by__lt=now)),
        in_time=Count("pk", filter=Q(acknowledged_at__lte=F("acknowledge_by"))),
        ack_seconds=Median(_seconds("acknowledged_at", "sent_at")),
        fulfilled=Count("fulfilled_at", filter=~sender_works),
        fulfil_seconds=Median(_seconds("fulfilled_at", "sent_at"),
                              filter=~sender_works)).order_by()
    found = {(row["requested_by_party"], row["quarter"].date()): row for row in rows}
    result = {}
    for receiver in ("cdmo", "sponsor"):
        requester = Partnership.other_party(receiver)
        figures = []
        for quarter in quarters:
            row = found.get((requester, quarter))
            figures.append(Responsiveness(
                quarter=quarter, received=row["received"] if row else 0,
                due=row["due"] if row else 0,
                acknowledged=row["acknowledged"] if row else 0,
                in_time=row["in_time"] if row else 0,
                ack_median_hours=round(row["ack_seconds"] / 3600, 1)
                if row and row["ack_seconds"] is not None else None,
                fulfilled=row["fulfilled"] if row else 0,
                fulfil_median_days=round(row["fulfil_seconds"] / 86400, 1)
                if row and row["fulfil_seconds"] is not None else None))
        result[receiver] = figures
    return result


def warning_signs(*, partnership: Partnership, survey: dict, answers: dict,
                  kpis: list) -> list[str]:
    """Plain sentences for what slips: a party's survey score falling, a party
    acknowledging fewer requests in time than the quarter before (closed quarters only),
    KPIs whose latest published value is red or worse than the one before."""
    signs = []
    for party in survey["parties"]:
        published = [q for q in party["quarters"] if q["published"]]
        if published and published[0]["change"] is not None and \
                published[0]["change"] <= -SURVEY_FALL:
            signs.append(f"{party['rated']}'s survey score fell by "
                         f"{-published[0]['change']} in {published[0]['label']}.")
    names = {"sponsor": partnership.sponsor, "cdmo": partnership.cdmo}
    for party, figures in answers.items():
        closed = [f for f in figures[1:] if f.due]
        if len(closed) >= 2 and closed[0].in_time_percent is not None and \
                closed[1].in_time_percent - closed[0].in_time_percent >= IN_TIME_FALL:
            signs.append(f"{names[party]} acknowledged {closed[0].in_time_percent} % of "
                         f"requests in time in {closed[0].label}, down from "
                         f"{closed[1].in_time_percent} %.")
    red = [kpi.name for kpi in kpis if kpi.latest_rag == "red"]
    if red:
        signs.append(f"Red KPI{'s' if len(red) > 1 else ''}: {', '.join(red)}.")
    return signs


def relationship_health(*, user: User, partnership: Partnership) -> dict:
    """Everything the health page shows (five queries, whatever the number of answers,
    requests and values)."""
    quarters = quarters_back()
    survey = survey_results(user=user, partnership=partnership, quarters=QUARTERS)
    answers = responsiveness(user=user, partnership=partnership, quarters=quarters)
    kpis = sorted(kpis_with_history(user=user, partnerships=[partnership]),
                  key=lambda kpi: kpi.name.lower())
    return {"survey": survey, "responsiveness": answers, "kpis": kpis,
            "signs": warning_signs(partnership=partnership, survey=survey, answers=answers,
                                   kpis=kpis)}
