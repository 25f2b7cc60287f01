"""Demo data: the cast every feature's demo builds on (README, Demo logins).

The records are written through the services, by the demo's own people, so the demo obeys
the rules users do (who may write what, each party's fields, the workflows); only what no
service writes is written directly: organizations, partnerships, sites and people (the
operators' data) and where the demo starts from (the ranking before the first change).

Idempotent: run it again and it adds what is missing (people and their seats, contacts,
plans and escalation paths are set again) instead of adding duplicates. One sponsor's
programs and people never appear in another sponsor's partnership.
"""

import datetime
import io
import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from partnership.accounts import demo as accounts_demo
from partnership.communication import services as communication
from partnership.communication.models import EscalationLevel
from partnership.contracts import services as contracts
from partnership.contracts.models import Contract, Program
from partnership.deliverables import services as deliverables
from partnership.deliverables.models import (
    AcceptanceCriterion,
    Deliverable,
    DeliverableReview,
)
from partnership.history.context import recording
from partnership.notifications.models import Notification
from partnership.objectives import services as objectives
from partnership.objectives.models import Objective, Priority, PriorityChange
from partnership.parties import services as parties
from partnership.parties.models import (
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
)
from partnership.signatures.models import Signature
from partnership.signatures.services import is_complete, sign
from partnership.techtransfer import services as techtransfer
from partnership.techtransfer.models import Milestone, TechTransfer

D = datetime.date

ORGANIZATIONS = {
    "Northwind Biologics": "sponsor",
    "Helix Therapeutics": "sponsor",
    "Meridian Biomanufacturing": "cdmo",
    "Aurora Analytical Labs": "cdmo",
}

# Each organization's verified e-mail domain: its admins invite colleagues there only.
DOMAINS = {
    "northwind.example": "Northwind Biologics",
    "helix.example": "Helix Therapeutics",
    "meridian.example": "Meridian Biomanufacturing",
    "aurora.example": "Aurora Analytical Labs",
}

SITES = [
    # organization, name, country, city, time zone, capabilities
    ("Meridian Biomanufacturing", "Meridian Boston", "United States", "Boston",
     "America/New_York", ["drug_substance", "analytical"]),
    ("Meridian Biomanufacturing", "Meridian Cambridge", "United Kingdom", "Cambridge",
     "Europe/London", ["drug_product", "fill_finish"]),
    ("Meridian Biomanufacturing", "Meridian Suzhou", "China", "Suzhou",
     "Asia/Shanghai", ["drug_substance", "packaging"]),
    # Cape Town's high-containment suite conjugates antibody–drug conjugates (their drug
    # substance) and fills them.
    ("Meridian Biomanufacturing", "Meridian Cape Town", "South Africa", "Cape Town",
     "Africa/Johannesburg", ["drug_substance", "fill_finish", "packaging"]),
    ("Aurora Analytical Labs", "Aurora Milan", "Italy", "Milan",
     "Europe/Rome", ["analytical"]),
    ("Northwind Biologics", "Northwind Basel", "Switzerland", "Basel",
     "Europe/Zurich", ["analytical"]),
    ("Helix Therapeutics", "Helix San Diego", "United States", "San Diego",
     "America/Los_Angeles", ["analytical"]),
]

PARTNERSHIPS = {
    ("Northwind Biologics", "Meridian Biomanufacturing"):
        "Clinical and commercial supply of Northwind's biologics.",
    ("Northwind Biologics", "Aurora Analytical Labs"):
        "Release and stability testing for Northwind's programs.",
    ("Helix Therapeutics", "Meridian Biomanufacturing"):
        "Drug substance, conjugation and fill-finish for Helix's oncology portfolio.",
}
NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")

PEOPLE = [
    # e-mail, first, last, title, organization, org admin, time zone, seats
    ("nora@northwind.example", "Nora", "Lindqvist", "Alliance manager", "Northwind Biologics",
     True, "Europe/Zurich", [(NM, "lead"), (NA, "lead")]),
    ("quinn@northwind.example", "Quinn", "Okafor", "Head of external quality",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "qa_lead"), (NA, "qa_lead")]),
    ("sam@northwind.example", "Sam", "Whitaker", "VP technical operations",
     "Northwind Biologics", False, "America/New_York", [(NM, "steering"), (NA, "steering")]),
    ("hana@helix.example", "Hana", "Sato", "External manufacturing lead", "Helix Therapeutics",
     True, "America/Los_Angeles", [(HM, "lead")]),
    ("mei@meridian.example", "Mei", "Chen", "Project manager", "Meridian Biomanufacturing",
     False, "America/New_York", [(NM, "lead")]),
    ("ravi@meridian.example", "Ravi", "Iyer", "Head of quality assurance",
     "Meridian Biomanufacturing",
     False, "Europe/London", [(NM, "qa_lead")]),
    ("tomas@meridian.example", "Tomas", "Berg", "Supply planner", "Meridian Biomanufacturing",
     False, "Europe/London", [(NM, "member")]),
    ("max@meridian.example", "Max", "Keller", "Project manager", "Meridian Biomanufacturing",
     False, "Asia/Shanghai", [(HM, "lead")]),
    ("olga@meridian.example", "Olga", "Petrova", "Head of client services",
     "Meridian Biomanufacturing", True, "Europe/London", []),
    ("ari@aurora.example", "Ari", "Rossi", "Client manager", "Aurora Analytical Labs",
     True, "Europe/Rome", [(NA, "lead")]),
]

