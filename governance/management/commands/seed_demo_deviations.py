"""Demo quality agreements, deviations and CAPAs (run by seed_demo_governance; idempotent).

Every demo partnership makes GMP product or tests it, so each has a quality agreement with
its responsibility matrix: Helix–Meridian's and Northwind–Aurora's are written here the way
the portal has them written (the contract drafted and negotiated, the QA leads fill in the
matrix, both leads sign it); Northwind–Meridian's QA-NWM-01 was executed before the matrix
existed, so its matrix is recorded as signed on paper, and an amendment in negotiation
(Suzhou drug substance) carries its own matrix, being edited. Deviations are reported by the
CDMO through the services — on time, late, one still unnotified with its clock running, an
OOS at Aurora and a closure awaiting Quinn's approval there, a complaint at Helix–Meridian —
and CAPAs raised from them and from a finding of the slice-1 demo audits: on time, late, and
one verified by Quinn's signature. Times the services stamp are then moved to when things
happened, with QuerySet.update().

A rerun finds each record by its partnership and reference (or title) and leaves it.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from governance.models import Batch, Capa, Deviation, Finding, QualityAgreement, Responsibility
from governance.quality.agreement import services as agreements
from governance.quality.deviations import services
from partnership.contracts import services as contracts
from partnership.contracts.models import Contract
from partnership.history.context import recording
from partnership.management.commands.seed_demo import _agreed_text, demo_password
from partnership.models import Partnership, Signature, Site, User
from partnership.signatures.services import sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")
R, A, C, INF = "responsible", "approves", "consulted", "informed"

# activity -> (sponsor, CDMO), per partnership.
MATRICES = {
    NM: {"Supplier qualification and raw material testing": (INF, R),
         "Master batch record approval": (A, R),
         "Batch record review": (A, R),
         "Batch release / disposition": (R, C),
         "Stability programme": (A, R),
         "Complaints": (R, C),
         "Deviation investigation": (A, R),
         "OOS / OOT investigation": (INF, R),
         "Change control": (A, R),
         "Subcontracting": (A, R),
         "Regulatory inspections": (INF, R),
         "Recalls": (R, C),
         "Annual product quality review": (R, C)},
    # A testing lab: no batch records of its own; stability is run by both (an overlap the
    # QA leads have flagged for the next revision).
    NA: {"Supplier qualification and raw material testing": (R, INF),
         "Master batch record approval": (R, ""),
         "Batch record review": (R, ""),
         "Deviation investigation": (A, R),
         "Recalls": (R, ""),
         "Annual product quality review": (R, C),
         "Sample receipt and chain of custody": (INF, R),
         "Method transfer and validation": (A, R),
         "Release testing and CoA": (A, R),
         "Batch release / disposition": (R, INF),
         "Stability programme": (R, R),
         "OOS / OOT investigation": (A, R),
         "Data integrity and audit-trail review": (C, R),
         "Change control": (A, R),
         "Subcontracting": (A, R),
         "Regulatory inspections": (INF, R),
         "Complaints": (R, C)},
    # Recalls and the product quality review have no one responsible yet: gaps to close.
    HM: {"Supplier qualification and raw material testing": (INF, R),
         "Master batch record approval": (A, R),
         "Batch record review": (C, R),
         "Batch release / disposition": (R, C),
         "Stability programme": (A, R),
         "Complaints": (R, C),
         "Deviation investigation": (INF, R),
         "Change control": (A, R),
         "Subcontracting": (A, R),
         "Regulatory inspections": (INF, R),
         "Recalls": (INF, INF),
         "Annual product quality review": (C, C)},
}
# partnership: (reference, title, parent, effective date, critical h, major d, minor d,
# closure needs the sponsor QA lead's approval)
AGREEMENTS = {
    NM: ("QA-NWM-01", None, None, None, 24, 3, 30, True),
    NA: ("QA-NWA-01", "Quality agreement (release and stability testing)", "MSA-NWA-2025",
         datetime.date(2025, 1, 15), 24, 2, 14, True),
    HM: ("QA-HLX-MER", "Quality agreement (drug substance and fill-finish)", "MSA-HLX-MER",
         datetime.date(2023, 7, 1), 48, 5, 30, False),
}
AMENDMENT = ("QA-NWM-01-A1", "Quality agreement amendment 1: Suzhou drug substance")

# partnership, reference, site, lot (linked to the demo batch of that number where there is
# one, seed_demo_batches; else kept as the lot's number), kind, class, title, description,
# detected (days
# ago), notified (days after detection; None: not yet), stage, investigation, root cause,
# product impact
DEVIATIONS = [
    (NM, "DEV-2291", "Meridian Cambridge", "P-0412", "deviation", "major",
     "Fill weight above the action limit on filling line F2",
     "In-process check-weighing of NWB-101 drug product lot P-0412 found three consecutive "
     "samples above the upper action limit (1.12 mL against 1.10 mL). Filling was stopped "
     "at 14:20, the line cleared and 1,840 vials filled since the last passing check "
     "segregated.", 40, 1.5, "investigating",
     "Check-weigher F2-CW1 found 0.6 % high against the reference weights; the last "
     "calibration was 11 weeks earlier. Two similar excursions on lots P-0411 and P-0413 "
     "reviewed as part of the same investigation.", "", ""),
    (NM, "DEV-2231", "Meridian Boston", "DS-0002", "deviation", "minor",
     "Chromatogram reintegrations without recorded justification",
     "During data review for NWB-101 drug substance lot DS-0002, two manual reintegrations "
     "of the SEC main peak were found with no reason recorded in Empower.", 170, 50,
     "closed",
     "Both reintegrations re-processed by a second analyst with the validated method "
     "parameters; results unchanged within 0.1 %.",
     "The review template did not require the audit trail to be read before approval.",
     "None: lot DS-0002 results confirmed; release decision stands."),
    (NM, "DEV-2305", "Meridian Boston", "DS-0107", "deviation", "critical",
     "Bioreactor 3 temperature excursion during the production culture",
     "The temperature of bioreactor BR-3 rose to 39.4 °C for 47 minutes on day 9 of the "
     "NWB-101 production culture after a chilled-water valve failed. Culture continues "
     "under hold; samples taken for viability and titre.", 0.25, None, "open", "", "", ""),
    (NA, "OOS-0412", "Aurora Milan", "NWB-101 DS lot 4", "oos", "major",
     "Potency out of specification at the 12-month stability pull",
     "Cell-based potency of the 12-month 5 °C sample of drug substance lot 4 read 74 % "
     "against a specification of 80–125 %. Phase I laboratory investigation opened; "
     "retained samples secured.", 12, 1, "investigating",
     "Phase I: no assignable laboratory error (analyst, cells, reference curve, "
     "calculations checked). Phase II with the sponsor on the reference standard's "
     "potency assignment.", "", ""),
    (NA, "OOT-0398", "Aurora Milan", "NWB-101 DS lot 3", "oot", "minor",
     "Rising aggregate trend by SEC at 9 months",
     "High-molecular-weight species by SEC rose from 0.8 % to 1.3 % between 6 and 9 "
     "months at 25 °C, outside the trend limit of the stability protocol (within "
     "specification).", 60, 5, "closed",
     "Trend confirmed by re-injection and an orthogonal AUC-SV run.",
     "Expected degradation at the accelerated condition; the trend limit was set on "
     "too few development lots.",
     "None on product quality; trend limits to be recalculated with 4 lots."),
    (NA, "DEV-A-0227", "Aurora Milan", "NWB-101 DS lot 5", "deviation", "minor",
     "Humidity excursion in stability chamber C-04",
     "The monitoring system recorded up to 71 % RH for 5 h 40 min overnight in chamber C-04 "
     "(25 °C / 60 % RH ± 5 %), which holds the 6-month samples of NWB-101 drug substance "
     "lot 5. The alarm reached the on-call technician by e-mail only; the samples stayed "
     "in the chamber.", 25, 3, "closure_requested",
     "Humidifier valve HV-04 found sticking open and replaced the next morning; the chamber "
     "re-mapped over 48 h within limits. The excursion assessed against the lot's data at "
     "the intermediate condition (30 °C / 65 % RH).",
     "The humidifier valve had no preventive-maintenance interval, and the alarm's "
     "escalation by phone had been switched off by a monitoring software update in May.",
     "None: the excursion lies within conditions covered by the 30 °C / 65 % RH data; the "
     "6-month pull goes ahead as scheduled."),
    (HM, "DEV-3102", "Meridian Cape Town", "H-7", "deviation", "critical",
     "Sterility test positive on lot H-7",
     "One of 20 media containers of the sterility test of HLX-7 lot H-7 showed growth on "
     "day 12. Lot quarantined; the organism sent for identification; retest not "
     "permitted until the laboratory investigation is complete.", 4, 2.5, "investigating",
     "Identification: Staphylococcus epidermidis. Isolator glove integrity test of "
     "14 days earlier reviewed; EM of the test suite on the day shows one Grade A action.",
     "", ""),
    (HM, "CMP-0015", "Meridian Cape Town", "H-5", "complaint", "minor",
     "Cracked vials reported by a clinical site",
     "A clinical site in Lyon reported two cracked vials in a shipper of lot H-5, found at "
     "receipt; no product administered. Photographs and the shipper returned.", 30, 1,
     "closed",
     "Retained samples and 200 vials of the same shipment inspected: no defect. Drop "
     "test of the shipper configuration repeated.",
     "The shipper insert allowed vials to touch when the shipper was dropped on its edge.",
     "None on the lot; the two vials were quarantined and destroyed at the site."),
]

# partnership, source (deviation reference, or the title of a finding), title, owner,
# root cause, plan, due (days from today), stage, effectiveness evidence, verifier
CAPAS = [
    (NM, "Audit trails of the Empower CDS not reviewed before release",
     "Audit-trail review built into the Empower review template",
     "ravi@meridian.example",
     "SOP-QC-118 did not say when in the review the audit trail is read, and the review "
     "template had no such step.",
     "Mandatory audit-trail section in the template (done 4 June); 14 reviewers retrained; "
     "quarterly check of 10 data packages for a year.", -60, "verified",
     "Quarterly checks of 40 data packages since: every audit trail reviewed before "
     "approval; no unexplained reintegration found.", "quinn@northwind.example"),
    (NM, "DEV-2291", "Recalibrate the F2 check-weigher and shorten its interval",
     "ravi@meridian.example",
     "Calibration interval of 12 weeks too long for the drift of check-weigher F2-CW1.",
     "Recalibrate F2-CW1 (done); monthly calibration in SOP-EN-044 rev. 5; trend the "
     "check-weigher's reference-weight results weekly for 3 months.", 20, "in_progress",
     "", None),
    (NM, "DEV-2231", "Justification mandatory for every manual reintegration",
     "ravi@meridian.example",
     "Empower allowed a manual reintegration to be saved without a reason.",
     "Configure Empower to require a reason code; update SOP-QC-121; retrain analysts.",
     -10, "open", "", None),
    (NA, "OOS-0412", "Requalify the potency assay's reference curve",
     "ari@aurora.example",
     "Phase II pending; the reference standard's potency assignment is the leading "
     "hypothesis.",
     "Re-assign the working reference standard against the primary; repeat the 12-month "
     "test in duplicate by two analysts.", -5, "in_progress", "", None),
    (HM, "CMP-0015", "Redesign the shipper insert for 2R vials", "max@meridian.example",
     "The shipper insert allowed vials to touch when dropped on its edge.",
     "New insert with individual cells; ISTA 3A drop test of the new configuration; "
     "shipping SOP updated.", -3, "implemented",
     "ISTA 3A test passed with no breakage; three shipments since without a complaint.",
     None),
]


def _partnership(pair) -> Partnership:
    return Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _acting(partnership: Partnership, party: str, roles=("qa_lead",)) -> User:
    """The party's QA lead here, or its lead where it seats none."""
    for role in (*roles, "lead"):
        person = User.objects.filter(
            organization_id=partnership.organization_id_of(party),
            memberships__partnership=partnership, memberships__role=role).order_by(
            "pk").first()
        if person is not None:
            return person
    raise LookupError(f"No one acts for the {party} in {partnership}")


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _cells(agreement: QualityAgreement, pair) -> dict:
    rows = {row.activity: row.pk for row in agreement.responsibilities.all()}
    return {rows[activity]: parts for activity, parts in MATRICES[pair].items()
            if activity in rows}


