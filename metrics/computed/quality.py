"""Computed KPIs of quality oversight: audit findings and CAPAs closed on time,
deviations notified in time, deviation closure time, right-first-time batches, lot
acceptance and findings per audit (rules: metrics.computed.compute)."""

from decimal import Decimal

from governance.quality.batches.models import Batch
from governance.quality.deviations.models import Capa, Deviation
from governance.quality.models import Audit, Finding
from metrics.computed.compute import (
    CENT,
    Computed,
    Window,
    average,
    computes,
    days,
    end_of,
    label_days,
    rate,
    shared,
)


@computes("findings-closed-on-time")
def findings_closed_on_time(partnership, window: Window) -> Computed:
    """Findings whose response was due in the period, and whether the sponsor accepted
    the response by the end of that day (an accepted finding stays accepted)."""
    findings = shared(Finding, partnership).filter(
        response_due__gte=window.start, response_due__lt=window.end).select_related(
        "audit").order_by("response_due", "pk")
    return rate([(finding, finding.status == Finding.Status.ACCEPTED and
                  finding.reviewed_at is not None and
                  finding.reviewed_at < end_of(finding.response_due))
                 for finding in findings],
                good="closed on time", bad="not closed on time", noun="findings",
                what="due in the period")


@computes("capa-on-time")
def capa_on_time(partnership, window: Window) -> Computed:
    """CAPAs due in the period whose effectiveness was verified (closed) by the end of
    their due date."""
    capas = shared(Capa, partnership).filter(
        due_date__gte=window.start, due_date__lt=window.end).order_by("due_date", "pk")
    return rate([(capa, capa.verified_at is not None and
                  capa.verified_at < end_of(capa.due_date)) for capa in capas],
                good="closed on time", bad="not closed on time", noun="CAPAs",
                what="due in the period")


@computes("deviations-notified-in-time")
def deviations_notified_in_time(partnership, window: Window) -> Computed:
    """Deviations whose notice period (fixed when reported, from the quality agreement)
    ended in the period, and whether the sponsor was told by then: every deadline has
    passed at the period's end, so the value is final then. Counted whether or not the
    sponsor may see them yet (an unnotified deviation is the CDMO's own)."""
    deviations = Deviation.objects.filter(
        partnership=partnership, notify_by__gte=window.start_at,
        notify_by__lt=window.end_at).order_by("notify_by", "pk")
    return rate([(deviation, deviation.sponsor_notified_at is not None and
                  deviation.sponsor_notified_at <= deviation.notify_by)
                 for deviation in deviations],
                good="notified in time", bad="notified late or not at all",
                noun="deviations", what="whose notice period ended in the period")


@computes("deviation-closure-time")
def deviation_closure_time(partnership, window: Window) -> Computed:
    """Days from detection to closure of the deviations closed in the period."""
    deviations = shared(Deviation, partnership).filter(
        status=Deviation.Status.CLOSED, closed_at__gte=window.start_at,
        closed_at__lt=window.end_at).order_by("closed_at", "pk")
    counted = []
    for deviation in deviations:
        value = days(deviation.closed_at - deviation.detected_at)
        counted.append((deviation, value, label_days(value)))
    return average(counted, noun="deviations", what="closed in the period")


def _disposed(partnership, window: Window) -> list[Batch]:
    """Lots finally disposed of (released or rejected: both final) in the period."""
    return list(shared(Batch, partnership).filter(
        status__in=Batch.FINAL, disposed_at__gte=window.start_at,
        disposed_at__lt=window.end_at).order_by("disposed_at", "pk"))


@computes("lot-acceptance")
def lot_acceptance(partnership, window: Window) -> Computed:
    return rate([(batch, batch.status == Batch.Status.RELEASED)
                 for batch in _disposed(partnership, window)],
                good="released", bad="rejected", noun="lots",
                what="finally disposed of in the period")


@computes("right-first-time")
def right_first_time(partnership, window: Window) -> Computed:
    """Lots finally disposed of in the period that were released, never quarantined and
    named by no deviation the sponsor had been told of before the period's end (those
    deviations are counted among the sources too)."""
    batches = _disposed(partnership, window)
    deviations = list(shared(Deviation, partnership).filter(
        batch__in=[batch.pk for batch in batches], sponsor_notified_at__lt=window.end_at)
        .order_by("pk"))
    named = {deviation.batch_id for deviation in deviations}
    computed = rate([(batch, batch.status == Batch.Status.RELEASED and
                      batch.quarantined_at is None and batch.pk not in named)
                     for batch in batches],
                    good="right first time", bad="not right first time", noun="lots",
                    what="finally disposed of in the period")
    computed.sources += [(deviation, "names a lot") for deviation in deviations]
    return computed


@computes("findings-per-audit")
def findings_per_audit(partnership, window: Window) -> Computed:
    """Major and critical findings of the audits closed in the period, per audit."""
    audits = list(shared(Audit, partnership).filter(
        closed_at__gte=window.start_at, closed_at__lt=window.end_at).order_by("closed_at",
                                                                              "pk"))
    if not audits:
        return Computed(None, summary="No audit closed in the period.")
    findings = list(shared(Finding, partnership).filter(
        audit__in=[audit.pk for audit in audits],
        classification__in=(Finding.Classification.MAJOR, Finding.Classification.CRITICAL)
    ).select_related("audit").order_by("audit", "number"))
    count, total = len(audits), len(findings)
    return Computed((Decimal(total) / count).quantize(CENT), Decimal(total),
                    Decimal(count),
                    f"{total} major or critical findings in {count} audits closed in the "
                    "period.",
                    [(audit, "closed in the period") for audit in audits] +
                    [(finding, finding.get_classification_display().lower())
                     for finding in findings])
