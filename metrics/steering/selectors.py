"""Reads of the steering committee's page, per partnership or across the partnerships the
viewer sees. Every read starts from the scoped querysets (DESIGN §2) and is cut to a few
rows, so the page costs a fixed number of queries however much history there is (pinned in
tests/metrics/test_steering.py). The scorecard is the portfolio's (published values only)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.actions.selectors import action_item_list
from governance.escalation.models import ActionItemEscalation, RequestEscalation
from governance.meetings.models import Meeting
from governance.meetings.selectors import meeting_list
from governance.requests.models import Request
from governance.requests.selectors import request_list
from governance.risks.models import Risk
from governance.risks.selectors import risk_list
from metrics.portfolio import health
from metrics.portfolio.selectors import kpis_with_history
from metrics.steering.models import SteeringPack
from partnership.models import Membership, Partnership, User
from partnership.permissions import can
from portal.registries.my_work import ROWS_PER_PROVIDER, Item

#: Rows shown per list of the page; the counts tell the rest.
SHOWN = 8
#: From this level up an escalated item is the steering page's (2: functional heads,
#: 3: the steering committee).
STEERING_LEVEL = 2


def steering_partnerships(*, user: User) -> list[Partnership]:
    """The partnerships the user sees (one query): a seat's, or all of an organization
    admin's own organization — never a competitor's."""
    if not user.is_authenticated:
        return []
    return list(Partnership.objects.visible_to(user).select_related("sponsor", "cdmo")
                .order_by("sponsor__name", "cdmo__name", "pk"))


def hold_roles(*, user: User, partnerships: list[Partnership]) -> None:
    """The user's role in each of `partnerships`, read in one query and kept on the user
    object (Partnership.role_of reads it from there), for the rules the rows ask."""
    seats = dict(Membership.objects.filter(user=user, partnership__in=partnerships)
                 .values_list("partnership_id", "role"))
    held = getattr(user, "_held_roles", None) or {}
    for partnership in partnerships:
        role = seats.get(partnership.pk)
        if role is None and user.is_org_admin and partnership.party_of(user):
            role = "admin"
        held[partnership.pk] = role
    user._held_roles = held


def is_steering_only(user: User) -> bool:
    """Whether every seat the user holds is a steering committee member's (one query): such
    a person lands on the steering page and finds there what awaits him."""
    if not user.is_authenticated or user.is_org_admin:
        return False
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return roles == {Membership.Role.STEERING}


@dataclass
class Rows:
    """A bounded list of the page and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _bounded(records: QuerySet, *order: str) -> Rows:
    """The first SHOWN rows and the count (two queries, whatever the number of rows)."""
    return Rows(list(records.order_by(*order)[:SHOWN]), records.order_by().count())


def _reached_at(model, parent: str, window: str) -> Subquery:
    """When the item reached the highest level of its current window."""
    return Subquery(model.objects.filter(**{parent: OuterRef("pk"), window: OuterRef(window)})
                    .order_by("-level").values("reached_at")[:1])


@dataclass
class Escalated:
    """Action items and requests escalated to level 2 or 3 and still waiting."""

    actions: Rows
    requests: Rows

    @property
    def total(self) -> int:
        return self.actions.total + self.requests.total


def escalated(*, user: User, ids: list[int]) -> Escalated:
    """The items of the partnerships `ids` that reached STEERING_LEVEL or above in their
    current window and still wait, highest level and oldest first, each with
    `escalated_at` (up to four queries)."""
    actions = action_item_list(user=user).filter(
        partnership__in=ids, escalation_level__gte=STEERING_LEVEL).annotate(
        escalated_at=_reached_at(ActionItemEscalation, "action", "due_date"))
    requests = request_list(user=user).filter(
        partnership__in=ids, escalation_level__gte=STEERING_LEVEL).annotate(
        escalated_at=_reached_at(RequestEscalation, "request", "acknowledge_by")
    ).select_related("partnership__sponsor", "partnership__cdmo")
    return Escalated(_bounded(actions, "-escalation_level", "escalated_at", "pk"),
                     _bounded(requests, "-escalation_level", "escalated_at", "pk"))


def over_budget(*, user: User, ids: list[int]) -> Rows:
    """Open emergency requests sent over their party's monthly budget, newest first, each
    with `justification_readable` (the rule governance.request_read_justification)."""
    rows = _bounded(request_list(user=user).filter(
        partnership__in=ids, urgency=Request.Urgency.EMERGENCY, over_emergency_budget=True,
        status__in=Request.OPEN).select_related("partnership__sponsor", "partnership__cdmo"),
        "-sent_at", "-pk")
    for row in rows.rows:
        row.justification_readable = can(user, "governance.request_read_justification", row)
    return rows


@dataclass
class Awaiting:
    """What awaits the steering committee: its next meetings (with their agenda) and the
    open actions taken at its meetings."""

    meetings: list
    actions: Rows

    @property
    def total(self) -> int:
        return len(self.meetings) + self.actions.total


def awaiting_committee(*, user: User, ids: list[int]) -> Awaiting:
    """The next scheduled steering committee meeting of each partnership `ids` (at most
    SHOWN in all) and the open actions of steering committee meetings (three queries)."""
    meetings = list(meeting_list(user=user).filter(
        partnership__in=ids, kind=Meeting.Kind.STEERING_COMMITTEE,
        status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:SHOWN])
    actions = action_item_list(user=user).filter(
        partnership__in=ids, meeting__kind=Meeting.Kind.STEERING_COMMITTEE).exclude(
        status__in=ActionItem.CLOSED)
    return Awaiting(meetings, _bounded(actions, "due_date", "pk"))


