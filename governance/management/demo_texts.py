"""The demo's words for governance (seed_demo_governance): each partnership's own minutes,
agendas, decisions and actions, its requests with what they ask and how they were answered,
its risks, notices, thank-yous and survey comments. Data only: the command reads them."""

from partnership.management.commands.seed_demo import CLOSING_SITES

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")


ACTIONS = [
    # partnership, title, owner, days from today, priority, status
    (NM, "Send the TSE/BSE statement missing from the DS lot 3 delivery",
     "mei@meridian.example", -4, "high", "in_progress"),
    (NM, "Confirm the Q1 2027 PPQ slot in writing", "mei@meridian.example", 2, "high", "open"),
    (NM, "Approve the updated reference standard protocol", "quinn@northwind.example", -1,
     "medium", "open"),
    (NM, "Share the 2027 demand forecast", "nora@northwind.example", 5, "medium", "open"),
    (NM, "Review the deviation trend for the steering committee", "ravi@meridian.example",
     20, "low", "open"),
    (NM, "Circulate the QBR minutes", "nora@northwind.example", -30, "medium", "done"),
    (NA, "Ship the 18-month stability samples", "nora@northwind.example", 3, "high", "open"),
    (NA, "Send the intermediate-precision runs missing from the transfer report",
     "ari@aurora.example", -2, "medium", "open"),
    (NA, "Book the chamber space for the 2027 pulls", "ari@aurora.example", 12, "medium",
     "open"),
    (NA, "Recalculate the SEC trend limits with four lots (OOT-0398)", "ari@aurora.example",
     -6, "high", "in_progress"),
    (NA, "Agree the shipper qualification protocol", "quinn@northwind.example", 8, "low",
     "open"),
    (NA, "Return the signed quality agreement annex", "nora@northwind.example", -45,
     "medium", "done"),
    (HM, "Confirm next year's Suzhou campaign dates", "max@meridian.example", 4, "high",
     "open"),
    (HM, "Sign off the characterization protocol", "hana@helix.example", -3, "medium",
     "open"),
    (HM, "Propose an alternative to Cape Town for HLX-7", "max@meridian.example", 9, "high",
     "in_progress"),
    (HM, "Share the conjugation DoE results", "max@meridian.example", -8, "medium", "open"),
    (HM, "Approve the lot H-5 batch record", "hana@helix.example", -60, "medium", "done"),
    (HM, "Update the 2027 volume forecast", "hana@helix.example", 16, "low", "open"),
]


