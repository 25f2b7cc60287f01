"""Each computable KPI against records with known dates (June 2025): its value, numerator,
denominator and the exact records it counted; and the same value when the period is
computed again after later records changed (reproducible for a past period)."""

from decimal import Decimal

import pytest

from metrics.computed.compute import COMPUTATIONS, compute
from metrics.kpis import library
from tests.metrics.computed_records import (
    JUNE,
    action,
    at,
    audit,
    batch,
    capa,
    contract,
    deliverable,
    deviation,
    finding,
    on,
    request,
    review,
    round_,
)
from tests.metrics.helpers import add_cast


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def june(world, key, frequency="monthly"):
    return compute(world.acme_contoso, key, JUNE, frequency)


def counted(result) -> dict:
    return {record.pk: label for record, label in result.sources}


def test_every_computable_standard_has_its_computation():
    assert {s.key for s in library.STANDARD if s.computable} == set(COMPUTATIONS)


def test_actions_closed_on_time(world):
    on_time = action(world, on(6, 10), completed=at(6, 10, 23))
    late = action(world, on(6, 20), completed=at(6, 22))
    still_open = action(world, on(6, 30))
    action(world, on(6, 15), status="cancelled", completed=at(6, 1))
    action(world, on(7, 2), completed=at(7, 1))
    action(world, on(6, 12), completed=at(6, 1), internal=True)  # one party's own
    result = june(world, "actions-on-time")
    assert (result.value, result.numerator, result.denominator) == \
        (Decimal("33.33"), 1, 3)
    assert counted(result) == {on_time.pk: "closed on time", late.pk: "late",
                               still_open.pk: "late"}
    type(still_open).objects.filter(pk=still_open.pk).update(status="done",
                                                             completed_at=at(7, 5))
    action(world, on(6, 5), completed=at(6, 5), internal=True)
    assert june(world, "actions-on-time").value == Decimal("33.33")


def test_request_acknowledgement_median_counts_open_ones_by_their_age(world):
    request(world, at(6, 1, 9), acknowledged=at(6, 2, 9))  # 1 day
    request(world, at(6, 10, 9), acknowledged=at(6, 13, 9))  # 3 days
    waiting = request(world, at(6, 29, 0))  # 2 days at the period's end
    request(world, at(6, 5), status="cancelled", closed=at(6, 6))  # nothing to acknowledge
    request(world, at(6, 7), status="declined", closed=at(6, 8))  # answered with a refusal
    late = request(world, at(6, 20, 0), acknowledged=at(7, 3))  # 11 days so far
    result = june(world, "request-acknowledgement-time")
    assert result.value == Decimal("2.50") and result.denominator is None
    assert counted(result)[waiting.pk] == "2 days so far, not acknowledged"
    assert counted(result)[late.pk] == "11 days so far, not acknowledged"
    type(waiting).objects.filter(pk=waiting.pk).update(acknowledged_at=at(7, 10),
                                                       status="acknowledged")
    assert june(world, "request-acknowledgement-time").value == Decimal("2.50")