def top_risks(*, user: User, ids: list[int]) -> Rows:
    """The open risks of highest score (two queries)."""
    return _bounded(risk_list(user=user).filter(partnership__in=ids,
                                                status=Risk.Status.OPEN),
                    "-risk_score", "-impact", "pk")


def warning_signs(*, user: User, partnerships: list[Partnership], kpis: list
                  ) -> list[tuple[Partnership, list[str]]]:
    """Relationship health's warning signs, each partnership with its own. One
    partnership's page reads them all (survey and responsiveness: two queries); the page
    across partnerships names the red KPIs of each (no query: the page's own KPIs) and
    links each partnership's health page, so it costs the same however many there are."""
    if len(partnerships) == 1:
        partnership = partnerships[0]
        survey = health.survey_results(user=user, partnership=partnership,
                                       quarters=health.QUARTERS)
        answers = health.responsiveness(user=user, partnership=partnership,
                                        quarters=health.quarters_back())
        return [(partnership, health.warning_signs(
            partnership=partnership, survey=survey, answers=answers, kpis=kpis))]
    empty = {"parties": []}
    return [(partnership, health.warning_signs(
        partnership=partnership, survey=empty, answers={},
        kpis=[kpi for kpi in kpis if kpi.partnership_id == partnership.pk]))
        for partnership in partnerships]


def pack_list(*, user: User, partnership: Partnership | int | None = None
              ) -> QuerySet[SteeringPack]:
    """The steering packs the user may see (of one partnership), newest first: the page,
    the download view and the API. A pack is made from what its requester sees, their own
    party's internal records included, so it is their organization's alone: the other
    party's people never see it (DESIGN §2, internal records)."""
    packs = SteeringPack.objects.visible_to(user).filter(
        requested_by__organization_id=user.organization_id).select_related(
        "requested_by", "meeting", "partnership__sponsor", "partnership__cdmo")
    return packs.filter(partnership=partnership) if partnership else packs


def meeting_packs(*, user: User, meeting) -> dict | None:
    """The meeting page's section (portal.registries.meeting_sections): the steering packs
    attached to the meeting that the user may see. One query; None when there are none."""
    packs = list(pack_list(user=user, partnership=meeting.partnership_id).filter(
        meeting=meeting).order_by("-requested_at", "-pk")[:10])
    return {"template": "metrics/meeting_packs.html", "packs": packs} if packs else None


@dataclass
class Page:
    """Everything the steering page shows."""

    partnerships: list
    kpis: list
    escalated: Escalated
    over_budget: Rows
    awaiting: Awaiting
    risks: Rows
    signs: list
    packs: list = field(default_factory=list)
    today: datetime.date = field(default_factory=timezone.localdate)


def steering_page(*, user: User, partnerships: list[Partnership]) -> Page:
    """The page of `partnerships` (one, or all the user sees)."""
    ids = [partnership.pk for partnership in partnerships]
    hold_roles(user=user, partnerships=partnerships)
    kpis = sorted(kpis_with_history(user=user, partnerships=partnerships),
                  key=lambda kpi: (kpi.name.lower(), kpi.partnership_id))
    awaiting = awaiting_committee(user=user, ids=ids)
    for meeting in awaiting.meetings:
        meeting.may_ask = can(user, "metrics.steeringpack_request", meeting.partnership)
    return Page(
        partnerships=partnerships, kpis=kpis,
        escalated=escalated(user=user, ids=ids), over_budget=over_budget(user=user, ids=ids),
        awaiting=awaiting, risks=top_risks(user=user, ids=ids),
        signs=warning_signs(user=user, partnerships=partnerships, kpis=kpis))


def steering_my_work(*, user: User) -> list[Item]:
    """My work's rows for a steering member (portal.registries.my_work): of the partnerships
    whose steering committee he sits on, the coming steering meetings, each with the button
    to prepare its pack where he may, and the over-budget emergency requests whose
    justification he may read. Nothing, after one query, for anyone without such a seat."""
    if not user.is_authenticated:
        return []
    partnerships = list(Partnership.objects.visible_to(user).filter(
        pk__in=Membership.objects.filter(user=user, role=Membership.Role.STEERING)
        .values("partnership_id")).select_related("sponsor", "cdmo"))
    if not partnerships:
        return []
    ids = [partnership.pk for partnership in partnerships]
    hold_roles(user=user, partnerships=partnerships)
    rows = []
    for meeting in awaiting_committee(user=user, ids=ids).meetings:
        may_ask = can(user, "metrics.steeringpack_request", meeting.partnership)
        rows.append(Item(
            kind="Steering meeting", title=meeting.title, url=meeting.get_absolute_url(),
            partnership=str(meeting.partnership), due=timezone.localdate(meeting.starts_at),
            status=meeting.get_status_display(),
            action="Prepare its pack" if may_ask else "Open",
            action_url=reverse("metrics:steeringpack_create", args=[meeting.partnership_id])
            + f"?meeting={meeting.pk}" if may_ask else meeting.get_absolute_url(),
            note=f"{timezone.localtime(meeting.starts_at):%H:%M %Z}"))
    for request in over_budget(user=user, ids=ids).rows:
        if request.justification_readable:
            rows.append(Item(
                kind="Emergency over budget", title=request.title,
                url=request.get_absolute_url(), partnership=str(request.partnership),
                due=request.needed_by, status=request.get_status_display(),
                action="Read the justification", action_url=request.get_absolute_url()))
    return rows[:ROWS_PER_PROVIDER]