#: Each week's minutes of each partnership's check-in, in the order the weeks ran (the
#: eighth week was cancelled): its own work, never another partnership's words.
WEEKLY_MINUTES = {
    NM: [
        "PPQ protocol draft 1 reviewed: sampling plan accepted, hold times still open.",
        "Engineering-run CAPAs: two of three closed. Quinn asked for the audit-trail review "
        "evidence of CAPA-0388 before the PPQ readiness review.",
        "Protein A resin lead time now 14 weeks; Tomas to propose a safety stock for the "
        "steering committee.",
        "2027 forecast: Northwind shared a first view of 6 commercial batches; Meridian to "
        "come back on Boston capacity.",
        "VLM-DS-24033: harvest bioburden at 8 CFU/10 mL against an alert level of 5; "
        "INV-0319 opened and the lot held.",
        "Cambridge filled drug product lot P-0411; a fill-weight excursion on line F2 was "
        "raised as a deviation. Northwind asked for the investigation plan within three "
        "days.",
        "PPQ batch records approved in draft; the clarified-harvest hold stays at 24 h "
        "until the 72 h study reports.",
        "",  # cancelled
        "DEV-2291: a third fill-weight excursion on F2, with P-0412. Check-weigher drift is "
        "the lead cause; Quinn plans a for-cause audit of line F2.",
        "The reference standard qualification report went back to Meridian: the SEC-HPLC "
        "purity data were missing. Ravi resubmits with the full data set.",
        "Resin: the second supplier's comparability lots tested; change control "
        "CC-2026-041 to be submitted to Northwind QA.",
        "Cape Town closure: Torvacept fill-finish transfer to Cambridge discussed; Mei to "
        "send a transfer plan with dates.",
        "For-cause audit of line F2 confirmed, hosted by Ravi. Meridian to send the F2 "
        "requalification summary before it starts.",
    ],
    NA: [
        "Nine-month pulls of DS lots 2 and 3 completed; results due in three weeks.",
        "HPLC transfer: comparative runs 1–3 of six done, system suitability met on every "
        "run.",
        "Shipper excursion on the lot 4 samples: Aurora quarantined them on receipt; "
        "Northwind to decide on a re-shipment.",
        "OOT-0398: aggregates by SEC above the trend limit at 9 months (25 °C). Orthogonal "
        "AUC-SV run requested.",
        "12-month results of lot 2 delivered, within specification; trend report to follow "
        "with the lot 3 data.",
        "Transfer report draft 1 received; Northwind's comments on intermediate precision "
        "sent back the same week.",
        "Aurora proposes a new reference standard lot for the potency bioassay; change "
        "control and bridging study to follow.",
        "",  # cancelled
        "2027 pull calendar agreed: 46 pulls; chamber space to be booked by Ari.",
        "Chamber C-04 humidity excursion: samples stayed in the chamber; Aurora assesses "
        "the impact against the 30 °C data.",
        "Shipper qualification protocol for the Milan lane: Northwind drafts, Aurora reviews "
        "the receipt steps.",
        "OOS-0412: potency 74 % at 12 months on lot 4. Phase I found no laboratory error; "
        "Phase II with Northwind on the reference standard.",
        "18-month pulls due in three weeks; samples of lots 1 and 2 to travel in validated "
        "shippers only.",
    ],
    HM: [
        "Suzhou Helixumab campaign 2 on day 6 of 14; titres in line with the last 20 lots.",
        "Polysorbate 80 supplier change rejected by Helix on peroxide levels; Meridian stays "
        "with the current supplier.",
        "Cape Town closure notice received; Helix asked Max for the options for HLX-7 "
        "before the steering committee.",
        "Conjugation and fill of HLX-7 lot H-5 complete in Cape Town; Helix QA reviews the "
        "record this week.",
        "HLX-7 lot H-5 released for the phase 2 sites; shipment to Lyon booked.",
        "HLX-12 packaging: serialisation recount of HLX12-FP-0415 closed, every carton "
        "accounted for.",
        "Conjugation DoE: drug-to-antibody ratio spread 3.5–4.3 over 12 runs; yield loss at "
        "the low pH end.",
        "",  # cancelled
        "CMP-0015 cracked vials from Lyon: retained samples show no defect; Meridian repeats "
        "the shipper drop test.",
        "Cambridge fill of the next Helixumab lots on track for Q1; the DS in stock covers "
        "both fills.",
        "Characterization protocol rev. 2 sent to Helix; the first DoE runs wait for its "
        "sign-off.",
        "HLX-7 lot H-7 conjugated and filled; sterility and endotoxin tests running.",
        "Lot H-7: sterility test positive on day 12, lot quarantined, DEV-3102 open. Helix "
        "QA to receive the investigation plan.",
    ],
}


#: Each partnership's agendas: the weekly one, and the steering committee's and business
#: review's.
AGENDAS = {
    NM: ("1. Open actions\n2. Batch schedule, Boston and Cambridge\n3. Deviations and "
         "CAPAs\n4. Raw materials\n5. AOB",
         "1. Escalations\n2. PPQ readiness\n3. Cape Town closure\n4. Decisions",
         "1. Scorecard\n2. Supply plan\n3. Risks\n4. Priorities\n5. Decisions"),
    NA: ("1. Open tests and pulls\n2. Results and OOS/OOT\n3. Sample shipments\n4. AOB",
         "1. Escalations\n2. Laboratory capacity\n3. Decisions",
         "1. Scorecard: turnaround and right first time\n2. Stability programme\n"
         "3. Decisions"),
    HM: ("1. Open actions\n2. Suzhou campaigns\n3. HLX-7 conjugation and fills\n"
         "4. Quality events\n5. AOB",
         "1. Escalations\n2. HLX-7 site after Cape Town\n3. Decisions",
         "1. Scorecard\n2. HLX-12 supply plan\n3. HLX-7 programme\n4. Decisions"),
}


