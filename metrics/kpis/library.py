"""The standard KPI definitions a partnership adopts as drafts (plain data). Targets and
thresholds are common starting points in sponsor–CDMO agreements; the parties change them
in the draft before signing it off. `computable` says whether the portal can later work the
value out from its own records (computed KPIs), rather than the reporting party entering
it; until then every adopted definition is entered."""

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
             "Batches released without a deviation or rework ÷ batches made × 100.",
             "%", H, Decimal(95), Decimal(90), Decimal(85)),
    Standard("lot-acceptance", "Lot acceptance rate",
             "Lots the sponsor released ÷ lots dispositioned × 100.", "%", H,
             Decimal(98), Decimal(95), Decimal(90), reporting_party="sponsor",
             computable=True),
    Standard("deviation-closure-time", "Deviation closure time",
             "Average days from a deviation's detection to its closure, of those closed in "
             "the period.", "days", L, Decimal(30), Decimal(45), Decimal(60),
             computable=True),
    Standard("deviations-notified-in-time", "Deviations notified in time",
             "Deviations notified to the sponsor within the quality agreement's days ÷ "
             "deviations detected × 100.", "%", H, Decimal(100), Decimal(95), Decimal(90),
             computable=True),
    Standard("capa-on-time", "CAPA on-time closure",
             "CAPAs closed by their due date ÷ CAPAs due in the period × 100.", "%", H,
             Decimal(90), Decimal(80), Decimal(70), computable=True),
    Standard("batch-record-review-time", "Batch record review cycle time",
             "Average days from manufacture to the end of the CDMO's batch record review.",
             "days", L, Decimal(20), Decimal(30), Decimal(40)),
    Standard("request-acknowledgement-time", "Request acknowledgement time",
             "Average working days from a formal request to its acknowledgement.", "days",
             L, Decimal(2), Decimal(3), Decimal(5), computable=True),
    Standard("actions-on-time", "Action items on time",
             "Action items closed by their due date ÷ action items due × 100 (both "
             "parties).", "%", H, Decimal(90), Decimal(80), Decimal(70),
             reporting_party="sponsor", computable=True),
    Standard("findings-per-audit", "Findings per audit",
             "Major and critical findings ÷ audits closed in the quarter.", "per audit", L,
             Decimal(1), Decimal(2), Decimal(4), reporting_party="sponsor",
             frequency="quarterly", computable=True),
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
            "data_source": "entered", "reporting_party": standard.reporting_party}