#: The rest of each team, in the same shape: the people the communication plans name for
#: the functions the leads do not cover, and the functional heads and steering members of
#: the escalation paths. They log in like the cast above (login_lines counts them).
COLLEAGUES = [
    ("ines@northwind.example", "Ines", "Duarte", "Clinical supply chain manager",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "member"), (NA, "member")]),
    ("paul@northwind.example", "Paul", "Adeyemi", "Finance business partner, CMC",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "viewer"), (NA, "viewer")]),
    ("lukas@northwind.example", "Lukas", "Frei", "Head of MSAT and analytical development",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "member"), (NA, "member")]),
    ("felix@northwind.example", "Felix", "Moreau", "CMC regulatory lead",
     "Northwind Biologics", False, "Europe/Zurich", [(NM, "member"), (NA, "member")]),
    ("dev@helix.example", "Dev", "Patel", "Head of quality", "Helix Therapeutics", False,
     "America/Los_Angeles", [(HM, "member")]),
    ("carmen@helix.example", "Carmen", "Ruiz", "Vice president, CMC", "Helix Therapeutics",
     False, "America/Los_Angeles", [(HM, "steering")]),
    ("leo@helix.example", "Leo", "Grant", "Director, supply chain", "Helix Therapeutics",
     False, "America/Los_Angeles", [(HM, "member")]),
    ("tara@helix.example", "Tara", "Nguyen", "Finance manager", "Helix Therapeutics", False,
     "America/Los_Angeles", [(HM, "viewer")]),
    ("ruth@helix.example", "Ruth", "Alvarez", "Director, regulatory CMC",
     "Helix Therapeutics", False, "America/Los_Angeles", [(HM, "member")]),
    ("victor@meridian.example", "Victor", "Hale", "Vice president, operations",
     "Meridian Biomanufacturing", False, "America/New_York",
     [(NM, "steering"), (HM, "steering")]),
    ("priya@meridian.example", "Priya", "Nair", "MSAT manager, Boston",
     "Meridian Biomanufacturing", False, "America/New_York", [(NM, "member")]),
    ("ben@meridian.example", "Ben", "Okoro", "Commercial finance manager",
     "Meridian Biomanufacturing", False, "Europe/London", [(NM, "viewer"), (HM, "viewer")]),
    ("sofia@meridian.example", "Sofia", "Lund", "Regulatory affairs manager",
     "Meridian Biomanufacturing", False, "Europe/London", [(NM, "member"), (HM, "member")]),
    ("wei@meridian.example", "Wei", "Zhang", "Head of quality, Suzhou",
     "Meridian Biomanufacturing", False, "Asia/Shanghai", [(HM, "member")]),
    ("lin@meridian.example", "Lin", "Hua", "Supply planner, Suzhou",
     "Meridian Biomanufacturing", False, "Asia/Shanghai", [(HM, "member")]),
    ("jun@meridian.example", "Jun", "Wang", "MSAT lead, Suzhou", "Meridian Biomanufacturing",
     False, "Asia/Shanghai", [(HM, "member")]),
    ("giulia@aurora.example", "Giulia", "Conti", "Head of quality assurance",
     "Aurora Analytical Labs", False, "Europe/Rome", [(NA, "member")]),
    ("luca@aurora.example", "Luca", "Ferri", "Head of the QC laboratory",
     "Aurora Analytical Labs", False, "Europe/Rome", [(NA, "member")]),
    ("marco@aurora.example", "Marco", "Bianchi", "Site director", "Aurora Analytical Labs",
     False, "Europe/Rome", [(NA, "steering")]),
    ("sara@aurora.example", "Sara", "Galli", "Sample management coordinator",
     "Aurora Analytical Labs", False, "Europe/Rome", [(NA, "member")]),
]

PROGRAMS = [
    # partnership, code, name, modality, phase, internal, sites where it runs
    (NM, "NWB-101", "Velarimab", "biologic", "phase_3", False,
     ["Meridian Boston", "Meridian Cambridge"]),
    # A fusion protein: drug substance in Boston, filled in Cape Town.
    (NM, "NWB-204", "Torvacept", "biologic", "phase_1", False,
     ["Meridian Boston", "Meridian Cape Town"]),
    (NM, "NWB-310", "Second-source assessment", "biologic", "preclinical", True, []),
    (NA, "NWB-101", "Velarimab", "biologic", "phase_3", False, ["Aurora Milan"]),
    # An antibody–drug conjugate: conjugated and filled in Cape Town's contained suite.
    (HM, "HLX-7", "Orenvatamab vedotin", "adc", "phase_2", False, ["Meridian Cape Town"]),
    # Drug substance in Suzhou, filled in Cambridge, packed in Suzhou.
    (HM, "HLX-12", "Helixumab", "biologic", "commercial", False,
     ["Meridian Suzhou", "Meridian Cambridge"]),
]
# A CDMO's decision each sponsor using the site must see (DESIGN §3).
CLOSING_SITES = {"Meridian Cape Town": D(2027, 6, 30)}

