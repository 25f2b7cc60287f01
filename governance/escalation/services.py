"""The escalation job: late requests and overdue actions up their partnership's path."""

import datetime

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from governance.actions.models import ActionItem
from governance.escalation.models import ActionItemEscalation, CapaEscalation, RequestEscalation
from governance.quality.deviations.models import Capa
from governance.requests.models import Request
from partnership.models import EscalationLevel, Partnership
from partnership.notifications.reminders import Batch
from partnership.notifications.services import notify


def _escalation_paths(partnerships: QuerySet[Partnership] | Batch
                      ) -> dict[int, list[EscalationLevel]]:
    """{partnership id: its levels, lowest first, people loaded}: two queries for all."""
    levels = EscalationLevel.objects.all()
    if partnerships is not None:
        levels = levels.filter(partnership__in=partnerships)
    paths: dict[int, list[EscalationLevel]] = {}
    for level in levels.prefetch_related("people").order_by("partnership_id", "level"):
        paths.setdefault(level.partnership_id, []).append(level)
    return paths


def _with_current_step(items, model, parent: str, window: str):
    """`items` annotated with the highest level reached in their current window, when it
    was reached and the days it allowed (None when the window has not escalated yet)."""
    latest = model.objects.filter(**{parent: OuterRef("pk"), window: OuterRef(window)}
                                  ).order_by("-level")
    return items.annotate(**{f"current_{name}": Subquery(latest.values(name)[:1])
                             for name in ("level", "reached_at", "days_allowed")})


def _next_level(levels: list[EscalationLevel], item,
                now: datetime.datetime) -> EscalationLevel | None:
    """The level `item` moves to now, if any: the first level as soon as it is late or
    overdue; the next one up once it has waited the current level's days there (counted
    from when that level was reached and told); none beyond the last."""
    if item.current_level is None:
        return levels[0]
    if now < item.current_reached_at + datetime.timedelta(days=item.current_days_allowed):
        return None
    return next((level for level in levels if level.level > item.current_level), None)


def _escalate(*, model, still_due, now: datetime.datetime, level: EscalationLevel, item,
              window: dict, body: str, when: datetime.datetime) -> bool:
    """Record one step and tell the level's people, in one savepoint; True if it was new.
    The unique key (item, window, level) is claimed before anything is said, so a second
    run or a second worker tells nobody twice, and a run killed half-way rolls both back
    and leaves the step to the next run. `still_due` checks the item again first: acted on
    since the job listed it, it escalates no further."""
    with transaction.atomic():
        if not still_due.exists():
            return False
        _, created = model.objects.get_or_create(
            **window, level=level.level,
            defaults={"partnership_id": item.partnership_id, "level_name": level.name,
                      "days_allowed": level.days_allowed, "reached_at": now})
        if created:
            notify(recipients=level.people.all(), kind="escalated",
                   partnership=item.partnership,
                   title=f"Escalated to level {level.level} ({level.name}): {item.title}",
                   url=item.get_absolute_url(), body=body, when=when, record=item)
    return created


def _moves_up(levels: list[EscalationLevel], level: EscalationLevel) -> str:
    above = next((other for other in levels if other.level > level.level), None)
    if above is None:
        return "This is the last level of the escalation path."
    return f"In {level.days_allowed} days, if it still waits, it moves up to level " \
        f"{above.level} ({above.name})."