def test_requests_fulfilled_on_time_by_the_committed_date(world):
    on_time = request(world, at(5, 1), acknowledged=at(5, 2), committed=on(6, 10),
                      fulfilled=at(6, 9))
    late = request(world, at(5, 1), needed_by=on(6, 15), fulfilled=at(6, 20))
    waiting = request(world, at(5, 1), acknowledged=at(5, 2), committed=on(6, 25))
    request(world, at(5, 1), committed=on(6, 12), status="cancelled", closed=at(5, 20))
    request(world, at(5, 1), needed_by=on(6, 14), status="declined", closed=at(5, 2))
    result = june(world, "requests-fulfilled-on-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("33.33"), 1, 3)
    assert counted(result) == {on_time.pk: "fulfilled on time", late.pk: "late",
                               waiting.pk: "late"}
    type(waiting).objects.filter(pk=waiting.pk).update(fulfilled_at=at(7, 2),
                                                       status="fulfilled")
    assert june(world, "requests-fulfilled-on-time").numerator == 1


def test_findings_closed_on_time_and_findings_per_audit(world):
    closed = audit(world, closed=at(6, 30))
    audit(world, closed=at(5, 2))  # closed in the quarter without findings
    on_time = finding(world, closed, 1, on(6, 10), reviewed=at(6, 9), status="accepted")
    late = finding(world, closed, 2, on(6, 20), reviewed=at(6, 25), status="accepted")
    waiting = finding(world, closed, 3, on(6, 30), classification="critical")
    finding(world, closed, 4, None, classification="minor")
    result = june(world, "findings-closed-on-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("33.33"), 1, 3)
    assert counted(result) == {on_time.pk: "closed on time", late.pk: "not closed on time",
                               waiting.pk: "not closed on time"}
    per_audit = compute(world.acme_contoso, "findings-per-audit", on(4, 1), "quarterly")
    assert (per_audit.value, per_audit.numerator, per_audit.denominator) == \
        (Decimal("1.50"), 3, 2)
    type(waiting).objects.filter(pk=waiting.pk).update(status="accepted",
                                                       reviewed_at=at(7, 3))
    assert june(world, "findings-closed-on-time").numerator == 1


def test_capas_closed_on_time(world):
    on_time = capa(world, 101, on(6, 10), verified=at(6, 10, 18))
    late = capa(world, 102, on(6, 20), verified=at(6, 21))
    waiting = capa(world, 103, on(6, 25))
    capa(world, 104, on(7, 1), verified=at(6, 1))
    result = june(world, "capa-on-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("33.33"), 1, 3)
    assert counted(result) == {on_time.pk: "closed on time", late.pk: "not closed on time",
                               waiting.pk: "not closed on time"}
    type(waiting).objects.filter(pk=waiting.pk).update(status="verified",
                                                       verified_at=at(7, 1))
    assert june(world, "capa-on-time").numerator == 1


def test_deviations_notified_in_time_count_the_unnotified_ones(world):
    in_time = deviation(world, "DEV-A", detected=at(6, 3), notify_by=at(6, 5),
                        notified=at(6, 4))
    late = deviation(world, "DEV-B", detected=at(6, 8), notify_by=at(6, 10),
                     notified=at(6, 11))
    unnotified = deviation(world, "DEV-C", detected=at(6, 26), notify_by=at(6, 28))
    deviation(world, "DEV-D", detected=at(6, 30), notify_by=at(7, 2))
    result = june(world, "deviations-notified-in-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("33.33"), 1, 3)
    assert counted(result) == {in_time.pk: "notified in time",
                               late.pk: "notified late or not at all",
                               unnotified.pk: "notified late or not at all"}
    type(unnotified).objects.filter(pk=unnotified.pk).update(sponsor_notified_at=at(7, 5),
                                                             is_internal=False)
    assert june(world, "deviations-notified-in-time").numerator == 1


def test_deviation_closure_time(world):
    deviation(world, "DEV-E", detected=at(6, 1), notified=at(6, 1), closed=at(6, 11))
    deviation(world, "DEV-F", detected=at(5, 1), notified=at(5, 1), closed=at(6, 30))
    deviation(world, "DEV-G", detected=at(6, 1), notified=at(6, 1), closed=at(7, 2))
    result = june(world, "deviation-closure-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("35.00"), 70, 2)


def test_right_first_time_and_lot_acceptance(world):
    first_time = batch(world, "L-1", disposed=at(6, 5))
    quarantined = batch(world, "L-2", disposed=at(6, 10), quarantined=at(6, 8))
    rejected = batch(world, "L-3", disposed=at(6, 15), status="rejected")
    named = batch(world, "L-4", disposed=at(6, 20))
    told_later = batch(world, "L-6", disposed=at(6, 25))
    batch(world, "L-5", disposed=at(7, 3))
    cause = deviation(world, "DEV-L4", detected=at(6, 17), notified=at(6, 18), batch=named)
    deviation(world, "DEV-L6", detected=at(7, 4), notified=at(7, 5), batch=told_later)
    acceptance = june(world, "lot-acceptance")
    assert (acceptance.value, acceptance.numerator, acceptance.denominator) == \
        (Decimal("80.00"), 4, 5)
    assert counted(acceptance)[rejected.pk] == "rejected"
    rft = june(world, "right-first-time")
    assert (rft.value, rft.numerator, rft.denominator) == (Decimal("40.00"), 2, 5)
    labels = {(type(record).__name__, record.pk): label for record, label in rft.sources}
    assert labels[("Batch", first_time.pk)] == "right first time"
    assert labels[("Batch", quarantined.pk)] == "not right first time"
    assert labels[("Deviation", cause.pk)] == "names a lot"
    deviation(world, "DEV-L1", detected=at(7, 9), notified=at(7, 10), batch=first_time)
    assert june(world, "right-first-time").numerator == 2


def test_contract_turnaround_per_party_counts_open_rounds_by_their_age(world):
    negotiated = contract(world)
    answered_by_cdmo = round_(negotiated, 1, "sponsor", on(5, 20), on(6, 4))  # 15 days
    answered_by_sponsor = round_(negotiated, 2, "cdmo", on(6, 4), on(6, 10))  # 6 days
    open_round = round_(negotiated, 3, "sponsor", on(6, 21))  # 10 days at the end
    signed = contract(world, effective=on(6, 15))
    round_(signed, 1, "sponsor", on(6, 1))  # no longer waited for: the contract took effect
    cdmo = june(world, "contract-turnaround-cdmo")
    assert (cdmo.value, cdmo.numerator, cdmo.denominator) == (Decimal("12.50"), 25, 2)
    assert counted(cdmo) == {answered_by_cdmo.pk: "15 days",
                             open_round.pk: "10 days so far, not answered"}
    sponsor = june(world, "contract-turnaround-sponsor")
    assert (sponsor.value, sponsor.denominator) == (Decimal("6.00"), 1)
    assert counted(sponsor) == {answered_by_sponsor.pk: "6 days"}
    type(open_round).objects.filter(pk=open_round.pk).update(answered_on=on(7, 8))
    assert june(world, "contract-turnaround-cdmo").value == Decimal("12.50")
    july = compute(world.acme_contoso, "contract-turnaround-cdmo", on(7, 1), "monthly")
    assert (july.value, july.denominator) == (Decimal("17.00"), 1)


def test_deliverables_accepted_first_time(world):
    first_time = deliverable(world, ("accepted", at(6, 5)))
    second_time = deliverable(world, ("rejected", at(5, 20)), ("accepted", at(6, 10)))
    deliverable(world, ("accepted", at(5, 1)))
    deliverable(world, ("accepted", at(7, 3)))
    result = june(world, "deliverables-accepted-first-time")
    assert (result.value, result.numerator, result.denominator) == (Decimal("50.00"), 1, 2)
    assert counted(result) == {first_time.pk: "accepted first time",
                               second_time.pk: "rejected before acceptance"}
    review(world, first_time, "rejected", at(7, 10))
    assert june(world, "deliverables-accepted-first-time").numerator == 1


def test_a_period_with_nothing_to_count_has_no_value(world):
    result = compute(world.acme_contoso, "capa-on-time", on(1, 1), "monthly")
    assert result.value is None and "No CAPAs" in result.summary