def _matrix_rows(agreement: QualityAgreement, pair) -> None:
    """The matrix of an agreement signed before the portal had one, recorded as signed."""
    with recording(reason="Demo: the responsibility matrix as signed on paper"):
        Responsibility.objects.bulk_create(
            Responsibility(partnership=agreement.partnership, agreement=agreement,
                           position=position, activity=activity, sponsor=sponsor, cdmo=cdmo)
            for position, (activity, (sponsor, cdmo)) in enumerate(MATRICES[pair].items(), 1))


def seed_agreements(password: str) -> None:
    for pair, (reference, title, parent, effective, hours, major, minor, approval) in \
            AGREEMENTS.items():
        partnership = _partnership(pair)
        contract = Contract.objects.filter(partnership=partnership, reference=reference).first()
        if contract is not None and QualityAgreement.objects.filter(contract=contract).exists():
            continue
        terms = {"critical_notice_hours": hours, "major_notice_days": major,
                 "minor_notice_days": minor, "closure_needs_sponsor_approval": approval}
        if contract is not None:  # executed before the matrix existed (QA-NWM-01)
            with recording(reason="Demo: the quality terms as signed on paper"):
                agreement = QualityAgreement.objects.create(partnership=partnership,
                                                            contract=contract, **terms)
            _matrix_rows(agreement, pair)
            continue
        sponsor_lead, cdmo_lead = (_acting(partnership, party, roles=()) for party in
                                   ("sponsor", "cdmo"))
        contract = contracts.contract_create(
            actor=sponsor_lead, partnership=partnership, kind="quality_agreement",
            reference=reference, title=title, effective_date=effective,
            parent=Contract.objects.get(partnership=partnership, reference=parent))
        contract = contracts.contract_transition(actor=sponsor_lead, contract=contract,
                                                 status="negotiation")
        agreement = agreements.quality_agreement_create(
            actor=_acting(partnership, "sponsor"), partnership=partnership, contract=contract,
            **terms)
        # The standard rows the matrix starts with, and the partnership's own, filled in.
        extra = [activity for activity in MATRICES[pair]
                 if not agreement.responsibilities.filter(activity=activity).exists()]
        for activity in extra:
            agreement = agreements.quality_agreement_update(
                actor=_acting(partnership, "cdmo"), agreement=agreement, new_activity=activity)
        agreement = agreements.quality_agreement_update(
            actor=_acting(partnership, "cdmo"), agreement=agreement,
            cells=_cells(agreement, pair))
        contracts.contract_document_upload(
            actor=sponsor_lead, contract=contract,
            file=ContentFile(_agreed_text(contract), name=f"{reference} final.pdf"))
        for party, person in (("sponsor", sponsor_lead), ("cdmo", cdmo_lead)):
            sign(actor=person, record=contract, event="executed",
                 meaning="approval" if party == "sponsor" else "responsibility",
                 password=password)
    # Northwind–Meridian's amendment: its own matrix, being written by the QA leads.
    partnership = _partnership(NM)
    if not Contract.objects.filter(partnership=partnership, reference=AMENDMENT[0]).exists():
        nora = _acting(partnership, "sponsor", roles=())
        amendment = contracts.contract_create(
            actor=nora, partnership=partnership, kind="amendment", reference=AMENDMENT[0],
            title=AMENDMENT[1],
            parent=Contract.objects.get(partnership=partnership, reference="QA-NWM-01"))
        amendment = contracts.contract_transition(actor=nora, contract=amendment,
                                                  status="negotiation")
        agreement = agreements.quality_agreement_create(
            actor=_person("quinn@northwind.example"), partnership=partnership,
            contract=amendment)
        agreements.quality_agreement_update(
            actor=_person("ravi@meridian.example"), agreement=agreement,
            new_activity="Transfer of drug substance between Meridian sites")