#: The minutes of the last steering committee and business review (the business review's
#: begin with SCORECARD_REVIEWED; the KPI seed adds the published values after it).
BOARD_MINUTES = {
    NM: ("Escalated: SOW-NWM-07 at its sixth round. Both sides agreed to close the "
         "raw-material clause at the next round; resin safety stock raised to 12 weeks.",
         "PPQ slot held for Q1; the 2027 demand forecast of 6 batches agreed."),
    NA: ("Laboratory capacity for 2027 reviewed: Aurora adds an HPLC system; sample "
         "shipments in validated shippers only from now on.",
         "Stability turnaround within 30 days for every pull of the quarter; the OOS "
         "investigation process to be reviewed with Aurora QA."),
    HM: ("The Cape Town closure and its impact on HLX-7 reviewed; Meridian to propose "
         "Cambridge with a conjugation partner by the next committee.",
         "HLX-12 supply for the next two quarters confirmed; HLX-7 stays at one site "
         "until PPQ."),
}


MEETING_DECISIONS = {
    # partnership: (title, rationale, meeting key, people)
    NM: [("Hold the Q1 PPQ slot", "The engineering run met its targets; moving the slot "
          "would cost six months of supply.", "qbr-past",
          ["nora@northwind.example", "mei@meridian.example"]),
         ("Raise resin safety stock to 12 weeks", "Lead times doubled; a stock-out would "
          "stop the campaign.", "steering-past",
          ["sam@northwind.example", "mei@meridian.example"])],
    NA: [("Run stability pulls in Milan only", "One lab avoids a method-transfer bridge.",
          "qbr-past", ["nora@northwind.example", "ari@aurora.example"]),
         ("Ship samples only in validated shippers", "Two excursions in a quarter; the "
          "shipper validation costs less than one repeated stability pull.", "steering-past",
          ["sam@northwind.example", "ari@aurora.example"])],
    HM: [("Bring the Helixumab fill in Cambridge forward to Q1", "Cambridge's filling line "
          "frees up before Suzhou's next drug substance campaign; the DS in stock covers the "
          "fills.", "steering-past",
          ["hana@helix.example", "max@meridian.example"]),
         ("Keep HLX-7 conjugation at one site until PPQ", "A second site now would double the "
          "comparability work before the process is locked.", "qbr-past",
          ["hana@helix.example", "max@meridian.example"])],
}


MEETING_ACTIONS = [
    # partnership, title, owner, meeting key, days from today, status, decision title
    (NM, "Send the updated resin forecast", "mei@meridian.example", "weekly-past-1", -3,
     "open", "Raise resin safety stock to 12 weeks"),
    (NM, "Book the PPQ kick-off with QA", "quinn@northwind.example", "weekly-past-1", 6,
     "open", "Hold the Q1 PPQ slot"),
    (NM, "Share the deviation trend slides", "ravi@meridian.example", "weekly-past-2", -9,
     "done", None),
    (NA, "Confirm the 24-month stability pull dates", "ari@aurora.example", "weekly-past-1",
     2, "in_progress", "Run stability pulls in Milan only"),
    (NA, "Validate the new shipper lane to Milan", "nora@northwind.example",
     "weekly-past-2", -4, "open", "Ship samples only in validated shippers"),
    (NA, "Circulate the QBR scorecard", "ari@aurora.example", "weekly-past-2", -20, "done",
     None),
    (HM, "Send the revised Cambridge fill plan for Helixumab", "max@meridian.example",
     "weekly-past-1", -1, "open", "Bring the Helixumab fill in Cambridge forward to Q1"),
    (HM, "Draft the HLX-7 comparability plan", "hana@helix.example", "weekly-past-2", 10,
     "open", "Keep HLX-7 conjugation at one site until PPQ"),
]


