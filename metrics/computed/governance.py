"""Computed KPIs of how the two parties work together: action items closed on time, the
median time to acknowledge a request, requests fulfilled on time, contract negotiation
turnaround per party and deliverables accepted first time (rules: metrics.computed.compute)."""

from collections import defaultdict

from django.db.models import F
from django.db.models.functions import Coalesce

from governance.actions.models import ActionItem
from governance.requests.models import Request
from metrics.computed.compute import (
    Computed,
    Window,
    average,
    computes,
    days,
    end_of,
    label_days,
    median,
    rate,
    shared,
)
from partnership.contracts.models import NegotiationRound
from partnership.deliverables.models import DeliverableReview


@computes("actions-on-time")
def actions_on_time(partnership, window: Window) -> Computed:
    """Action items due in the period (not cancelled) closed by the end of their due
    date."""
    items = shared(ActionItem, partnership).filter(
        due_date__gte=window.start, due_date__lt=window.end).exclude(
        status=ActionItem.Status.CANCELLED).order_by("due_date", "pk")
    return rate([(item, item.completed_at is not None and
                  item.completed_at < end_of(item.due_date)) for item in items],
                good="closed on time", bad="late", noun="action items",
                what="due in the period")


@computes("request-acknowledgement-time")
def request_acknowledgement_time(partnership, window: Window) -> Computed:
    """Requests sent in the period: days to acknowledgement, or their age at the period's
    end when not acknowledged by then; one cancelled or declined unacknowledged before the
    end is left out (nothing was left to acknowledge)."""
    counted = []
    for request in shared(Request, partnership).filter(
            sent_at__gte=window.start_at, sent_at__lt=window.end_at).order_by("sent_at", "pk"):
        acknowledged = request.acknowledged_at
        if acknowledged is not None and acknowledged < window.end_at:
            value = days(acknowledged - request.sent_at)
            counted.append((request, value, label_days(value)))
        elif request.status in Request.CLOSED_UNANSWERED and acknowledged is None and \
                request.closed_at is not None and request.closed_at < window.end_at:
            continue
        else:
            value = days(window.end_at - request.sent_at)
            counted.append((request, value, label_days(value, " so far, not acknowledged")))
    return median(counted, noun="requests", what="sent in the period")


@computes("requests-fulfilled-on-time")
def requests_fulfilled_on_time(partnership, window: Window) -> Computed:
    """Requests whose committed date (or date needed, without one) fell in the period,
    fulfilled by the end of that date; cancelled and declined requests are left out."""
    requests = shared(Request, partnership).annotate(
        due=Coalesce(F("committed_date"), F("needed_by"))).filter(
        due__gte=window.start, due__lt=window.end).exclude(
        status__in=Request.CLOSED_UNANSWERED).order_by("due", "pk")
    return rate([(request, request.fulfilled_at is not None and
                  request.fulfilled_at < end_of(request.due)) for request in requests],
                good="fulfilled on time", bad="late", noun="requests",
                what="due in the period")


def _turnaround(partnership, window: Window, party: str) -> Computed:
    """Rounds `party` answered in the period (days from the draft to the answer), and
    rounds it had not answered by the period's end (their age then). A round left
    unanswered is no longer waiting once a later round of its contract was sent, or once
    the contract took effect, before the period's end."""
    rounds = list(shared(NegotiationRound, partnership).filter(
        sent_on__lt=window.end).select_related("contract").order_by("contract", "number"))
    later = defaultdict(list)
    for round_ in rounds:
        later[round_.contract_id].append(round_.number)
    counted = []
    for round_ in rounds:
        if round_.sent_by == party:
            continue
        answered = round_.answered_on
        if answered is not None and window.start <= answered < window.end:
            value = days(answered - round_.sent_on)
            counted.append((round_, value, label_days(value)))
            continue
        if answered is not None and answered < window.start:
            continue
        effective = round_.contract.effective_date
        superseded = any(number > round_.number for number in later[round_.contract_id])
        if superseded or (effective is not None and effective < window.end):
            continue
        value = days(window.end - round_.sent_on)
        counted.append((round_, value, label_days(value, " so far, not answered")))
    return average(counted, noun="contract rounds", what="answered in the period or open "
                                                        "at its end")


@computes("contract-turnaround-sponsor")
def contract_turnaround_sponsor(partnership, window: Window) -> Computed:
    return _turnaround(partnership, window, "sponsor")


@computes("contract-turnaround-cdmo")
def contract_turnaround_cdmo(partnership, window: Window) -> Computed:
    return _turnaround(partnership, window, "cdmo")


@computes("deliverables-accepted-first-time")
def deliverables_accepted_first_time(partnership, window: Window) -> Computed:
    """Deliverables first accepted in the period, and whether a rejection came before
    (the reviews are dated rows, never changed)."""
    reviews = defaultdict(list)
    for review in shared(DeliverableReview, partnership).filter(
            reviewed_at__lt=window.end_at).select_related("deliverable").order_by(
            "reviewed_at", "pk"):
        reviews[review.deliverable_id].append(review)
    counted = []
    for history in reviews.values():
        accepted = [review for review in history
                    if review.decision == DeliverableReview.Decision.ACCEPTED]
        if not accepted or accepted[0].reviewed_at < window.start_at:
            continue
        first = accepted[0]
        rejected_before = any(review.decision == DeliverableReview.Decision.REJECTED and
                              review.reviewed_at <= first.reviewed_at for review in history)
        counted.append((first.deliverable, not rejected_before))
    counted.sort(key=lambda pair: pair[0].pk)
    return rate(counted, good="accepted first time", bad="rejected before acceptance",
                noun="deliverables", what="accepted in the period")
