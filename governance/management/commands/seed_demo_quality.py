"""Demo audits of Meridian's and Aurora's sites (run by seed_demo_governance; idempotent):
one closed with its findings answered and accepted, one running or awaiting responses, one
planned, at each CDMO (and at Meridian a desk-based review awaiting its responses, and Cape
Town's routine audit of two years ago, so its re-audit falls due) — written through the
services by the people whose step each is (Quinn plans and audits for Northwind, Ravi
confirms and answers for Meridian, Ari for Aurora, which seats no QA lead), then dated into
the past with QuerySet.update().

A rerun finds each audit by its partnership and scope and leaves it as it is.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from governance.meetings.services import meeting_record_minutes
from governance.models import Audit, Finding
from governance.quality import services
from partnership.management.commands.seed_demo import demo_password
from partnership.models import Partnership, Signature, Site, User
from partnership.signatures.services import sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")

# partnership, site, kind, scope, days from today to its start, length in days, the stage
# it reaches, lead auditor, team, host, CDMO's answerer, agenda, report, findings: class,
# title, requirement, evidence, days to respond, response, sent back first because.
AUDITS = [
    (NM, "Meridian Boston", "routine",
     "Drug substance manufacture of NWB-101 (upstream suites 3–4, downstream purification), "
     "QC release testing and the computerised systems that support them.",
     -160, 3, "closed", "quinn@northwind.example", [], "tomas@meridian.example",
     "ravi@meridian.example",
     "Day 1: opening meeting, site tour of suites 3–4, batch record review of DS lots 1–2.\n"
     "Day 2: QC laboratory, Empower audit trails, stability programme.\n"
     "Day 3: warehouse, pest control, closing meeting.",
     "Manufacture and testing of NWB-101 drug substance are under control. One major finding "
     "on the review of chromatography audit trails; two minor points. The site remains "
     "approved for NWB-101 drug substance.",
     [("major", "Audit trails of the Empower CDS not reviewed before release",
       "EU GMP Annex 11 §9; MHRA GxP Data Integrity Guidance §6.13",
       "For DS lots 1 and 2 the reviewer signed the release data package without reviewing "
       "the Empower audit trail (SOP-QC-118 requires it). Two reintegrations of the SEC "
       "main peak on lot 2 had no recorded justification.",
       30, "Root cause: SOP-QC-118 did not say when in the review the audit trail is read, "
           "and the Empower review template had no such step. The template now has a "
           "mandatory audit-trail section; 14 reviewers were retrained on 4 June. The two "
           "reintegrations were justified retrospectively under deviation DEV-2231. "
           "CAPA-0388 adds a quarterly check of 10 data packages for a year.",
       "The response names the correction but no check that it works: how will you know "
       "reviewers now read the audit trail?"),
      ("minor", "Pest-control bait station plan not updated after the warehouse extension",
       "EU GMP Chapter 3.4; SOP-FM-021",
       "Stations 41–48 in the new cold-store annexe were not on the plan; the contractor's "
       "last two reports did not cover them.",
       45, "Plan revised (rev. 7) and stations 41–48 added to the contractor's route from "
           "the June visit; reports now list every station.", ""),
      ("observation", "Line clearance form allows a tick without the room's ID",
       "SOP-PR-004", "Several forms in suite 4 carried ticks but no room identifier.", None,
       "", "")]),
    (NM, "Meridian Cambridge", "for_cause",
     "For-cause audit after three fill-weight excursions on filling line F2 (NWB-101 drug "
     "product lots P-0411 to P-0413): line F2, its environmental monitoring and the "
     "investigation of the excursions.",
     -1, 3, "in_progress", "quinn@northwind.example", ["nora@northwind.example"],
     "ravi@meridian.example", "ravi@meridian.example",
     "Day 1: the three deviations and their investigation (DEV-2291 in full).\n"
     "Day 2: line F2 in operation, smoke studies, EM trends.\nDay 3: closing meeting.",
     "",
     [("critical", "No airflow visualisation on line F2 after the HVAC change",
       "EU GMP Annex 1 §4.14 and §9.17",
       "The HEPA filter bank of room F2-A was replaced in March (change control CC-1187); "
       "no smoke study followed before filling resumed. The last study on file is from "
       "2025.", 15, "", ""),
      ("minor", "EM trend report for Grade B rooms two months late",
       "EU GMP Annex 1 §9.31; SOP-QC-207",
       "The Q1 trend report was approved on 28 May, due by the end of March.", 30, "", "")]),
    (NM, "Meridian Suzhou", "qualification",
     "Qualification of the Suzhou site for NWB-101 drug substance before the 2027 campaign: "
     "quality system, facility and utilities, the process transfer and the QC laboratory.",
     40, 3, "planned", "quinn@northwind.example", [], "ravi@meridian.example",
     "ravi@meridian.example", "To be agreed with the site once the dates are confirmed.",
     "", []),
    # The routine audit of Cape Town nearly two years ago: its re-audit falls due before
    # the site closes (NWB-204 clinical supply runs there until its transfer).
    (NM, "Meridian Cape Town", "routine",
     "Routine GMP audit of the fill-finish and packaging of NWB-204 clinical supply: aseptic "
     "filling line C1 and its media fills, 100 % visual inspection, labelling and the "
     "packaging of randomised clinical kits.",
     -700, 2, "closed", "quinn@northwind.example", [], "tomas@meridian.example",
     "ravi@meridian.example",
     "Day 1: opening meeting, filling line C1, the last three media fills, EM trends.\n"
     "Day 2: visual inspection booths, label reconciliation, kit packaging, closing meeting.",
     "Fill-finish and packaging of NWB-204 clinical supply are under control. One minor "
     "finding on the reconciliation of clinical labels; the site remains approved for "
     "fill-finish and packaging of NWB-204.",
     [("minor", "Label reconciliation limit not justified for clinical kits",
       "EU GMP Annex 13 §33; EU GMP Chapter 5.56",
       "SOP-PK-014 accepts a 0.5 % difference between clinical labels issued and used "
       "without investigation; the limit was copied from commercial packaging and never "
       "justified for randomised kits, where one stray label can unblind a patient.", 30,
       "SOP-PK-014 rev. 5: any difference in the reconciliation of clinical labels is "
       "investigated before the kits are released; both campaigns packed since reconciled "
       "to zero.", ""),
      ("observation", "Light checks of the inspection booths omit the lux meter's ID",
       "SOP-QC-051",
       "The daily checks of booths VI-2 and VI-3 record the readings but not which of the "
       "two lux meters took them.", None, "", "")]),
    # A desk-based review whose report is out and whose answers Ravi owes (one overdue).
    (NM, "Meridian Boston", "remote",
     "Desk-based review of the qualification of the new Protein A resin supplier for "
     "NWB-101 drug substance: the supplier's questionnaire and certificates, the "
     "comparability data of three resin lots and the change's risk assessment.",
     -16, 1, "report_issued", "quinn@northwind.example", [], "ravi@meridian.example",
     "ravi@meridian.example",
     "Documents requested: the supplier qualification file, the resin comparability "
     "protocol and report, SOP-QA-040 (supplier qualification) and the incoming-goods "
     "specification RM-0872.",
     "The comparability of three resin lots supports the change of supplier, but the "
     "supplier's own quality system was never assessed. Two findings; Meridian's responses "
     "are due as stated.",
     [("major", "Critical raw material supplier approved on a questionnaire alone",
       "ICH Q7 §7.11–7.12; EU GMP Chapter 5.29",
       "The Protein A resin supplier was approved on its questionnaire and three "
       "certificates of analysis. SOP-QA-040 classes chromatography resins as critical and "
       "requires an audit of the supplier before approval; none was done or planned.", 14,
       "", ""),
      ("minor", "Reduced incoming testing of the resin started too early",
       "EU GMP Chapter 5.35; SOP-QC-150",
       "Identity-only testing was applied from the second resin lot; SOP-QC-150 requires "
       "full testing of three consecutive lots before testing is reduced.", 30, "", "")]),
    (NA, "Aurora Milan", "qualification",
     "Qualification of Aurora Milan as the testing laboratory for NWB-101 release and "
     "stability: laboratory controls, method transfer, stability chambers and data "
     "integrity.",
     -300, 2, "closed", "quinn@northwind.example", [], "ari@aurora.example",
     "ari@aurora.example",
     "Day 1: quality system, training, method transfer reports.\n"
     "Day 2: stability chambers, HPLC audit trails, closing meeting.",
     "Aurora Milan is approved for release and stability testing of NWB-101, with one minor "
     "finding on chamber mapping.",
     [("minor", "Stability chamber C-07 mapped empty only",
       "ICH Q1A(R2) §2.1.11; WHO TRS 961 Annex 9 Supplement 8",
       "Chamber C-07 was qualified with an empty-chamber mapping; no loaded mapping was on "
       "file although it runs at 80 % capacity.", 45,
       "Loaded mapping of C-07 done on 14 February at 85 % load; all probes within "
       "25 ± 2 °C / 60 ± 5 % RH. SOP-ENG-033 now requires loaded mapping at qualification.",
       ""),
      ("observation", "Logbooks of the balances kept in two places", "SOP-QC-002",
       "Daily checks of balances B-11 and B-12 are written both on paper and in LIMS.",
       None, "", "")]),
    (NA, "Aurora Milan", "remote",
     "Desk-based review of the OOS investigation of NWB-101 stability sample T12 (assay "
     "94.1 %, specification 95.0–105.0 %) and of the laboratory's OOS procedure.",
     -12, 1, "report_issued", "quinn@northwind.example", [], "ari@aurora.example",
     "ari@aurora.example", "Documents requested: OOS-2026-014 in full, SOP-QC-310, the raw "
     "data and audit trails of the original and repeat runs.",
     "The OOS investigation of T12 invalidated the original result without an assignable "
     "laboratory cause. The conclusion of OOS-2026-014 is not supported; a full-scale "
     "investigation is required.",
     [("major", "OOS result invalidated without an assignable laboratory cause",
       "21 CFR 211.192; FDA Guidance for Industry: Investigating OOS Test Results (2022)",
       "OOS-2026-014 retested T12 six times and reported the mean of the passing retests. "
       "Phase I found no laboratory error; the original result was nevertheless "
       "invalidated.", 20, "", ""),
      ("minor", "SOP-QC-310 allows retesting without a cap",
       "FDA Guidance for Industry: Investigating OOS Test Results, §IV.B",
       "The procedure sets no maximum number of retests and no prior approval by QA.", 30,
       "", "")]),
]


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _past(days: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC)


def _opening_minutes(audit: Audit) -> str:
    if audit.kind == "remote":
        return (f"Opening call of the desk-based review of {audit.site.name}: scope "
                f"confirmed; {audit.host} went through the documents sent in advance and named "
                "who answers follow-up questions, in writing within two working days.")
    return (f"Opening meeting at {audit.site.name}: scope and agenda confirmed, {audit.host} "
            "walked the team through the site's QA organization and the documents requested "
            "in advance; daily wrap-ups at 16:00.")


def _closing_minutes(audit: Audit, findings) -> str:
    """What the closing meeting went through: this audit's own findings, by class."""
    classes = [classification for classification, *_rest in findings]
    counted = ", ".join(f"{classes.count(c)} {c}" for c in dict.fromkeys(classes))
    where = f"Closing call of the desk-based review of {audit.site.name}" \
        if audit.kind == "remote" else f"Closing meeting at {audit.site.name}"
    return (f"{where}: the findings presented and discussed one by one ({counted}); "
            "classification agreed, the report to follow within 30 days and responses due as "
            "stated in it.")