RISKS = [
    # partnership, title, category, likelihood, impact, owner, review in days (None: no
    # date), status, internal, milestone (transfer title, kind) it threatens, mitigation
    (NM, "Single-source Protein A resin", "supply", 4, 5, "mei@meridian.example", -5, "open",
     False, None, "Qualify the second resin supplier; hold 2 campaigns of safety stock."),
    (NM, "PPQ slot slips if engineering-run deviations recur", "capacity", 3, 4,
     "mei@meridian.example", 14, "open", False,
     ("Velarimab drug substance into Meridian Boston", "ppq"),
     "Close the engineering-run CAPAs before the PPQ readiness review."),
    (NM, "Cape Town closure strands Torvacept fill-finish", "strategic", 5, 4,
     "nora@northwind.example", 7, "open", False, None,
     "Assess Meridian Cambridge as the receiving site; budget a second tech transfer."),
    (NM, "Pre-license inspection readiness at Meridian Boston", "regulatory", 2, 5,
     "ravi@meridian.example", 30, "open", False, None, "Mock inspection in the spring."),
    (NM, "Reference standard requalification late", "quality", 2, 3,
     "quinn@northwind.example", -1, "open", False, None, "Order the secondary standard now."),
    (NM, "EUR price exposure on the SOW", "financial", 2, 2, "nora@northwind.example", None,
     "closed", False, None, "Price fixed in USD from the 2026 change order."),
    (NM, "Meridian over-committed across its sponsors", "strategic", 3, 3,
     "sam@northwind.example", 60, "open", True, None,
     "Our own view: ask for named capacity in the next SOW."),
    (NA, "HPLC method transfer fails comparability", "quality", 3, 3, "ari@aurora.example",
     -2, "open", False, None, "Joint protocol review before the next run."),
    (NA, "Stability chamber capacity at Aurora Milan", "capacity", 2, 4, "ari@aurora.example",
     45, "open", False, None, "Reserve chamber space for the 2027 stability pulls."),
    (NA, "Temperature excursions on sample shipments", "supply", 4, 2,
     "nora@northwind.example", 10, "open", False, None, "Switch to validated shippers."),
    (HM, "Cape Town closure before the HLX-7 transfer completes", "strategic", 5, 5,
     "hana@helix.example", -3, "open", False,
     ("HLX-7 conjugation process into Meridian Cape Town", "gap_assessment"),
     "Decide on an alternative site at the next steering committee."),
    (HM, "Packaging exit at Meridian Suzhou", "supply", 4, 3, "max@meridian.example", 20,
     "open", False, None, "Qualify a packaging partner in Suzhou."),
    (HM, "Conjugation yield variability", "quality", 3, 2, "max@meridian.example", 40, "open",
     False, None, "Design of experiments on the conjugation step."),
]


NOTICES = [
    # partnership, poster, kind, title, body, site, effective (a date, or in days from
    # today), acknowledged by (None: awaiting), posted days ago
    (NM, "mei@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "We are consolidating fill-finish in Cambridge. Torvacept fill-finish needs a new site "
     "before the closure; we propose a transfer plan within 60 days.", "Meridian Cape Town",
     CLOSING_SITES["Meridian Cape Town"], "nora@northwind.example", 75),
    (HM, "max@meridian.example", "site_closure", "Meridian Cape Town closes on 30 June 2027",
     "Cape Town's contained suite closes with the site: the HLX-7 conjugation and fill "
     "must move before then, and the transfer into Cape Town is re-planned.",
     "Meridian Cape Town", CLOSING_SITES["Meridian Cape Town"], "hana@helix.example", 74),
    (HM, "max@meridian.example", "capability_exit", "Meridian Suzhou exits secondary packaging",
     "From the effective date Suzhou keeps drug substance only; packaging of the HLX-12 "
     "finished packs moves to a qualified partner.",
     "Meridian Suzhou", 120, None, 3),
    (NM, "mei@meridian.example", "supply_delay", "Velarimab DS lot 4 release slips three weeks",
     "A raw-material shortage delays lot 4; lots 5 and 6 keep their dates.", "Meridian Boston",
     21, None, 1),
    (NA, "nora@northwind.example", "other", "Stability pulls move to a yearly plan",
     "From the effective date we send one yearly pull plan with every time point instead of "
     "monthly requests.", None, 40,
     "ari@aurora.example", 20),
]


RECOGNITIONS = [
    # partnership, from, to (people), team, message, days ago
    (NM, "nora@northwind.example", ["mei@meridian.example", "ravi@meridian.example"], "",
     "Thank you for the weekend shift that kept DS lot 3 on time: the fill in Cambridge went "
     "ahead and the phase 3 sites get their drug product as planned.", 4),
    (NM, "mei@meridian.example", [], "Northwind supply chain",
     "The 2027 forecast came early and complete: our planning finally has solid ground.", 12),
    (NM, "quinn@northwind.example", ["ravi@meridian.example"], "",
     "A model deviation investigation: root cause, evidence, CAPA in one clear report.", 40),
    (NA, "nora@northwind.example", ["ari@aurora.example"], "Aurora stability team",
     "The stability data package was complete on the first try. Thank you!", 9),
    (HM, "hana@helix.example", ["max@meridian.example"], "",
     "Thanks for flagging the Cape Town impact to us before the announcement.", 70),
]