def _agreed_text(contract) -> bytes:
    """A one-page PDF standing in for the contract's agreed text, uploaded before both
    parties sign it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"{contract.reference} {contract.title}")
    page.drawString(72, 770, f"{contract.reference}: {contract.title}")
    page.drawString(72, 750, f"Between {contract.partnership}. Agreed text (demo data).")
    page.save()
    return buffer.getvalue()


CONTRACTS = [
    # partnership, reference, kind, title, parent, status, effective, expiry, notice days
    (NM, "MSA-NWM-2024", "msa", "Master services agreement", None, "executed",
     D(2024, 2, 1), D(2027, 1, 31), 90),
    (NM, "QA-NWM-01", "quality_agreement", "Quality agreement (biologics DS/DP)",
     "MSA-NWM-2024", "executed", D(2024, 3, 15), None, 90),
    (NM, "SOW-NWM-07", "sow", "Velarimab PPQ campaign, Boston", "MSA-NWM-2024",
     "negotiation", None, None, 60),
    (NM, "CO-NWM-03", "change_order", "Torvacept additional engineering run",
     "MSA-NWM-2024", "draft", None, None, 30),
    (NM, "SOW-NWM-05", "sow", "Velarimab clinical supply 2026", "MSA-NWM-2024", "executed",
     D(2025, 11, 1), D(2026, 12, 31), 60),
    (NA, "MSA-NWA-2025", "msa", "Master testing services agreement", None, "executed",
     D(2025, 1, 1), D(2028, 12, 31), 120),
    (NA, "SOW-NWA-02", "sow", "Velarimab stability program 2026", "MSA-NWA-2025",
     "executed", D(2026, 1, 10), D(2026, 12, 31), 30),
    (HM, "MSA-HLX-MER", "msa", "Master manufacturing agreement", None, "executed",
     D(2023, 6, 1), D(2028, 5, 31), 180),
    (HM, "SOW-HLX-09", "sow", "Helixumab process characterization", "MSA-HLX-MER",
     "executed", D(2026, 2, 1), D(2027, 3, 31), 60),
    (HM, "SOW-HLX-12", "sow", "Helixumab commercial drug substance supply", "MSA-HLX-MER",
     "negotiation", None, None, 90),
]
ROUNDS = {
    # reference: [(sent by, sent on, answered on, summary)]
    "SOW-NWM-07": [
        ("sponsor", D(2026, 6, 2), D(2026, 6, 30), "First draft: three PPQ batches, 2026 Q4."),
        ("cdmo", D(2026, 6, 30), D(2026, 7, 3), "Slot moved to 2027 Q1; price per batch up."),
        ("sponsor", D(2026, 7, 3), D(2026, 8, 14), "Accepted Q1; asked for a fixed price."),
        ("cdmo", D(2026, 8, 14), D(2026, 8, 18), "Fixed price with raw-material clause."),
        ("sponsor", D(2026, 8, 18), D(2026, 9, 29), "Capped the raw-material clause at 5 %."),
        ("cdmo", D(2026, 9, 29), None, "Cap at 8 %; added cancellation fees."),
    ],
    "SOW-HLX-12": [
        ("sponsor", D(2026, 9, 1), D(2026, 9, 9), "First draft: 12 batches a year."),
        ("cdmo", D(2026, 9, 9), None, "10 batches in year one; forecast every quarter."),
    ],
}

DELIVERABLES = [
    # sow, title, responsible, due, status, rejections, criteria, (review met flags, comment)
    ("SOW-NWM-05", "Engineering run executed batch record", "cdmo", D(2026, 3, 20),
     "accepted", 0, ["Batch record complete and reviewed by Meridian QA",
                     "Yield within 15 % of the process description"]),
    ("SOW-NWM-05", "Phase 3 clinical drug substance, lot 3", "cdmo", D(2026, 11, 15),
     "delivered", 0, ["Meets release specification incl. potency 80–125 %",
                      "Fit for drug product fill within 90 days (stability data supplied)",
                      "Certificate of analysis and TSE/BSE statement attached"]),
    ("SOW-NWM-05", "Reference standard qualification report", "cdmo", D(2026, 10, 30),
     "in_progress", 1, ["Purity ≥ 99 % by SEC-HPLC",
                        "Usable as the primary standard for the potency assay"]),
    ("SOW-NWM-05", "Updated process description", "sponsor", D(2026, 12, 20), "planned", 0,
     ["Reflects the scale-up parameters agreed in the tech-transfer meeting"]),
    ("SOW-NWA-02", "12-month stability pull results", "cdmo", D(2026, 9, 30), "accepted", 0,
     ["All stability-indicating methods run", "Trend report with out-of-trend flags"]),
    ("SOW-NWA-02", "HPLC method transfer report", "cdmo", D(2026, 11, 10), "delivered", 0,
     ["Transfer acceptance criteria of the protocol met", "Raw data available on request"]),
    ("SOW-HLX-09", "Process characterization report", "cdmo", D(2027, 1, 31), "in_progress",
     0, ["Proven acceptable ranges for all critical process parameters",
         "Supports the BLA section 3.2.S.2.6 narrative"]),
]

#: Each party names a point of contact (and where it has one, a backup) for every function
#: of the communication plan.
CONTACTS = [
    # partnership, party, function, primary, backup
    (NM, "sponsor", "project", "nora@northwind.example", "ines@northwind.example"),
    (NM, "sponsor", "quality", "quinn@northwind.example", "nora@northwind.example"),
    (NM, "sponsor", "supply", "ines@northwind.example", "nora@northwind.example"),
    (NM, "sponsor", "finance", "paul@northwind.example", "nora@northwind.example"),
    (NM, "sponsor", "technical", "lukas@northwind.example", "quinn@northwind.example"),
    (NM, "sponsor", "regulatory", "felix@northwind.example", "quinn@northwind.example"),
    (NM, "cdmo", "project", "mei@meridian.example", "tomas@meridian.example"),
    (NM, "cdmo", "quality", "ravi@meridian.example", "mei@meridian.example"),
    (NM, "cdmo", "supply", "tomas@meridian.example", "mei@meridian.example"),
    (NM, "cdmo", "finance", "ben@meridian.example", "mei@meridian.example"),
    (NM, "cdmo", "technical", "priya@meridian.example", "ravi@meridian.example"),
    (NM, "cdmo", "regulatory", "sofia@meridian.example", "ravi@meridian.example"),
    (NA, "sponsor", "project", "nora@northwind.example", "quinn@northwind.example"),
    (NA, "sponsor", "quality", "quinn@northwind.example", "lukas@northwind.example"),
    (NA, "sponsor", "supply", "ines@northwind.example", "nora@northwind.example"),
    (NA, "sponsor", "finance", "paul@northwind.example", "nora@northwind.example"),
    (NA, "sponsor", "technical", "lukas@northwind.example", "quinn@northwind.example"),
    (NA, "sponsor", "regulatory", "felix@northwind.example", "quinn@northwind.example"),
    (NA, "cdmo", "project", "ari@aurora.example", "luca@aurora.example"),
    (NA, "cdmo", "quality", "giulia@aurora.example", "ari@aurora.example"),
    (NA, "cdmo", "supply", "sara@aurora.example", "ari@aurora.example"),
    (NA, "cdmo", "finance", "ari@aurora.example", "marco@aurora.example"),
    (NA, "cdmo", "technical", "luca@aurora.example", "giulia@aurora.example"),
    (NA, "cdmo", "regulatory", "giulia@aurora.example", "marco@aurora.example"),
    (HM, "sponsor", "project", "hana@helix.example", "leo@helix.example"),
    (HM, "sponsor", "quality", "dev@helix.example", "hana@helix.example"),
    (HM, "sponsor", "supply", "leo@helix.example", "hana@helix.example"),
    (HM, "sponsor", "finance", "tara@helix.example", "leo@helix.example"),
    (HM, "sponsor", "technical", "carmen@helix.example", "hana@helix.example"),
    (HM, "sponsor", "regulatory", "ruth@helix.example", "dev@helix.example"),
    (HM, "cdmo", "project", "max@meridian.example", "lin@meridian.example"),
    (HM, "cdmo", "quality", "wei@meridian.example", "max@meridian.example"),
    (HM, "cdmo", "supply", "lin@meridian.example", "max@meridian.example"),
    (HM, "cdmo", "finance", "ben@meridian.example", "max@meridian.example"),
    (HM, "cdmo", "technical", "jun@meridian.example", "wei@meridian.example"),
    (HM, "cdmo", "regulatory", "sofia@meridian.example", "wei@meridian.example"),
]
#: Ground rules, and the meeting rhythm: one line per meeting series, "<title>: … at HH:MM
#: <city> time", which the demo's meetings keep (seed_demo_governance.MEETING_PLANS).
PLANS = {
    NM: ("Answer e-mails within one working day; anything urgent by phone to the named "
         "contact, then the backup. Decisions are minuted in the portal, not in e-mail. "
         "Batch documentation and deviation reports go to Northwind QA, forecasts to "
         "Meridian supply planning.",
         "Weekly supply check-in: Tuesdays at 15:00 Basel time (the Boston morning), project "
         "leads and QA.\n"
         "Steering committee: every quarter, a month before the business review, at 15:00 "
         "Basel time.\n"
         "Quarterly business review: on site in Boston, at 15:00 Basel time."),
    NA: ("Sample shipments announced 48 hours ahead with the chain-of-custody form; "
         "out-of-specification and out-of-trend results phoned to Northwind QA the same day. "
         "Certificates of analysis and trend reports through the portal only.",
         "Weekly testing sync: Thursdays at 14:00 Basel time, the open tests, pulls due and "
         "results.\n"
         "Steering committee: every quarter, a month before the business review, at 10:00 "
         "Basel time.\n"
         "Quarterly business review: turnaround and right-first-time results, at 10:00 Basel "
         "time."),
    HM: ("Forecast changes only through the monthly supply figures; quality events to Helix "
         "QA within 24 hours. Calls sit at the end of the San Diego day, which is the next "
         "morning in Suzhou.",
         "Weekly campaign check-in: Tuesdays at 17:00 San Diego time (Wednesday morning in "
         "Suzhou).\n"
         "Steering committee: every quarter, a month before the business review, at 17:00 "
         "San Diego time.\n"
         "Quarterly business review: at 17:00 San Diego time, the supply plan and the HLX-7 "
         "programme."),
}
#: Each level held by other people than the one below: the project leads, then the heads
#: of the functions concerned, then the steering committee.
ESCALATION = {
    # partnership: [(level, name, days, people)]
    NM: [(1, "Project leads", 3, ["nora@northwind.example", "mei@meridian.example"]),
         (2, "Functional heads", 5, ["quinn@northwind.example", "lukas@northwind.example",
                                     "ravi@meridian.example"]),
         (3, "Steering committee", 10, ["sam@northwind.example", "victor@meridian.example"])],
    NA: [(1, "Project leads", 3, ["nora@northwind.example", "ari@aurora.example"]),
         (2, "Functional heads", 5, ["quinn@northwind.example", "giulia@aurora.example",
                                     "luca@aurora.example"]),
         (3, "Steering committee", 7, ["sam@northwind.example", "marco@aurora.example"])],
    HM: [(1, "Project leads", 3, ["hana@helix.example", "max@meridian.example"]),
         (2, "Functional heads", 5, ["dev@helix.example", "wei@meridian.example"]),
         (3, "Steering committee", 10, ["carmen@helix.example", "victor@meridian.example"])],
}
#: The agreed time to acknowledge a request, and an emergency (hours), as each relationship
#: works: Northwind and Meridian share office hours on two continents; a testing lab rings
#: back within two hours on a result; Helix and Meridian Suzhou are 15 or 16 hours apart,
#: so an emergency sent at the end of one day is answered at the start of the other's.
REQUEST_SETTINGS = {NM: (48, 4), NA: (24, 2), HM: (72, 12)}

PRIORITIES = {
    # partnership: (ranking before, ranking now, who, why)
    NM: (["NWB-204 Torvacept phase 1 supply", "NWB-101 Velarimab PPQ campaign",
          "Analytical method lifecycle"],
         ["NWB-101 Velarimab PPQ campaign", "NWB-204 Torvacept phase 1 supply",
          "Analytical method lifecycle"],
         "nora@northwind.example",
         "The Velarimab filing moved to Q3 2027: PPQ comes first; Torvacept can wait a month."),
    NA: ([], ["Velarimab stability program", "HPLC method transfer"], "nora@northwind.example",
         "Initial ranking for 2026."),
    HM: ([], ["HLX-12 commercial supply continuity", "HLX-7 process characterization"],
         "hana@helix.example", "Commercial supply before development work."),
}

OBJECTIVES = [
    # partnership, title, measure, sponsor owner, cdmo owner, review date, status,
    # [(status, note)] of past reviews
    (NM, "Velarimab PPQ right first time",
     "All three PPQ batches meet specification without a major deviation",
     "nora@northwind.example", "mei@meridian.example", D(2027, 1, 20), "at_risk",
     [("on_track", "Q2 QBR: engineering run successful, slot confirmed."),
      ("at_risk", "Q3 QBR: reference standard rejected once; raw-material lead time long.")]),
    (NM, "Faster contract turnaround",
     "Median answer to a contract draft under 10 days on both sides",
     "nora@northwind.example", "mei@meridian.example", D(2027, 1, 20), "off_track",
     [("off_track",
       "Q3 QBR: SOW-NWM-07 is at six rounds; Meridian's answers take about six weeks.")]),
    (NA, "Stability results on time", "95 % of stability pull results within 30 days",
     "quinn@northwind.example", "ari@aurora.example", D(2027, 2, 10), "on_track",
     [("on_track", "Q3 review: 12-month results delivered in 21 days.")]),
    (HM, "Uninterrupted commercial supply of Helixumab",
     "No missed shipment against the agreed 12-month forecast",
     "hana@helix.example", "max@meridian.example", D(2027, 1, 5), "on_track", []),
]

TRANSFERS = [
    # partnership, title, program code, site, {milestone: (planned, actual, sponsor, cdmo,
    # [deliverable titles])}
    (NM, "Velarimab drug substance into Meridian Boston", "NWB-101", "Meridian Boston", {
        "transfer_package": (D(2025, 12, 1), D(2025, 12, 5), "nora@northwind.example",
                             "mei@meridian.example", []),
        "gap_assessment": (D(2026, 1, 15), D(2026, 2, 2), "quinn@northwind.example",
                           "ravi@meridian.example", []),
        "method_transfer": (D(2026, 3, 1), D(2026, 3, 28), "quinn@northwind.example",
                            "ravi@meridian.example", []),
        "engineering_run": (D(2026, 3, 15), D(2026, 3, 20), "nora@northwind.example",
                            "mei@meridian.example", ["Engineering run executed batch record"]),
        # PPQ lots are released against the requalified standard, made to the updated
        # process description.
        "ppq": (D(2027, 2, 15), None, "nora@northwind.example", "mei@meridian.example",
                ["Reference standard qualification report", "Updated process description"]),
        # Owned by the sponsor's lead: an owner acts on the milestone, so holds a seat that
        # writes (a steering member reads).
        "handover": (D(2027, 5, 1), None, "nora@northwind.example", "mei@meridian.example",
                     []),
    }),
    (HM, "HLX-7 conjugation process into Meridian Cape Town", "HLX-7", "Meridian Cape Town", {
        "transfer_package": (D(2026, 8, 1), D(2026, 8, 12), "hana@helix.example",
                             "max@meridian.example", []),
        "gap_assessment": (D(2026, 10, 1), None, "hana@helix.example",
                           "max@meridian.example", ["Process characterization report"]),
    }),
]


#: Work on a deliverable starts this long before it is due, once its criteria are agreed.
WORK_DAYS = 60


def _date_deliverable(deliverable: Deliverable, due: datetime.date) -> None:
    """The times the services stamped, moved to when the work was done: written three weeks
    before the work started, its criteria stated in the week before and agreed as it started
    (WORK_DAYS before it is due, at the latest a month ago), each review a few days after the
    due date (at the latest in the last hours) and signed then."""
    now = timezone.now()
    noon = datetime.time(12, 0, tzinfo=datetime.UTC)
    started = min(datetime.datetime.combine(due - datetime.timedelta(days=WORK_DAYS), noon),
                  now - datetime.timedelta(days=30))
    Deliverable.objects.filter(pk=deliverable.pk).update(
        created_at=started - datetime.timedelta(days=21),
        criteria_agreed_at=None if deliverable.status == Deliverable.Status.PLANNED
        else started)
    AcceptanceCriterion.objects.filter(deliverable=deliverable).update(
        created_at=started - datetime.timedelta(days=7))
    reviews = list(DeliverableReview.objects.filter(deliverable=deliverable).order_by("pk"))
    for number, review in enumerate(reviews):
        at = min(datetime.datetime.combine(due + datetime.timedelta(days=3 + 10 * number), noon),
                 now - datetime.timedelta(hours=len(reviews) - number))
        DeliverableReview.objects.filter(pk=review.pk).update(reviewed_at=at)
        if review.decision == "accepted":
            Signature.objects.filter(
                content_type=ContentType.objects.get_for_model(Deliverable),
                object_id=deliverable.pk, event="accepted").update(signed_at=at)


OPERATOR = "admin@lockstep.example"


def login_lines() -> list[str]:
    """Who logs in as whom, with their seats: what the demo launcher prints (`--logins`)."""
    lines = []
    for email, _first, _last, _title, org, is_admin, _zone, seats in PEOPLE:
        roles = ", ".join(f"{Membership.role_label(role)} in "
                          f"{pair[0].split()[0]}–{pair[1].split()[0]}"
                          for pair, role in seats) or "no seat"
        admin = "; organization admin" if is_admin else ""
        lines.append(f"  {email:28} {org}: {roles}{admin}")
    lines.append(f"  {OPERATOR:28} platform operator (Django admin)")
    lines.append(f"  and {len(COLLEAGUES)} colleagues named in the contacts and escalation "
                 "paths (same password)")
    return lines


def demo_password() -> str:
    """Every demo account's password: what the demo's people sign with, too."""
    return os.environ.get("DEMO_PASSWORD", "lockstep-demo")


#: The reason the audit trail shows on what the demo seed wrote.
DEMO_REASON = "Demo data: written and dated to fit the demo's story"


class Command(BaseCommand):
    help = "Create or update the demo organizations, sites, partnerships, people and programs."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true",
                            help="List the demo logins only; change nothing.")

    def handle(self, *args, logins: bool = False, **options):
        if logins:
            self.stdout.write("\n".join(login_lines()))
            return
        # Recorded in the audit trail as door "command", also when called from code, with a
        # reason on every write: the seed writes records, then dates them (QuerySet.update)
        # to when they happened in the demo's story, executed contracts and signed minutes too.
        with recording(door="command", command="seed_demo", user=None, reason=DEMO_REASON):
            self.seed()

    @transaction.atomic
    def seed(self):
        self.password = password = demo_password()
        # The bell is the governance seed's to fill (seed_demo_governance): what the services
        # below tell people (a new ranking, a plan or path changed) is the demo's setting up,
        # news to nobody, and is taken back before it.
        last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        admin = self._person(OPERATOR, password, first_name="Platform",
                             last_name="Operator", is_staff=True, is_superuser=True)
        orgs = {name: Organization.objects.update_or_create(name=name, defaults={"kind": kind})[0]
                for name, kind in ORGANIZATIONS.items()}
        for domain, org in DOMAINS.items():
            if not OrganizationDomain.objects.filter(domain=domain).exists():
                parties.organization_domain_add(actor=admin, organization=orgs[org],
                                                domain=domain)
        for org, name, country, city, zone, capabilities in SITES:
            Site.objects.update_or_create(organization=orgs[org], name=name, defaults={
                "country": country, "city": city, "time_zone": zone,
                "capabilities": capabilities})
        partnerships = {
            pair: Partnership.objects.update_or_create(
                sponsor=orgs[pair[0]], cdmo=orgs[pair[1]], defaults={"description": text})[0]
            for pair, text in PARTNERSHIPS.items()
        }
        for email, first, last, title, org, is_admin, zone, _seats in PEOPLE + COLLEAGUES:
            self._person(email, password, first_name=first, last_name=last, job_title=title,
                         organization=orgs[org], is_org_admin=is_admin, time_zone=zone)
        self.people = {user.email: user for user in User.objects.all()}
        self.leads: dict[int, dict[str, User]] = {}
        admins = {org: self.people[email] for email, *_, org, is_admin, _zone, _seats in PEOPLE
                  if is_admin}
        for email, *_, org, _is_admin, _zone, seats in PEOPLE + COLLEAGUES:
            for pair, role in seats:
                parties.membership_set(actor=admins[org], user=self.people[email],
                                       partnership=partnerships[pair], role=role)
        self._programs(partnerships)
        for name, closes in CLOSING_SITES.items():
            site = Site.objects.select_related("organization").get(name=name)
            parties.site_set_status(actor=admins[site.organization.name], site=site,
                                    status=Site.Status.CLOSING, status_date=closes)
        for pair, (hours, emergency) in REQUEST_SETTINGS.items():
            partnership = partnerships[pair]
            if (partnership.acknowledgement_hours,
                    partnership.emergency_acknowledgement_hours) != (hours, emergency):
                parties.partnership_thresholds_set(
                    actor=self._leads(partnership)["sponsor"], partnership=partnership,
                    acknowledgement_hours=hours, emergency_acknowledgement_hours=emergency)
        self._contracts(partnerships)
        self._deliverables()
        self._communication(partnerships)
        self._priorities(partnerships)
        self._objectives(partnerships)
        self._tech_transfers(partnerships)
        accounts_demo.seed(operator=admin, mei=self.people["mei@meridian.example"])
        Notification.objects.filter(pk__gt=last_notification).delete()
        call_command("seed_demo_governance")  # by name: partnership imports no later app
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(PEOPLE) + len(COLLEAGUES) + 1} people, "
            f"{len(partnerships)} partnerships (operator: {admin.email})."))

    def _leads(self, partnership: Partnership) -> dict[str, User]:
        """{party: the party's lead}: who writes the demo's records of each side."""
        if partnership.pk not in self.leads:
            self.leads[partnership.pk] = {
                partnership.party_of(user): user for user in self.people.values()
                if partnership.party_of(user) and partnership.role_of(user) == "lead"}
        return self.leads[partnership.pk]

    def _programs(self, partnerships):
        for pair, code, name, modality, phase, internal, sites in PROGRAMS:
            partnership = partnerships[pair]
            if Program.objects.filter(partnership=partnership, code=code).exists():
                continue
            contracts.program_create(
                actor=self._leads(partnership)["sponsor"], partnership=partnership, code=code,
                name=name, modality=modality, phase=phase, is_internal=internal,
                sites=Site.objects.filter(name__in=sites))

    def _contracts(self, partnerships):
        for pair, reference, kind, title, parent, status, effective, expiry, notice in CONTRACTS:
            partnership = partnerships[pair]
            if Contract.objects.filter(partnership=partnership, reference=reference).exists():
                continue
            leads = self._leads(partnership)
            contract = contracts.contract_create(
                actor=leads["sponsor"], partnership=partnership, kind=kind, reference=reference,
                title=title, effective_date=effective, expiry_date=expiry,
                renewal_notice_days=notice,
                parent=Contract.objects.filter(partnership=partnership,
                                               reference=parent).first())
            if status != "draft":
                contract = contracts.contract_transition(actor=leads["sponsor"],
                                                         contract=contract, status="negotiation")
            if status == "executed":  # both parties' leads sign it, which executes it
                # The agreed text first: the documents are part of what is signed.
                contracts.contract_document_upload(
                    actor=leads["sponsor"], contract=contract,
                    file=ContentFile(_agreed_text(contract), name=f"{reference} final.pdf"))
                for party, meaning in (("sponsor", "approval"), ("cdmo", "responsibility")):
                    sign(actor=leads[party], record=contract, event="executed",
                         meaning=meaning, password=self.password)
            # Each draft is recorded by the party that sent it; it answers the one before.
            for party, sent, _answered, summary in ROUNDS.get(reference, []):
                contracts.negotiation_round_add(actor=leads[party], contract=contract,
                                                sent_on=sent, summary=summary)
        # An executed contract changes only with a reason, which its History shows.
        msa = Contract.objects.get(partnership=partnerships[NM], reference="MSA-NWM-2024")
        if msa.renewal_notice_days != 120:
            msa = contracts.contract_update(
                actor=self._leads(msa.partnership)["sponsor"], contract=msa,
                renewal_notice_days=120,
                reason="Renewal notice lengthened to 120 days by the 2025 amendment letter")
        # The change left both signatures no longer valid for its terms: both leads sign the
        # amended terms again (it stays executed; its History shows all four signatures).
        if not is_complete(msa, "executed"):
            leads = self._leads(msa.partnership)
            for party, meaning in (("sponsor", "approval"), ("cdmo", "responsibility")):
                sign(actor=leads[party], record=msa, event="executed", meaning=meaning,
                     password=self.password)

    def _deliverables(self):
        for reference, title, party, due, status, rejections, criteria in DELIVERABLES:
            sow = Contract.objects.select_related("partnership").get(reference=reference)
            partnership = sow.partnership
            existing = Deliverable.objects.filter(sow=sow, title=title).first()
            if existing is not None:
                if existing.status != Deliverable.Status.PLANNED:
                    _date_deliverable(existing, due)  # a rerun: dated as a first run dates it
                continue
            leads = self._leads(partnership)
            responsible, receiving = leads[party], leads[Partnership.other_party(party)]
            deliverable = deliverables.deliverable_create(
                actor=leads["sponsor"], partnership=partnership, sow=sow, title=title,
                due_date=due, responsible_party=party)
            rows = [deliverables.acceptance_criterion_add(actor=receiving,
                                                          deliverable=deliverable, text=text)
                    for text in criteria]
            if status == "planned":
                _date_deliverable(deliverable, due)
                continue
            deliverable = deliverables.deliverable_transition(
                actor=responsible, deliverable=deliverable, status="in_progress")
            for decision in ["rejected"] * rejections + (
                    ["accepted"] if status == "accepted" else []):
                deliverable = deliverables.deliverable_transition(
                    actor=responsible, deliverable=deliverable, status="delivered")
                accepted = decision == "accepted"
                deliverables.deliverable_review(
                    actor=receiving, deliverable=deliverable,
                    results={row.pk: (accepted or index > 0, "")
                             for index, row in enumerate(rows)},
                    comment="" if accepted else
                    "The qualification data set is incomplete: SEC-HPLC purity is missing.",
                    meaning="approval" if accepted else "", password=self.password)
            if status == "delivered":
                deliverables.deliverable_transition(actor=responsible, deliverable=deliverable,
                                                    status="delivered")
            _date_deliverable(deliverable, due)

    def _communication(self, partnerships):
        people = self.people
        for pair, party, function, primary, backup in CONTACTS:
            partnership = partnerships[pair]
            communication.contact_set(actor=self._leads(partnership)[party],
                                      partnership=partnership, function=function,
                                      primary=people[primary], backup=people.get(backup))
        for pair, (rules, cadence) in PLANS.items():
            partnership = partnerships[pair]
            communication.communication_plan_update(
                actor=self._leads(partnership)["sponsor"], partnership=partnership,
                ground_rules=rules, meeting_cadence=cadence)
        for pair, levels in ESCALATION.items():
            partnership = partnerships[pair]
            # A shorter path than before loses its levels above the new top.
            EscalationLevel.objects.filter(partnership=partnership,
                                           level__gt=len(levels)).delete()
            leads = self._leads(partnership)
            for level, name, days, emails in levels:
                wanted = [people[email] for email in emails]
                row = EscalationLevel.objects.filter(partnership=partnership,
                                                     level=level).first()
                if row is not None:
                    # Each party changes its own people at a level: the sponsor's first,
                    # keeping the CDMO's, then the CDMO's lead names its own.
                    cdmo_now = [p for p in row.people.all()
                                if p.organization_id == partnership.cdmo_id]
                    communication.escalation_level_set(
                        actor=leads["sponsor"], partnership=partnership, level=level,
                        name=name, days_allowed=days,
                        people=[p for p in wanted if p.organization_id ==
                                partnership.sponsor_id] + cdmo_now)
                communication.escalation_level_set(
                    actor=leads["cdmo" if row is not None else "sponsor"],
                    partnership=partnership, level=level, name=name, days_allowed=days,
                    people=wanted)

    def _priorities(self, partnerships):
        for pair, (before, after, email, reason) in PRIORITIES.items():
            partnership = partnerships[pair]
            if PriorityChange.objects.filter(partnership=partnership).exists():
                continue
            # The ranking the demo's history starts from, as no change recorded it: the
            # change below is the first the sponsor made in the portal.
            Priority.objects.bulk_create(Priority(partnership=partnership, rank=rank, title=title)
                                         for rank, title in enumerate(before, start=1))
            objectives.priorities_set(actor=self.people[email], partnership=partnership,
                                      titles=after, reason=reason)

    def _objectives(self, partnerships):
        for pair, title, measure, sponsor, cdmo, review, _status, history in OBJECTIVES:
            partnership = partnerships[pair]
            if Objective.objects.filter(partnership=partnership, title=title).exists():
                continue
            objective = objectives.objective_create(
                actor=self._leads(partnership)["sponsor"], partnership=partnership, title=title,
                measure_of_success=measure, sponsor_owner=self.people[sponsor],
                cdmo_owner=self.people[cdmo], review_date=review)
            # Its status is the last review's (an objective without one is on track).
            for past_status, note in history:
                objectives.objective_review(actor=objective.sponsor_owner, objective=objective,
                                            status=past_status, note=note,
                                            next_review_date=review)

    def _tech_transfers(self, partnerships):
        people = self.people
        for pair, title, code, site, plan in TRANSFERS:
            partnership = partnerships[pair]
            if TechTransfer.objects.filter(partnership=partnership, title=title).exists():
                continue
            leads = self._leads(partnership)
            transfer = techtransfer.tech_transfer_create(
                actor=leads["sponsor"], partnership=partnership,
                program=Program.objects.get(partnership=partnership, code=code),
                site=Site.objects.get(name=site), title=title)
            for kind, (planned, actual, sponsor, cdmo, needs) in plan.items():
                milestone = Milestone.objects.get(tech_transfer=transfer, kind=kind)
                # Each party names its own owner (Milestone.FIELD_RULES).
                milestone = techtransfer.milestone_update(
                    actor=leads["sponsor"], milestone=milestone, planned_date=planned,
                    actual_date=actual, sponsor_owner=people.get(sponsor),
                    deliverables=Deliverable.objects.filter(partnership=partnership,
                                                            title__in=needs))
                techtransfer.milestone_update(actor=leads["cdmo"], milestone=milestone,
                                              cdmo_owner=people.get(cdmo))

    def _person(self, email, password, **fields):
        user, created = User.objects.update_or_create(email=email, defaults=fields)
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