def seed_deviations() -> None:
    for pair, reference, site, lot, kind, classification, title, description, detected, \
            notified, stage, investigation, root_cause, impact in DEVIATIONS:
        partnership = _partnership(pair)
        batch = Batch.objects.filter(partnership=partnership, lot_number=lot).first()
        existing = Deviation.objects.filter(partnership=partnership, reference=reference)
        if existing.exists():  # a rerun: link a deviation seeded before its lot was a batch
            if batch is not None:
                with recording(reason="Demo: the lot recorded as a batch"):
                    existing.filter(batch__isnull=True).update(batch=batch, lot="")
            continue
        reporter, cdmo_qa = _acting(partnership, "cdmo", roles=("member",)), \
            _acting(partnership, "cdmo")
        detected_at = _ago(detected)
        deviation = services.deviation_report(
            actor=reporter, partnership=partnership, reference=reference,
            site=Site.objects.get(name=site), batch=batch, lot="" if batch else lot, kind=kind,
            classification=classification, title=title, description=description,
            detected_at=detected_at, notify_sponsor=False,
            sponsor_notified_at=None if notified is None else
            detected_at + datetime.timedelta(days=notified))
        if stage == "open":
            continue
        deviation = services.deviation_investigate(actor=cdmo_qa, deviation=deviation)
        deviation = services.deviation_investigation_write(
            actor=cdmo_qa, deviation=deviation, investigation=investigation,
            root_cause=root_cause, product_impact=impact)
        if stage == "closure_requested":
            deviation = services.deviation_request_closure(actor=cdmo_qa, deviation=deviation)
        if stage == "closed":
            if deviation.closure_needs_approval:
                deviation = services.deviation_request_closure(actor=cdmo_qa,
                                                               deviation=deviation)
                deviation = services.deviation_approve_closure(
                    actor=_acting(partnership, "sponsor"), deviation=deviation,
                    review_note="Root cause and impact assessment accepted.")
            else:
                deviation = services.deviation_close(actor=cdmo_qa, deviation=deviation)
        Deviation.objects.filter(pk=deviation.pk).update(
            created_at=deviation.sponsor_notified_at or detected_at,
            closed_at=_ago(detected - 20) if deviation.closed_at else None)