#: What each party's people write about the other party, per partnership.
SURVEY_COMMENTS = {
    (NM, "sponsor"): ["Mei's weekly updates are clear and escalations come early.",
                      "Answers to our quality questions on DS lot 2 took too long.",
                      "The resin shortage was flagged months ahead: good planning.",
                      "Batch records sometimes arrive with open GDP corrections.",
                      "Contract answers on SOW-NWM-07 take weeks; the technical teams are "
                      "quick."],
    (NM, "cdmo"): ["Forecasts changed late, which hurt our planning in Boston.",
                   "Northwind QA reviews batch records quickly and explains its comments.",
                   "Priorities are clear since the PPQ ranking was posted.",
                   "Too many emergencies arrive on Friday afternoons.",
                   "Good partnership spirit in the business reviews."],
    (NA, "sponsor"): ["Stability results arrive on time and complete.",
                      "The OOS investigation on T12 needed our push to reach Phase II.",
                      "Ari answers sample queries the same day.",
                      "Chamber space for the 2027 pulls is still not confirmed."],
    (NA, "cdmo"): ["Samples arrive announced, with complete chain-of-custody forms.",
                   "Pull plans changed at short notice twice this quarter."],
    (HM, "sponsor"): ["Max told us of the Cape Town impact before the announcement.",
                      "Suzhou's batch records reach us late for review.",
                      "The conjugation DoE results are overdue."],
    (HM, "cdmo"): ["Helix's HLX-12 forecast arrives every month and holds.",
                   "Protocol comments from Helix come back slowly."],
}


REQUESTS = [
    # partnership, title, sent by (email), answers (email), kind, urgency, days ago, status
    (NM, "Executed batch record of DS lot 3", "nora@northwind.example",
     "mei@meridian.example", "document", "normal", 150, "accepted"),
    (NM, "Quote for two additional PPQ batches", "nora@northwind.example",
     "mei@meridian.example", "quote", "normal", 120, "accepted"),
    (NM, "Retain sample pull for lot 2 investigation", "quinn@northwind.example",
     "ravi@meridian.example", "sample_pull", "urgent", 90, "fulfilled"),
    (NM, "Updated reference standard CoA", "ravi@meridian.example",
     "quinn@northwind.example", "document", "normal", 40, "in_progress"),
    (NM, "Extra bioburden testing on the holding step", "quinn@northwind.example",
     "ravi@meridian.example", "testing", "urgent", 20, "acknowledged"),
    (NM, "Which column did the lab validate the HPLC method on?", "mei@meridian.example",
     "nora@northwind.example", "information", "normal", 8, "acknowledged"),
    (NM, "2027 capacity reservation terms", "nora@northwind.example",
     "mei@meridian.example", "information", "normal", 6, "queried"),
    (NM, "Equipment qualification summary for filling line F2", "quinn@northwind.example",
     "ravi@meridian.example", "document", "normal", 5, "sent"),  # late
    (NM, "Cancelled: duplicate shipping request", "nora@northwind.example",
     "mei@meridian.example", "information", "normal", 30, "cancelled"),
    (NM, "Emergency: cold-chain excursion data for shipment 14", "nora@northwind.example",
     "mei@meridian.example", "information", "emergency", 0.15, "acknowledged"),
    (NM, "Emergency: release testing slot for lot 5", "nora@northwind.example",
     "mei@meridian.example", "testing", "emergency", 0.1, "sent"),
    (NM, "Emergency: regulator question on the filter validation", "nora@northwind.example",
     None, "information", "emergency", 0.05, "sent"),  # over budget, with justification
    (NA, "Stability pull schedule for 2027", "nora@northwind.example", "ari@aurora.example",
     "information", "normal", 100, "accepted"),
    (NA, "HPLC transfer raw data", "ari@aurora.example", "quinn@northwind.example",
     "document", "normal", 35, "fulfilled"),
    (NA, "Column used in the validated HPLC method", "nora@northwind.example",
     "ari@aurora.example", "information", "normal", 4, "sent"),  # the relay; late
    (NA, "Quote for the 2027 stability program", "nora@northwind.example",
     "ari@aurora.example", "quote", "normal", 130, "accepted"),
    (NA, "Method transfer report, draft 2", "ari@aurora.example", "quinn@northwind.example",
     "document", "normal", 15, "in_progress"),
    (NA, "Extra 6-month pull for lot 4", "quinn@northwind.example", "ari@aurora.example",
     "sample_pull", "urgent", 9, "queried"),
    (NA, "Emergency: out-of-trend assay on the 12-month pull", "nora@northwind.example",
     "ari@aurora.example", "testing", "emergency", 0.2, "acknowledged"),
    (NA, "Pull the 18-month stability samples two weeks early", "quinn@northwind.example",
     "ari@aurora.example", "sample_pull", "normal", 25, "declined"),
    (HM, "Suzhou campaign dates in writing", "hana@helix.example", "max@meridian.example",
     "information", "normal", 60, "accepted"),
    (HM, "Characterization protocol comments", "max@meridian.example", "hana@helix.example",
     "document", "urgent", 12, "in_progress"),
    (HM, "Quote for a third conjugation batch", "hana@helix.example", "max@meridian.example",
     "quote", "normal", 110, "accepted"),
    (HM, "Packing and shipping records of lot H-5 (complaint CMP-0015)", "hana@helix.example",
     "max@meridian.example", "document", "normal", 28, "fulfilled"),
    (HM, "Change of buffer supplier for the conjugation step", "max@meridian.example",
     "hana@helix.example", "change", "normal", 10, "queried"),
    (HM, "Emergency: confirm the packaging-line slot for HLX-12 launch packs",
     "max@meridian.example", "hana@helix.example", "information", "emergency", 3,
     "sent"),  # late
    (HM, "Emergency: hold the lot H-8 shipment", "hana@helix.example", "max@meridian.example",
     "information", "emergency", 0.1, "acknowledged"),
]


