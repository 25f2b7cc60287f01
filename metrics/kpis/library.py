"""The standard KPI definitions a partnership adopts as drafts (plain data). Targets and
thresholds are common starting points in sponsor–CDMO agreements; the parties change them
in the draft before signing it off. `computable` says whether the portal can later work the
value out from its own records (metrics.computed): a computable standard is adopted as a
computed definition, the others as entered ones."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    formula: str
    unit: str
    direction: str
    target: Decimal
    amber: Decimal
    red: Decimal
    reporting_party: str = "cdmo"
    frequency: str = "monthly"
    computable: bool = False


H, L = "higher", "lower"
STANDARD = [
    Standard("on-time-delivery", "On-time delivery",
             "Batches delivered by the agreed date ÷ batches due in the period × 100.",
             "%", H, Decimal(95), Decimal(90), Decimal(80)),
    Standard("right-first-time", "Right-first-time batches",
             "Lots finally disposed of in the period that were released, never quarantined "
             "and named by no deviation notified before the period's end ÷ lots finally "
             "disposed of × 100.", "%", H, Decimal(95), Decimal(90), Decimal(85),
             computable=True),
    Standard("lot-acceptance", "Lot acceptance rate",
             "Lots the sponsor released ÷ lots finally dispositioned (released or "
             "rejected) in the period × 100.", "%", H,
             Decimal(98), Decimal(95), Decimal(90), reporting_party="sponsor",
             computable=True),
    Standard("deviation-closure-time", "Deviation closure time",
             "Average days from a deviation's detection to its closure, of those closed in "
             "the period.", "days", L, Decimal(30), Decimal(45), Decimal(60),
             computable=True),
    Standard("deviations-notified-in-time", "Deviations notified in time",
             "Deviations notified to the sponsor within the quality agreement's days ÷ "
             "deviations whose notice period ended in the period × 100.", "%", H,
             Decimal(100), Decimal(95), Decimal(90), computable=True),
    Standard("capa-on-time", "CAPA on-time closure",
             "CAPAs closed by their due date ÷ CAPAs due in the period × 100.", "%", H,
             Decimal(90), Decimal(80), Decimal(70), computable=True),
    Standard("batch-record-review-time", "Batch record review cycle time",
             "Average days from manufacture to the end of the CDMO's batch record review.",
             "days", L, Decimal(20), Decimal(30), Decimal(40)),
    Standard("request-acknowledgement-time", "Request acknowledgement time",
             "Median days from a formal request (either party's) sent in the period to its "
             "acknowledgement; one not acknowledged by the period's end counts its age "
             "then.", "days",
             L, Decimal(2), Decimal(3), Decimal(5), computable=True),
    Standard("actions-on-time", "Action items on time",
             "Action items closed by their due date ÷ action items due × 100 (both "
             "parties).", "%", H, Decimal(90), Decimal(80), Decimal(70),
             reporting_party="sponsor", computable=True),
    Standard("findings-per-audit", "Findings per audit",
             "Major and critical findings ÷ audits closed in the quarter.", "per audit", L,
             Decimal(1), Decimal(2), Decimal(4), reporting_party="sponsor",
             frequency="quarterly", computable=True),
    Standard("requests-fulfilled-on-time", "Requests fulfilled on time",
             "Requests (either party's) fulfilled by the committed date (or the date "
             "needed, without one) ÷ requests whose date fell in the period × 100.", "%", H,
             Decimal(90), Decimal(80), Decimal(70), reporting_party="sponsor",
             computable=True),
    Standard("findings-closed-on-time", "Audit findings closed on time",
             "Findings whose response the sponsor accepted by the response due date ÷ "
             "findings due in the period × 100.", "%", H, Decimal(90), Decimal(80),
             Decimal(70), reporting_party="sponsor", computable=True),
    Standard("contract-turnaround-sponsor", "Contract turnaround (sponsor)",
             "Average days the sponsor took to answer a contract draft: rounds answered in "
             "the period, and rounds still open at its end by their age then.", "days", L,
             Decimal(10), Decimal(15), Decimal(20), reporting_party="sponsor",
             computable=True),
    Standard("contract-turnaround-cdmo", "Contract turnaround (CDMO)",
             "Average days the CDMO took to answer a contract draft: rounds answered in the "
             "period, and rounds still open at its end by their age then.", "days", L,
             Decimal(10), Decimal(15), Decimal(20), computable=True),
    Standard("deliverables-accepted-first-time", "Deliverables accepted first time",
             "Deliverables accepted in the period without an earlier rejection ÷ "
             "deliverables accepted in the period × 100.", "%", H, Decimal(90), Decimal(80),
             Decimal(70), reporting_party="sponsor", computable=True),
    Standard("complaint-rate", "Complaint rate",
             "Product complaints attributed to the CDMO per 10,000 units shipped.",
             "per 10,000 units", L, Decimal("0.5"), Decimal(1), Decimal(2)),
]
BY_KEY = {standard.key: standard for standard in STANDARD}


def terms_of(standard: Standard) -> dict:
    """The definition fields a draft adopted from `standard` starts with."""
    return {"key": standard.key, "name": standard.name, "formula": standard.formula,
            "unit": standard.unit, "direction": standard.direction,
            "target": standard.target, "amber_threshold": standard.amber,
            "red_threshold": standard.red, "frequency": standard.frequency,
            "data_source": "computed" if standard.computable else "entered",
            "reporting_party": standard.reporting_party}
