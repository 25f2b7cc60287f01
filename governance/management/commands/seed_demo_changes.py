"""Demo change controls (run by seed_demo_governance; idempotent): Meridian's and Aurora's
changes in every state — a draft, the resin supplier change awaiting Quinn's decision
(it was a generic request before), a decision overdue at Helix, approvals (one with
conditions), a rejection, notify-only changes awaiting and given acknowledgement, changes
implemented and closed, and one withdrawn. Written through the services by the people whose
step each is (Tomas raises and Ravi submits for Meridian with Northwind, Max for Meridian
with Helix, Ari for Aurora; Quinn and Hana decide), then dated into the past with
QuerySet.update().

A rerun finds each change by its partnership and reference and leaves it as it is.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from governance.models import ChangeControl
from governance.quality.changes import services
from partnership.management.commands.seed_demo import demo_password
from partnership.models import Partnership, Program, Site, User
from partnership.signatures.services import sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

#: Per partnership: who raises changes, who submits, implements and closes them for the
#: CDMO, and who decides or acknowledges them for the sponsor.
PEOPLE = {
    NM: ("tomas@meridian.example", "ravi@meridian.example", "quinn@northwind.example"),
    HM: ("max@meridian.example", "max@meridian.example", "hana@helix.example"),
    NA: ("ari@aurora.example", "ari@aurora.example", "quinn@northwind.example"),
}

# partnership, reference, program, category, site, title, description, rationale,
# impacts (quality, validation, regulatory), days ago raised, where it stands (a status,
# reached through the steps), conditions, implementation evidence or withdrawal reason.
CHANGES = [
    (NM, "CC-2026-041", "NWB-101", "supplier", "Meridian Boston",
     "Second supplier for the Protein A affinity resin",
     "Qualify MabSelect PrismA from a second distributor lot source as an alternative to the "
     "current single-source resin for the capture step of the Velarimab process.",
     "The current supplier put the resin on allocation for 2026; one supplier failure would "
     "stop the Boston campaigns.",
     ("Resin-use study at small scale shows equivalent HCP and DNA clearance; three "
      "comparability lots proposed.",
      "Column packing and lifetime studies to be repeated for the new resin lots.",
      "A prior-approval supplement is not expected; reported in the annual report."),
     12, "awaiting_decision", "", ""),
    (NM, "CC-2026-038", "NWB-101", "equipment", "Meridian Boston",
     "Like-for-like replacement of the suite 4 buffer hold tank",
     "Replace the 2,000 L buffer hold tank T-4103 with an identical unit from the same "
     "manufacturer, same steel grade and surface finish.",
     "Pitting found on the weld seam at the annual inspection.",
     ("None expected: same design, materials and cleaning cycle.",
      "IQ/OQ of the new tank; cleaning verification by TOC on the first three uses.",
      "No filing impact."),
     40, "closed", "", "IQ/OQ report EQ-4103-R2 approved; three TOC results below 50 ppb."),
    (NM, "CC-2026-032", "NWB-101", "specification", "Meridian Boston",
     "Tighter action limit for pre-filtration bioburden",
     "Lower the harvest pre-filtration bioburden action limit from 10 to 5 CFU/10 mL and add "
     "an alert level at 3 CFU/10 mL.",
     "Trend review after INV-0319 showed the old limit gave no early warning.",
     ("Improves control; no product change.", "No revalidation needed.",
      "Specification change to be notified to the agencies with the next variation."),
     70, "implemented", "",
     "SOP QC-114 rev. 9 effective; LIMS limits updated and verified on lot VLM-DS-24035."),
    (NM, "CC-2026-029", "NWB-204", "method", "Meridian Boston",
     "Transfer of the Torvacept SEC-HPLC method to a UHPLC column",
     "Move the size-exclusion method from the 30 cm HPLC column to a 15 cm UHPLC column "
     "with the same chemistry, cutting run time from 35 to 12 minutes.",
     "Throughput of the Boston QC laboratory ahead of the 2027 campaigns.",
     ("Equivalent resolution of monomer and HMW species shown in the feasibility study.",
      "Partial revalidation: specificity, precision, intermediate precision, robustness.",
      "Method change in the IND update for the Phase 3 material."),
     55, "approved_with_conditions",
     "Run both methods side by side on the next three release lots and send us the "
     "comparison before the HPLC method is retired.", ""),
    (NM, "CC-2026-044", "NWB-204", "process", "Meridian Boston",
     "Extended hold of the clarified harvest",
     "Extend the hold time of the Torvacept clarified harvest at 2–8 °C from 24 to 72 hours.",
     "Lets the purification suite run a five-day week.",
     ("Hold study data to 72 h pending; aggregation risk to be assessed.", "", ""),
     3, "draft", "", ""),
    (HM, "CC-2026-027", "HLX-12", "site", "Meridian Cambridge",
     "Second filling line for Helixumab drug product",
     "Add filling line F3 in building 2 of the Cambridge site for Helixumab commercial "
     "fills.",
     "Capacity for the 2027 demand forecast.",
     ("Line F3 is of the same design as F2; media fills required.",
      "Process validation of three consecutive lots on F3; three media fills.",
      "Post-approval change: prior-approval supplement in the US, type II variation in the "
      "EU."),
     48, "awaiting_decision", "", ""),
    (HM, "CC-2026-019", "HLX-12", "supplier", "Meridian Suzhou",
     "Alternative supplier of the polysorbate 80",
     "Source polysorbate 80 from a second compendial supplier.",
     "Price and lead time.",
     ("Peroxide levels of the new supplier's lots are higher than of the current ones.",
      "", ""),
     95, "rejected", "", ""),
    (HM, "CC-2026-024", "HLX-7", "equipment", "Meridian Cape Town",
     "Replacement of the conjugation reactor's temperature probe",
     "Replace the PT100 probe of reactor R-201 with the same model, calibrated on "
     "installation.",
     "The probe drifted 0.4 °C at the last calibration.",
     ("None: same model, calibrated.", "Calibration only.", "No filing impact."),
     8, "awaiting_acknowledgement", "", ""),
    (HM, "CC-2026-015", "HLX-12", "process", "Meridian Suzhou",
     "Lower the viral filtration flux",
     "Reduce the viral filter's flux set point from 150 to 120 L/m²/h.",
     "Fewer filter pluggings in the last six runs.", ("None expected.", "", ""),
     30, "withdrawn", "", "The filter vendor found a faulty filter lot; the flux stays."),
    (NA, "CC-AUR-2026-07", "NWB-101", "method", "Aurora Milan",
     "New reference standard lot for the potency bioassay",
     "Qualify reference standard lot RS-2026-02 against the current RS-2024-01 for the "
     "Velarimab cell-based potency assay.",
     "The current reference standard lot runs out in the first quarter.",
     ("Relative potency of the new lot 101 % (95 % CI 97–105 %).",
      "Bridging study of six independent runs.", "Reported in the annual report."),
     34, "approved", "", ""),
    (NA, "CC-AUR-2026-05", "NWB-101", "equipment", "Aurora Milan",
     "Additional HPLC system for release testing",
     "Install a second HPLC system of the same make and model for SEC and charge-variant "
     "release tests.",
     "Turnaround of release testing during the campaign peaks.",
     ("None: same make and model, same methods.", "IQ/OQ/PQ of the new system.",
      "No filing impact."),
     60, "acknowledged", "", ""),
]


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _at(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


#: How each state is reached from a draft, step by step (a decision is a signature).
PATHS = {
    "draft": [],
    "awaiting_decision": ["submit"],
    "awaiting_acknowledgement": ["submit"],
    "approved": ["submit", "sign:approved"],
    "approved_with_conditions": ["submit", "conditions", "sign:approved_with_conditions"],
    "rejected": ["submit", "sign:rejected"],
    "acknowledged": ["submit", "acknowledge"],
    "implemented": ["submit", "sign:approved", "implement"],
    "closed": ["submit", "acknowledge", "implement", "close"],
    "withdrawn": ["submit", "withdraw"],
}


def seed_changes() -> None:
    password = demo_password()
    for (pair, reference, code, category, site, title, description, rationale, impacts,
         days, stands, conditions, words) in CHANGES:
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        if ChangeControl.objects.filter(partnership=partnership, reference=reference).exists():
            continue
        raiser, cdmo_qa, sponsor_qa = (_person(email) for email in PEOPLE[pair])
        quality, validation, regulatory = impacts
        change = services.change_control_create(
            actor=raiser, partnership=partnership,
            program=Program.objects.get(partnership=partnership, code=code),
            site=Site.objects.get(name=site), reference=reference, category=category,
            title=title, description=description, rationale=rationale,
            impact_quality=quality, impact_validation=validation,
            impact_regulatory=regulatory,
            proposed_on=timezone.localdate() + datetime.timedelta(days=45 - days))
        for step in PATHS[stands]:
            if step == "submit":
                change = services.change_control_submit(actor=cdmo_qa, change=change)
            elif step == "conditions":
                change = services.change_control_set_conditions(
                    actor=sponsor_qa, change=change, decision_conditions=conditions)
            elif step.startswith("sign:"):
                sign(actor=sponsor_qa, record=change, event=step[5:], meaning="approval",
                     password=password)
                change.refresh_from_db()
            elif step == "acknowledge":
                change = services.change_control_acknowledge(actor=sponsor_qa, change=change)
            elif step == "implement":
                change = services.change_control_implement(
                    actor=raiser, change=change,
                    implemented_on=timezone.localdate() - datetime.timedelta(days=days // 3),
                    implementation_evidence=words)
            elif step == "close":
                change = services.change_control_close(actor=cdmo_qa, change=change)
            elif step == "withdraw":
                change = services.change_control_withdraw(actor=cdmo_qa, change=change,
                                                           reason=words)
        _backdate(change, days)


def _backdate(change: ChangeControl, days: int) -> None:
    """The times the services stamped, moved to when the work was done: raised `days` ago,
    submitted two days later (the decision due from then, as the agreement says), decided
    or acknowledged a fortnight after, closed a day after implementation."""
    change.refresh_from_db()
    submitted = _at(days - 2) if days > 2 else _at(0, 8)
    fields = {"created_at": _at(days, 9)}
    if change.submitted_at:
        fields["submitted_at"] = submitted
        if change.decision_due:
            allowed = change.agreement.change_decision_days if change.agreement else 30
            fields["decision_due"] = submitted.date() + datetime.timedelta(days=allowed)
    if change.decided_at:
        fields["decided_at"] = _at(max(days - 16, 1), 15)
    if change.acknowledged_at:
        fields["acknowledged_at"] = _at(max(days - 5, 1), 15)
    if change.closed_at:
        fields["closed_at"] = _at(max(days // 3 - 1, 0), 16)
    ChangeControl.objects.filter(pk=change.pk).update(**fields)


class Command(BaseCommand):
    help = "Seed the demo change controls (idempotent; run by seed_demo_governance)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_changes()