#: What each request asks, in its sender's words; the receiver's question where it queried
#: the request, and the note it fulfilled it with.
REQUEST_TEXTS = {
    "Executed batch record of DS lot 3": (
        "Please send the executed batch record of Velarimab DS lot 3 with Meridian QA's "
        "review sheet, for our release of the lot to the drug product fill.", "",
        "Executed record of DS lot 3 (412 pages) with QA's review sheet; two GDP corrections, "
        "both countersigned."),
    "Quote for two additional PPQ batches": (
        "Please quote two further 2,000 L Velarimab batches after the three PPQ batches, "
        "same scope as SOW-NWM-07, with the earliest slots you can hold for us.", "",
        "Quote Q-2026-118: two batches in Q2 2027, slots held until the end of January."),
    "Retain sample pull for lot 2 investigation": (
        "For the investigation of the SEC reintegrations on DS lot 2, please pull two "
        "retained vials and ship them to Basel on dry ice with the chain-of-custody form.",
        "", "Two retained vials of DS lot 2 shipped on dry ice, AWB 7741 2290 1183; "
        "chain-of-custody form attached."),
    "Updated reference standard CoA": (
        "The requalified working reference standard needs Northwind's signed CoA with the "
        "new potency assignment before we use it for release.", "", ""),
    "Extra bioburden testing on the holding step": (
        "After the alert-level result on VLM-DS-24033, please add bioburden samples at the "
        "start and end of the clarified-harvest hold for the next two lots.", "", ""),
    "Which column did the lab validate the HPLC method on?": (
        "Our QC lab is setting up the SEC-HPLC method for the reference standard: which "
        "column make, dimensions and lot was the method validated on?", "", ""),
    "2027 capacity reservation terms": (
        "We want to reserve 2027 suite capacity in Boston for Velarimab commercial supply: "
        "please send your reservation terms (fees, notice, cancellation).",
        "Reserve how many batches: the 6 of the draft forecast, or the 9 of the upside case?",
        ""),
    "Equipment qualification summary for filling line F2": (
        "Before the next NWB-101 fill we need the requalification summary of line F2 after "
        "the HEPA replacement in room F2-A, smoke studies included.", "", ""),
    "Cancelled: duplicate shipping request": (
        "Shipping of DS lot 3 to Cambridge: raised twice by mistake, see the first request.",
        "", ""),
    "Emergency: cold-chain excursion data for shipment 14": (
        "The logger of shipment 14 (DS lot 4 to Cambridge) shows 9.1 °C for 40 minutes: "
        "please send the full logger file and the packing record today.", "", ""),
    "Emergency: release testing slot for lot 5": (
        "DS lot 5 is needed for the next drug product fill in Cambridge, which the phase 3 "
        "sites' supply waits on: please bring its release testing forward into this week.",
        "", ""),
    "Emergency: regulator question on the filter validation": (
        "The agency asks for the bacterial retention data of the sterilising filter used "
        "for Velarimab; we need the validation report and its raw data.", "", ""),
    "Stability pull schedule for 2027": (
        "Please send the pull calendar of every Velarimab stability study for 2027, by "
        "chamber and time point, so we can plan the sample shipments.", "",
        "2027 pull calendar: 46 pulls over 5 studies, chambers C-04, C-07 and C-09."),
    "HPLC transfer raw data": (
        "For Northwind's review of the transfer, please share the raw data and audit trails "
        "of the comparative SEC-HPLC runs.", "",
        "Raw data and Empower audit trails of the six comparative SEC-HPLC runs."),
    "Column used in the validated HPLC method": (
        "Please confirm the column make, dimensions and lot on which Aurora ran the "
        "Velarimab SEC-HPLC method during its transfer.", "", ""),
    "Quote for the 2027 stability program": (
        "Please quote the 2027 stability program: 5 studies, long-term and accelerated "
        "conditions, with the new HPLC methods.", "",
        "Quote AUR-Q-2026-031 for 46 pulls, with the method transfer of the new SEC column."),
    "Method transfer report, draft 2": (
        "Draft 2 of the SEC-HPLC transfer report answers Northwind's comments: please "
        "review it and send us any remaining points.", "", ""),
    "Extra 6-month pull for lot 4": (
        "Please add a 6-month pull at 25 °C for DS lot 4 to support the shelf-life extension "
        "we plan to file.",
        "Lot 4 has no 25 °C samples left in chamber C-07: may we pull from the 30 °C "
        "samples instead, or will you ship new material?", ""),
    "Emergency: out-of-trend assay on the 12-month pull": (
        "The 12-month potency result of DS lot 3 is out of trend: please repeat the assay "
        "with a fresh reference curve today and keep the retained samples.", "", ""),
    "Pull the 18-month stability samples two weeks early": (
        "For the shelf-life update due to the agency, we would like the 18-month results "
        "of lots 1 and 2 two weeks earlier than the protocol's date.", "", ""),
    "Suzhou campaign dates in writing": (
        "Please confirm in writing the dates of the two Helixumab drug substance campaigns "
        "in Suzhou this year, for our launch supply plan.", "",
        "Campaign dates confirmed by letter: both Suzhou campaigns as in the supply plan."),
    "Characterization protocol comments": (
        "The HLX-12 process characterization protocol, rev. 2, is ready: we need Helix's "
        "comments before the first runs can start.", "", ""),
    "Quote for a third conjugation batch": (
        "Please quote a third HLX-7 conjugation and fill batch in Cape Town for the "
        "phase 2 extension.", "",
        "Quote MER-Q-2026-207: one conjugation and fill batch in Cape Town."),
    "Packing and shipping records of lot H-5 (complaint CMP-0015)": (
        "For the cracked-vial complaint from the Lyon site, please send the packing record "
        "and the shipper configuration of lot H-5.", "",
        "Packing record of lot H-5 and the shipper configuration drawing, rev. 3."),
    "Change of buffer supplier for the conjugation step": (
        "Meridian proposes a second supplier for the histidine buffer of the HLX-7 "
        "conjugation step; we ask Helix to agree before we order qualification lots.",
        "Is the new supplier's histidine of compendial grade, with the same endotoxin "
        "limit as the current one?", ""),
    "Emergency: confirm the packaging-line slot for HLX-12 launch packs": (
        "The Suzhou packaging line is being booked for next quarter: please confirm today "
        "the HLX-12 launch-pack quantities, or we lose the slot.", "", ""),
    "Emergency: hold the lot H-8 shipment": (
        "Please hold the shipment of HLX-7 lot H-8 to the Lyon site until our QA has seen "
        "the sterility investigation of lot H-7.", "", ""),
}


REQUEST_NOTES = {
    "Emergency: regulator question on the filter validation":
        "The agency's deficiency letter gives us five working days; without the filter "
        "validation data the response misses the deadline and the approval slips a cycle.",
}


#: Why the receiving party declined a request (its decline step's note).
DECLINE_REASONS = {
    "Pull the 18-month stability samples two weeks early":
        "Two weeks early puts the 18-month time point outside the ±7-day pull window of the "
        "approved stability protocol, which would need a protocol amendment first. We pull "
        "on schedule and can run the assay within five working days of the pull.",
}


# (relay title in NA) <- (original title in NM): the sponsor rewrote the CDMO's question for
# the testing lab without Meridian's confidential detail.
RELAYS = [("Column used in the validated HPLC method",
           "Which column did the lab validate the HPLC method on?")]