def escalations_advance(*, now: datetime.datetime | None = None,
                        partnerships: QuerySet[Partnership] | Batch = None) -> int:
    """Move each late request and overdue action one level up its partnership's escalation
    path when it is due to, recording the step and telling that level's people.

    - A request escalates while it is late (Request.objects.late: sent, unacknowledged, past
      `acknowledge_by`); an action while it is open and its due date is before today in UTC
      (one calendar for both parties, unlike the owner's own reminder, which follows the
      owner's zone). Level 1 comes at once; it "became late" at `acknowledge_by`, or at
      midnight UTC after the due date (the notices' `when`).
    - Level k+1 comes once the item has waited level k's days since level k was reached
      and told (its recorded `reached_at`), so every level gets its full days even after
      the job was down. One level per item per run: a job that ran late catches up one
      level per run, never telling three levels at once.
    - Acknowledged, queried or cancelled requests and done or cancelled actions stop. A new
      window (a new `acknowledge_by` once a query is answered, a new due date) starts again
      from level 1: the window is part of each step's unique key.
    - A partnership without a path escalates nothing; the late and overdue notices still go.
    - The level's people are told through notify(record=item): never anyone who cannot see
      the partnership, and for an internal action only its author organization's people.

    `partnerships` (a queryset, or ids) limits the run to those: a sweep's batch
    (partnership.sweeps), or the demo seed replaying its own history without touching
    anyone else's. Returns how many steps were recorded."""
    now = now or timezone.now()
    paths = _escalation_paths(partnerships)
    if not paths:
        return 0
    steps = 0
    late = Request.objects.late(now)
    requests = _with_current_step(late.filter(partnership_id__in=list(paths)),
                                  RequestEscalation, "request", "acknowledge_by")
    for request in requests.select_related("partnership").order_by("pk"):
        levels = paths[request.partnership_id]
        level = _next_level(levels, request, now)
        if level is not None and _escalate(
                model=RequestEscalation, now=now, level=level, item=request,
                still_due=late.filter(pk=request.pk, acknowledge_by=request.acknowledge_by),
                window={"request": request, "acknowledge_by": request.acknowledge_by},
                body=f"Not acknowledged in the agreed time. {_moves_up(levels, level)}",
                when=request.acknowledge_by):
            steps += 1
    today = now.astimezone(datetime.UTC).date()
    overdue = ActionItem.objects.exclude(status__in=ActionItem.CLOSED).filter(
        due_date__lt=today)
    actions = _with_current_step(overdue.filter(partnership_id__in=list(paths)),
                                 ActionItemEscalation, "action", "due_date")
    for item in actions.select_related("partnership", "owner").order_by("pk"):
        levels = paths[item.partnership_id]
        level = _next_level(levels, item, now)
        if level is not None and _escalate(
                model=ActionItemEscalation, now=now, level=level, item=item,
                still_due=overdue.filter(pk=item.pk, due_date=item.due_date),
                window={"action": item, "due_date": item.due_date},
                body=f"Owned by {item.owner}, due {item.due_date:%d %b %Y} and still open. "
                     f"{_moves_up(levels, level)}",
                when=datetime.datetime.combine(item.due_date + datetime.timedelta(days=1),
                                               datetime.time(0), tzinfo=datetime.UTC)):
            steps += 1
    return steps + _escalate_capas(paths, now)


def _escalate_capas(paths: dict[int, list[EscalationLevel]], now: datetime.datetime) -> int:
    """Overdue CAPAs (open or in progress past their due date, in UTC) up the path, as
    actions go: once per CAPA, due date and level."""
    steps = 0
    overdue = Capa.objects.overdue(now.astimezone(datetime.UTC).date())
    capas = _with_current_step(overdue.filter(partnership_id__in=list(paths)),
                               CapaEscalation, "capa", "due_date")
    for capa in capas.select_related("partnership", "owner").order_by("pk"):
        levels = paths[capa.partnership_id]
        level = _next_level(levels, capa, now)
        if level is not None and _escalate(
                model=CapaEscalation, now=now, level=level, item=capa,
                still_due=overdue.filter(pk=capa.pk, due_date=capa.due_date),
                window={"capa": capa, "due_date": capa.due_date},
                body=f"CAPA owned by {capa.owner}, due {capa.due_date:%d %b %Y} and not yet "
                     f"implemented. {_moves_up(levels, level)}",
                when=datetime.datetime.combine(capa.due_date + datetime.timedelta(days=1),
                                               datetime.time(0), tzinfo=datetime.UTC)):
            steps += 1
    return steps