def seed_audits(today: datetime.date) -> None:
    password = demo_password()
    for (pair, site, kind, scope, start, length, stage, lead, team, host, answerer, agenda,
         report, findings) in AUDITS:
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        if Audit.objects.filter(partnership=partnership, scope=scope).exists():
            continue
        planner, lead, answerer = _person("quinn@northwind.example"), _person(lead), \
            _person(answerer)
        first = today + datetime.timedelta(days=start)
        audit = services.audit_plan(
            actor=planner, partnership=partnership,
            site=Site.objects.get(name=site), kind=kind, scope=scope, planned_start=first,
            planned_end=first + datetime.timedelta(days=length - 1), lead_auditor=lead,
            team=[_person(email) for email in team], host=_person(host), agenda=agenda)
        if stage == "planned":
            continue
        audit = services.audit_confirm(actor=answerer, audit=audit)
        audit = services.audit_start(actor=lead, audit=audit)
        # Held meetings have their minutes (what the demo's meeting pages promise).
        meeting_record_minutes(actor=lead, meeting=audit.opening_meeting,
                               minutes=_opening_minutes(audit))
        if stage != "in_progress":
            meeting_record_minutes(actor=lead, meeting=audit.closing_meeting,
                                   minutes=_closing_minutes(audit, findings))
        raised = [services.finding_raise(
            actor=lead, audit=audit, classification=classification, title=title,
            requirement=requirement, evidence=evidence,
            response_due=(first + datetime.timedelta(days=length + due)) if due else None)
            for classification, title, requirement, evidence, due, _r, _b in findings]
        if stage == "in_progress":
            _backdate(audit, first, length)
            continue
        services.audit_report_write(actor=lead, audit=audit, report_summary=report)
        sign(actor=lead, record=audit, event="report_issued", meaning="approval",
             password=password)
        if stage == "closed":
            for finding, (*_f, response, sent_back) in zip(raised, findings, strict=True):
                if not response:
                    continue
                if sent_back:
                    finding = services.finding_respond(
                        actor=answerer, finding=finding,
                        response=response.split(". ")[0] + ".")
                    finding = services.finding_send_back(actor=lead, finding=finding,
                                                         review_note=sent_back)
                finding = services.finding_respond(actor=answerer, finding=finding,
                                                   response=response)
                services.finding_accept(actor=lead, finding=finding)
            audit = services.audit_submit_responses(actor=answerer, audit=audit)
            services.audit_close(actor=lead, audit=audit)
        _backdate(audit, first, length)


def _backdate(audit: Audit, first: datetime.date, length: int) -> None:
    """The times the services stamped, moved to when the audit really happened: planned six
    weeks ahead, confirmed a week later, the report two weeks after the last day, the
    responses within their due dates, closed a week after the last."""
    offset = (first - timezone.localdate()).days
    end = offset + length
    audit.refresh_from_db()
    Audit.objects.filter(pk=audit.pk).update(
        created_at=_past(offset - 42), confirmed_at=_past(offset - 35),
        report_issued_at=_past(end + 14) if audit.report_issued_at else None,
        closed_at=_past(end + 60) if audit.closed_at else None)
    for finding in audit.findings.all():
        Finding.objects.filter(pk=finding.pk).update(
            raised_at=_past(offset + min(finding.number, length - 1), 15),
            responded_at=_past(end + 28 + finding.number) if finding.responded_at else None,
            reviewed_at=_past(end + 40 + finding.number) if finding.reviewed_at else None)
    Signature.objects.filter(content_type=ContentType.objects.get_for_model(Audit),
                             object_id=audit.pk).update(signed_at=_past(end + 14))


class Command(BaseCommand):
    help = "Create the demo audits and findings (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_audits(timezone.localdate())