def seed_capas(password: str) -> None:
    today = timezone.localdate()
    for pair, source, title, owner, cause, plan, due, stage, evidence, verifier in CAPAS:
        partnership = _partnership(pair)
        if Capa.objects.filter(partnership=partnership, title=title).exists():
            continue
        deviation = Deviation.objects.filter(partnership=partnership, reference=source).first()
        finding = None if deviation else Finding.objects.filter(
            partnership=partnership, title=source).first()
        if deviation is None and finding is None:
            continue
        owner = _person(owner)
        capa = services.capa_create(
            actor=owner, partnership=partnership, deviation=deviation, finding=finding,
            title=title, root_cause=cause, action_plan=plan, owner=owner,
            due_date=today + datetime.timedelta(days=due))
        if stage != "open":
            capa = services.capa_start(actor=owner, capa=capa)
        if stage in ("implemented", "verified"):
            capa = services.capa_implement(actor=owner, capa=capa,
                                           effectiveness_evidence=evidence)
        if stage == "verified":
            sign(actor=_person(verifier), record=capa, event="effectiveness_verified",
                 meaning="approval", password=password)
            Signature.objects.filter(content_type=ContentType.objects.get_for_model(Capa),
                                     object_id=capa.pk).update(signed_at=_ago(-due - 30))
            Capa.objects.filter(pk=capa.pk).update(verified_at=_ago(-due - 30))
        Capa.objects.filter(pk=capa.pk).update(
            created_at=_ago(-due + 60),
            implemented_at=_ago(-due + 5) if stage in ("implemented", "verified") else None)


def seed_quality_records() -> None:
    password = demo_password()
    seed_agreements(password)
    seed_deviations()
    seed_capas(password)


class Command(BaseCommand):
    help = "Create the demo quality agreements, deviations and CAPAs (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_quality_records()
