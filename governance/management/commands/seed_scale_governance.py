"""The scale data set's governance records (run by seed_scale, in its transaction and with
its loader; partnership.scale says how): meetings with attendees, action items, requests
with their steps, audits with their teams and findings, lots, deviations, then comments on
and notifications about them. It chains seed_scale_metrics.

The shape of the demo over five years, busier lately (the portal's use grew): most records
old and closed, the recent ones spread
over every status of their workflow, a share overdue (actions past due, requests not
acknowledged in time, findings not answered by their date), meetings and audits planned up
to four months ahead. Every partnership-scoped reference stays inside its partnership
(an action's meeting and request, a finding's audit, a deviation's lot, a lot's program and
site, a comment's record), owners and authors are people seated in it with a writing role,
and the numbering the models constrain (request numbers, finding numbers, lot numbers,
deviation references) counts per partnership.
"""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from governance.models import (
    ActionItem,
    Audit,
    Batch,
    Deviation,
    Finding,
    Meeting,
    Request,
    RequestStep,
)
from partnership import scale
from partnership.contracts.models import Program
from partnership.models import Comment, Membership, Notification, Partnership, Site

D, H = datetime.timedelta(days=1), datetime.timedelta(hours=1)
WRITERS = ("lead", "member", "qa_lead")
#: Each partnership's escalation levels with the days an item waits before reaching each
#: (the sum of the lower levels' days), for the steps the job took in the past.
_PATH = ("WITH path AS (SELECT partnership_id, level, name, days_allowed, COALESCE(SUM("
         "days_allowed) OVER (PARTITION BY partnership_id ORDER BY level ROWS BETWEEN "
         "UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::integer AS waited FROM "
         "partnership_escalationlevel)")
MEETING_KINDS = {"weekly_check_in": 50, "operations_review": 25, "business_review": 10,
                 "steering_committee": 5, "audit_opening": 5, "audit_closing": 5}
MEETING_TITLES = {"weekly_check_in": "Weekly check-in", "operations_review":
                  "Operations review", "business_review": "Quarterly business review",
                  "steering_committee": "Steering committee", "audit_opening":
                  "Audit opening meeting", "audit_closing": "Audit closing meeting"}
ACTION_TOPICS = ["Send the updated batch schedule", "Confirm the sample shipment",
                 "Review the deviation trend report", "Share the stability protocol",
                 "Agree the PPQ batch dates", "Update the risk register",
                 "Circulate the meeting minutes", "Book the cold-chain carrier",
                 "Check the certificate of analysis", "Draft the change control",
                 "Chase the raw-material supplier", "Prepare the steering pack"]
REQUEST_TOPICS = {"information": "Information on", "sample_pull": "Sample pull for",
                  "testing": "Additional testing of", "document": "Documents for",
                  "quote": "Quote for", "change": "Change to"}
OBJECTS = ["lot release", "the PPQ campaign", "the stability study", "the tech transfer",
           "the Q3 forecast", "filling line 2", "the reference standard",
           "the cleaning validation", "the resin lifetime study", "the annual review"]


_POOLS: dict = {}


def pick(r, seats, roles=WRITERS, party=None):
    """One seated person of the partnership (of `party`), with one of `roles`."""
    key = (id(seats), roles, party)
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = [u for (p, role), users in sorted(seats.items())
                              for u in users if role in roles and party in (None, p)]
    return pool[r.randrange(len(pool))]


class Command(scale.PartCommand):
    help = "The scale data set's governance records (run by seed_scale)."

    def handle(self, *args, size, loader, timer, **options):
        self.c, self.loader = scale.SIZES[size], loader
        _POOLS.clear()
        self.now, self.today = scale.anchor(), scale.today()
        self.world()
        for name, part in (("meetings", self.meetings), ("requests", self.requests),
                           ("action items", self.actions), ("audits and findings", self.audits),
                           ("lots", self.batches), ("deviations", self.deviations),
                           ("comments", self.comments),
                           ("notifications", self.notifications),
                           ("the jobs' past work", self.jobs_done)):
            with timer.part(name):
                part()
                loader.flush()
        call_command("seed_scale_metrics", size=size, loader=loader, timer=timer,
                     stdout=self.stdout)

    def world(self) -> None:
        """What seed_scale made: partnerships, their seats, sites and programs; and each
        partnership's share of the records (the heavy one many times the others')."""
        self.partnerships = list(Partnership.objects.order_by("pk").values(
            "pk", "sponsor_id", "cdmo_id", "acknowledgement_hours",
            "emergency_acknowledgement_hours", "created_at"))
        by_pk = {p["pk"]: p for p in self.partnerships}
        self.seats = defaultdict(lambda: defaultdict(list))
        self.org = {}
        for m in Membership.objects.order_by("pk").values(
                "partnership_id", "user_id", "role", "user__organization_id"):
            p = by_pk[m["partnership_id"]]
            self.org[m["user_id"]] = m["user__organization_id"]
            party = "sponsor" if m["user__organization_id"] == p["sponsor_id"] else "cdmo"
            self.seats[p["pk"]][(party, m["role"])].append(m["user_id"])
        self.sites = defaultdict(list)
        for site in Site.objects.order_by("pk").values("pk", "organization_id"):
            self.sites[site["organization_id"]].append(site["pk"])
        self.programs = defaultdict(list)
        for program in Program.objects.filter(is_internal=False).order_by("pk").values(
                "pk", "partnership_id", "code"):
            program["sites"] = list(Program.sites.through.objects.filter(
                program_id=program["pk"]).order_by("site_id").values_list("site_id",
                                                                          flat=True))
            self.programs[program["partnership_id"]].append(program)
        first = self.partnerships[0]
        big_sponsor = first["sponsor_id"]
        self.heavy = first["pk"]
        self.heavy_lead = self.seats[first["pk"]][("sponsor", "lead")][0]
        self.portfolio = {p["pk"] for p in self.partnerships if p["sponsor_id"] == big_sponsor}
        r = scale.rng("shares")
        self.weights = [self.c["heavy_weight"] if p["pk"] == self.heavy else
                        0.5 + r.random() for p in self.partnerships]

    def share(self, kind: str) -> list[tuple[dict, int]]:
        return list(zip(self.partnerships, scale.spread(self.c[kind], self.weights),
                        strict=True))

    def author(self, r, p, party=None):
        """(user id, organization id) of a writer of the partnership."""
        user = pick(r, self.seats[p["pk"]], party=party)
        return user, self.org_of(p, user)

    def org_of(self, p, user) -> int:
        return self.org[user]

    # --- meetings ------------------------------------------------------------------------

    def meetings(self) -> None:
        r = scale.rng("meetings")
        self.held = defaultdict(list)  # partnership -> [(meeting id, starts_at)]
        self.all_meetings = defaultdict(list)
        for p, count in self.share("meetings"):
            for _ in range(count):
                kind = scale.weighted(r, MEETING_KINDS)
                future = r.random() < 0.08
                if future:
                    starts = self.now + D * r.uniform(0.5, 120)
                    status = "cancelled" if r.random() < 0.05 else "scheduled"
                else:
                    starts = scale.past_moment(r, skew=1.3)
                    status = "cancelled" if r.random() < 0.07 else "held"
                starts = starts.replace(minute=0, second=0, microsecond=0, hour=r.choice(
                    [7, 8, 9, 13, 14, 15]))
                created = min(starts - D * r.randint(3, 30), self.now - 2 * H)
                user, org = self.author(r, p)
                pk = self.loader[Meeting].add(
                    partnership_id=p["pk"], author_organization_id=org, created_by_id=user,
                    created_at=created, updated_at=created, title=MEETING_TITLES[kind],
                    kind=kind, starts_at=starts, duration_minutes=r.choice([30, 60, 90]),
                    location=r.choice(["Video call", "Boston site", "Teams", "Basel office"]),
                    agenda="1. Actions review\n2. Supply status\n3. Quality topics\n4. AOB",
                    minutes="Actions reviewed; supply on plan; quality topics closed."
                    if status == "held" else "", status=status, uid=scale.make_uuid(r))
                seats = self.seats[p["pk"]]
                for user_id in sorted({pick(r, seats, party="sponsor"),
                                       pick(r, seats, party="cdmo"), pick(r, seats)}):
                    self.loader[Meeting.attendees.through].add(meeting_id=pk,
                                                               user_id=user_id)
                self.all_meetings[p["pk"]].append(pk)
                if status == "held":
                    self.held[p["pk"]].append((pk, starts))

    # --- requests ------------------------------------------------------------------------

    def requests(self) -> None:
        r = scale.rng("requests")
        self.request_ids = defaultdict(list)
        old = {"accepted": 70, "cancelled": 8, "declined": 5, "fulfilled": 7,
               "in_progress": 5, "acknowledged": 3, "sent": 1, "queried": 1}
        recent = {"sent": 18, "queried": 8, "acknowledged": 20, "in_progress": 25,
                  "fulfilled": 12, "accepted": 12, "cancelled": 3, "declined": 2}
        for p, count in self.share("requests"):
            sent = sorted(scale.past_moment(r, skew=1.4) for _ in range(count))
            for number, sent_at in enumerate(sent, start=1):
                party = "sponsor" if r.random() < 0.7 else "cdmo"
                other = "cdmo" if party == "sponsor" else "sponsor"
                requester, org = self.author(r, p, party)
                receiver = pick(r, self.seats[p["pk"]], party=other)
                kind = r.choice(list(REQUEST_TOPICS))
                urgency = scale.weighted(r, {"normal": 80, "urgent": 15, "emergency": 5})
                hours = p["emergency_acknowledgement_hours"] if urgency == "emergency" else \
                    p["acknowledgement_hours"]
                age = (self.now - sent_at).days
                status = scale.weighted(r, old if age > 60 else recent)
                needed = (sent_at + D * r.randint(7, 45)).date() if r.random() < 0.8 else None
                f = {"acknowledge_by": sent_at + H * hours, "acknowledged_at": None,
                     "committed_date": None, "fulfilled_at": None, "closed_at": None,
                     "question": "", "answer": "", "decline_reason": "",
                     "fulfilment_note": "", "late_notified_at": None}
                steps = [("send", "sent", requester, sent_at)]
                moment = sent_at
                if status == "queried":
                    moment = sent_at + H * r.uniform(1, hours * 1.5)
                    f["question"] = "Which lots and which test methods does this cover?"
                    steps.append(("query", "queried", receiver, moment))
                if status == "declined":
                    moment = sent_at + H * r.uniform(1, hours)
                    f["decline_reason"] = "Outside the scope of the current statement of work."
                    f["closed_at"] = moment
                    steps.append(("decline", "declined", receiver, moment))
                if status in ("acknowledged", "in_progress", "fulfilled", "accepted"):
                    moment = sent_at + H * r.uniform(1, hours * 1.4)  # some acknowledged late
                    f["acknowledged_at"] = moment
                    f["committed_date"] = needed or (moment + D * r.randint(5, 30)).date()
                    steps.append(("acknowledge", "acknowledged", receiver, moment))
                if status in ("in_progress", "fulfilled", "accepted"):
                    moment += D * r.uniform(0.2, 3)
                    steps.append(("start", "in_progress", receiver, moment))
                if status in ("fulfilled", "accepted"):
                    moment += D * r.uniform(1, 30)
                    f["fulfilled_at"] = moment
                    f["fulfilment_note"] = "Delivered as agreed; documents attached."
                    steps.append(("fulfil", "fulfilled", receiver, moment))
                if status == "accepted":
                    moment += D * r.uniform(0.2, 5)
                    f["closed_at"] = moment
                    steps.append(("accept", "accepted", requester, moment))
                if status == "cancelled":
                    moment = sent_at + D * r.uniform(0.1, 10)
                    f["closed_at"] = moment
                    steps.append(("cancel", "cancelled", requester, moment))
                if any(f[k] and f[k] > self.now - H for k in ("fulfilled_at", "closed_at",
                                                             "acknowledged_at")):
                    # Nothing happens in the future: the request stays at its last step.
                    status, steps = "sent", steps[:1]
                    f.update(acknowledged_at=None, committed_date=None, fulfilled_at=None,
                             closed_at=None, question="", decline_reason="",
                             fulfilment_note="")
                if status == "sent" and f["acknowledge_by"] < self.now - D:
                    f["late_notified_at"] = f["acknowledge_by"] + H  # the late job told them
                moment = max(step[3] for step in steps)
                pk = self.loader[Request].add(
                    partnership_id=p["pk"], author_organization_id=org,
                    created_by_id=requester, created_at=sent_at, updated_at=moment,
                    number=number, title=f"{REQUEST_TOPICS[kind]} {r.choice(OBJECTS)}",
                    description="Please see the attached details and confirm the plan.",
                    kind=kind, urgency=urgency, requested_by_party=party, needed_by=needed,
                    assignee_id=receiver if r.random() < 0.8 else None, status=status,
                    sent_at=sent_at, emergency_justification="Patient supply at risk."
                    if urgency == "emergency" else "", **f)
                for step, after, actor, at in steps:
                    self.loader[RequestStep].add(partnership_id=p["pk"], request_id=pk,
                                                 step=step, status=after, actor_id=actor,
                                                 at=at)
                self.request_ids[p["pk"]].append((pk, sent_at))

    # --- action items --------------------------------------------------------------------

    def actions(self) -> None:
        r = scale.rng("actions")
        for p, count in self.share("actions"):
            held, asked = self.held[p["pk"]], self.request_ids[p["pk"]]
            for _ in range(count):
                source = r.random()
                meeting_id = request_id = None
                if source < 0.45 and held:
                    meeting_id, starts = held[r.randrange(len(held))]
                    created = starts + H * 2
                elif source < 0.55 and asked:
                    request_id, sent = asked[r.randrange(len(asked))]
                    created = sent + H * 3
                else:
                    created = scale.past_moment(r, skew=1.4)
                created = min(created, self.now - 2 * H)
                due = (created + D * r.randint(3, 60)).date()
                if p["pk"] in self.portfolio and r.random() < 0.5:
                    owner = self.heavy_lead
                else:
                    owner = pick(r, self.seats[p["pk"]])
                internal = r.random() < 0.05
                if internal:
                    author, org = owner, self.org_of(p, owner)
                else:
                    author, org = self.author(r, p)
                late = (self.today - due).days
                if late > 30:
                    status = scale.weighted(r, {"done": 86, "cancelled": 9, "open": 3,
                                                "in_progress": 2})
                    if owner == self.heavy_lead and r.random() < 0.15:
                        status = "open"  # the lead who cannot keep up
                elif late > 0:
                    status = scale.weighted(r, {"done": 45, "open": 35, "in_progress": 15,
                                                "cancelled": 5})
                else:
                    status = scale.weighted(r, {"open": 55, "in_progress": 30, "done": 13,
                                                "cancelled": 2})
                completed = None
                if status == "done":
                    completed = min(created + D * r.uniform(0.5, (due - created.date()).days
                                                            + 10), self.now - H)
                self.loader[ActionItem].add(
                    partnership_id=p["pk"], is_internal=internal, author_organization_id=org,
                    created_by_id=author, created_at=created,
                    updated_at=completed or created,
                    title=r.choice(ACTION_TOPICS), owner_id=owner, due_date=due,
                    priority=scale.weighted(r, {"high": 20, "medium": 60, "low": 20}),
                    status=status, completed_at=completed, meeting_id=meeting_id,
                    request_id=request_id, description="")

    # --- audits and findings -------------------------------------------------------------

    def audits(self) -> None:
        r = scale.rng("audits")
        self.audit_ids = defaultdict(list)
        per_audit = self.c["findings"] / max(1, self.c["audits"]) / 0.8
        for p, count in self.share("audits"):
            seats = self.seats[p["pk"]]
            auditors = seats[("sponsor", "qa_lead")] + seats[("sponsor", "member")]
            hosts = seats[("cdmo", "qa_lead")]
            for _ in range(count):
                roll = r.random()  # planned ahead, under way, reported lately, or older
                if roll < 0.10:
                    start = self.today + D * r.randint(1, 120)
                    end = start + D * r.randint(0, 3)
                elif roll < 0.13:
                    start = self.today - D * r.randint(0, 2)
                    end = self.today + D * r.randint(0, 2)
                else:
                    end = scale.past_moment(r, before=60 if roll > 0.22 else 5,
                                            days=365 * scale.YEARS if roll > 0.22 else 60
                                            ).date()
                    start = end - D * r.randint(0, 3)
                ago = (self.today - end).days
                if start > self.today:
                    status = scale.weighted(r, {"planned": 50, "confirmed": 45,
                                                "cancelled": 5})
                elif end >= self.today:
                    status = "in_progress"
                elif ago < 60:
                    status = scale.weighted(r, {"report_issued": 45,
                                                "responses_received": 30, "closed": 20,
                                                "cancelled": 5})
                else:
                    status = scale.weighted(r, {"closed": 88, "responses_received": 3,
                                                "report_issued": 3, "cancelled": 6})
                created = min(datetime.datetime.combine(start, datetime.time(9),
                                                        tzinfo=datetime.UTC)
                              - D * r.randint(30, 90), self.now - 2 * H)
                lead = auditors[0]
                host = hosts[0]
                f = {"confirmed_at": None, "confirmed_by_id": None, "report_issued_at": None,
                     "closed_at": None, "cancelled_at": None, "cancel_reason": ""}
                if status not in ("planned", "cancelled"):
                    f["confirmed_at"] = created + D * r.randint(2, 20)
                    f["confirmed_by_id"] = host
                issued = datetime.datetime.combine(end, datetime.time(16),
                                                   tzinfo=datetime.UTC) + D * r.randint(5, 25)
                issued = min(issued, self.now - 2 * H)
                if status in ("report_issued", "responses_received", "closed"):
                    f["report_issued_at"] = issued
                if status == "closed":
                    f["closed_at"] = min(issued + D * r.randint(20, 60), self.now - H)
                if status == "cancelled":
                    f["cancelled_at"] = created + D * r.randint(1, 20)
                    f["cancel_reason"] = "Rescheduled at the CDMO's request."
                site = self.sites[p["cdmo_id"]][r.randrange(len(self.sites[p["cdmo_id"]]))]
                kind = scale.weighted(r, {"routine": 60, "qualification": 15,
                                          "for_cause": 10, "remote": 15})
                pk = self.loader[Audit].add(
                    partnership_id=p["pk"], author_organization_id=p["sponsor_id"],
                    created_by_id=lead, created_at=created,
                    updated_at=max(v for v in (created, *f.values()) if isinstance(
                        v, datetime.datetime)),
                    site_id=site, kind=kind, scope="GMP compliance of drug substance "
                    "manufacture, QC laboratories and warehousing.", planned_start=start,
                    planned_end=end, lead_auditor_id=lead, host_id=host, status=status,
                    report_summary="Overall compliant; findings below."
                    if f["report_issued_at"] else "", **f)
                for member in sorted(set(r.sample(auditors, min(2, len(auditors))))):
                    self.loader[Audit.team.through].add(audit_id=pk, user_id=member)
                self.audit_ids[p["pk"]].append(pk)
                if f["report_issued_at"]:
                    self.findings(r, p, pk, status, lead, host, issued, per_audit)

    def findings(self, r, p, audit, audit_status, lead, host, issued, per_audit) -> None:
        n = max(0, round(r.gauss(per_audit, per_audit / 2)))
        for number in range(1, n + 1):
            classification = scale.weighted(r, {"critical": 3, "major": 25, "minor": 45,
                                                 "observation": 27})
            observation = classification == "observation"
            due = None if observation else (issued + D * 30).date()
            if audit_status == "closed":
                status = "accepted"
            elif observation:
                status = "open"
            elif audit_status == "responses_received":
                status = scale.weighted(r, {"responded": 50, "accepted": 40,
                                            "sent_back": 10})
            else:
                status = scale.weighted(r, {"open": 60, "responded": 40})
            responded = reviewed = None
            if status in ("responded", "accepted", "sent_back") and not observation:
                responded = min(issued + D * r.uniform(3, 35), self.now - 2 * H)
            if status in ("accepted", "sent_back"):
                reviewed = min((responded or issued) + D * r.uniform(1, 10), self.now - H)
            self.loader[Finding].add(
                partnership_id=p["pk"], audit_id=audit, number=number,
                classification=classification, title=f"Finding {number}: "
                + r.choice(["Cleaning records incomplete", "Deviation trending not done",
                            "Training records out of date", "Alarm limits not justified",
                            "Change control approved late"]),
                requirement="EU GMP Part I, chapter " + str(r.randint(1, 9)),
                evidence="Seen during the walk-through and in the records sampled.",
                response_due=due, status=status, raised_by_id=lead, raised_at=issued,
                response="Root cause found; CAPA raised." if responded else "",
                responded_by_id=host if responded else None, responded_at=responded,
                review_note="Accepted." if status == "accepted" and reviewed else "",
                reviewed_by_id=lead if reviewed else None, reviewed_at=reviewed)

    # --- lots and deviations -------------------------------------------------------------

    def batches(self) -> None:
        r = scale.rng("batches")
        self.lots = defaultdict(list)
        for p, count in self.share("batches"):
            programs = self.programs[p["pk"]]
            days = sorted(scale.past_moment(r, before=1, skew=1.2).date() for _ in range(count))
            cdmo_qa = self.seats[p["pk"]][("cdmo", "qa_lead")][0]
            sponsor_qa = self.seats[p["pk"]][("sponsor", "qa_lead")][0]
            for seq, made in enumerate(days, start=1):
                program = programs[r.randrange(len(programs))] if programs else None
                sites = (program and program["sites"]) or self.sites[p["cdmo_id"]]
                ago = (self.today - made).days
                status = scale.weighted(r, {"released": 85, "rejected": 5, "quarantined": 3,
                                            "sponsor_reviewed": 3, "cdmo_reviewed": 2,
                                            "manufactured": 2} if ago > 45 else
                                        {"manufactured": 30, "cdmo_reviewed": 25,
                                         "sponsor_reviewed": 15, "released": 25,
                                         "quarantined": 3, "rejected": 2})
                created = min(datetime.datetime.combine(made, datetime.time(18),
                                                        tzinfo=datetime.UTC), self.now - 2 * H)
                f = {}
                moment = created
                if status != "manufactured":
                    moment = min(moment + D * r.uniform(1, 10), self.now - H)
                    f.update(cdmo_reviewed_by_id=cdmo_qa, cdmo_reviewed_at=moment,
                             cdmo_review_note="Batch record reviewed; no open deviations.")
                if status in ("sponsor_reviewed", "released", "rejected"):
                    moment = min(moment + D * r.uniform(1, 10), self.now - H)
                    f.update(sponsor_reviewed_by_id=sponsor_qa, sponsor_reviewed_at=moment,
                             sponsor_review_note="Reviewed against the specification.")
                if status in ("released", "rejected"):
                    moment = min(moment + D * r.uniform(0.5, 5), self.now - H)
                    f.update(disposed_by_id=sponsor_qa, disposed_at=moment)
                if status == "quarantined":
                    f.update(quarantined_at=moment)
                code = program["code"] if program else f"L{p['pk']}"
                lot = f"{code}-{made:%y}{seq:05d}"
                pk = self.loader[Batch].add(
                    partnership_id=p["pk"], author_organization_id=p["cdmo_id"],
                    created_by_id=cdmo_qa, created_at=created, updated_at=moment,
                    program_id=program["pk"] if program else None,
                    site_id=sites[r.randrange(len(sites))], lot_number=lot,
                    stage=r.choice(["drug_substance", "drug_product", "finished_pack"]),
                    manufactured_on=made, status=status, **f)
                self.lots[p["pk"]].append((pk, lot))

    def deviations(self) -> None:
        r = scale.rng("deviations")
        for p, count in self.share("deviations"):
            seats = self.seats[p["pk"]]
            cdmo_qa, sponsor_qa = seats[("cdmo", "qa_lead")][0], seats[("sponsor", "qa_lead")][0]
            detected_all = sorted(scale.past_moment(r, before=0.2, skew=1.2)
                                  for _ in range(count))
            for seq, detected in enumerate(detected_all, start=1):
                ago = (self.now - detected).days
                status = scale.weighted(r, {"closed": 85, "investigating": 7, "open": 4,
                                            "closure_requested": 4} if ago > 90 else
                                        {"open": 30, "investigating": 40,
                                         "closure_requested": 15, "closed": 15})
                notified = None
                if r.random() < 0.9:
                    notified = min(detected + H * r.uniform(1, 120), self.now - H / 2)
                closed = min(detected + D * r.uniform(10, 80), self.now - H / 4) \
                    if status == "closed" else None
                lot = self.lots[p["pk"]][r.randrange(len(self.lots[p["pk"]]))] \
                    if self.lots[p["pk"]] and r.random() < 0.6 else None
                created = min(detected + 2 * H, self.now - H / 2)
                self.loader[Deviation].add(
                    partnership_id=p["pk"], author_organization_id=p["cdmo_id"],
                    created_by_id=cdmo_qa, created_at=created,
                    updated_at=max(v for v in (created, notified, closed) if v),
                    reference=f"DEV-{seq:05d}",
                    site_id=self.sites[p["cdmo_id"]][r.randrange(
                        len(self.sites[p["cdmo_id"]]))],
                    batch_id=lot[0] if lot else None, lot=lot[1] if lot else "",
                    kind=scale.weighted(r, {"deviation": 70, "oos": 12, "oot": 8,
                                            "complaint": 10}),
                    classification=scale.weighted(r, {"critical": 3, "major": 27,
                                                      "minor": 70}),
                    title=r.choice(["Fill weight above the action limit",
                                    "Temperature excursion in cold room 2",
                                    "Out-of-specification bioburden result",
                                    "Label reconciliation discrepancy",
                                    "Missed in-process sample"]),
                    description="Detected during routine monitoring; see the record.",
                    detected_at=detected, sponsor_notified_at=notified, status=status,
                    investigation="Investigation under way." if status != "open" else "",
                    root_cause="Operator error; retraining." if closed else "",
                    product_impact="No impact on product quality." if closed else "",
                    closed_at=closed, closed_by_id=sponsor_qa if closed else None)

    # --- comments and notifications ------------------------------------------------------

    def comments(self) -> None:
        """Comments on requests, actions, lots and audits of both parties (shared records
        only: a comment of the other party on an internal action would leak)."""
        r = scale.rng("comments")
        for p, count in self.share("comments"):
            asked = self.request_ids[p["pk"]]
            audits = self.audit_ids[p["pk"]]
            lots = self.lots[p["pk"]]
            for _ in range(count):
                roll = r.random()
                if roll < 0.6 and asked:
                    record_type, (record, since) = "request", asked[r.randrange(len(asked))]
                elif roll < 0.8 and lots:
                    record_type, since = "batch", None
                    record = lots[r.randrange(len(lots))][0]
                elif audits:
                    record_type, since = "audit", None
                    record = audits[r.randrange(len(audits))]
                else:
                    continue
                when = scale.past_moment(r, days=(self.now - since).days + 1, skew=0.5) \
                    if since else scale.past_moment(r, days=365 * 2)
                user, org = self.author(r, p)
                self.loader[Comment].add(
                    partnership_id=p["pk"], author_organization_id=org, created_by_id=user,
                    created_at=when, updated_at=when, record_type=record_type,
                    record_id=record,
                    body=r.choice(["Thanks, noted.", "Can we discuss this at the weekly "
                                   "check-in?", "Documents uploaded.", "Agreed with the "
                                   "proposal.", "Please see the updated schedule."]))

    def jobs_done(self) -> None:
        """What the jobs told over the years the set spans, so that their next run finds
        what an hourly run finds rather than five years of backlog (the benchmark's sweeps
        time both): each open action overdue since before yesterday was reminded the day
        after its due date, and each such action and each late request climbed its
        partnership's escalation path up to the level its days reached, one step a level
        (late requests were marked told when they loaded: `late_notified_at`). What became
        due since yesterday is left to the jobs."""
        before = self.today - datetime.timedelta(days=1)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO governance_actionitemoverduereminder (action_id, due_date, "
                "created_at) SELECT id, due_date, (due_date + 1)::timestamp AT TIME ZONE 'UTC' "
                "FROM governance_actionitem WHERE status NOT IN ('done', 'cancelled') "
                "AND due_date < %s", [before])
            cursor.execute(
                f"{_PATH} INSERT INTO governance_actionitemescalation (partnership_id, level, "
                "level_name, days_allowed, reached_at, action_id, due_date) "
                "SELECT a.partnership_id, p.level, p.name, p.days_allowed, "
                "(a.due_date + 1 + p.waited)::timestamp AT TIME ZONE 'UTC', a.id, a.due_date "
                "FROM governance_actionitem a JOIN path p USING (partnership_id) "
                "WHERE a.status NOT IN ('done', 'cancelled') AND a.due_date + 1 + p.waited < %s",
                [before])
            cursor.execute(
                f"{_PATH} INSERT INTO governance_requestescalation (partnership_id, level, "
                "level_name, days_allowed, reached_at, request_id, acknowledge_by) "
                "SELECT r.partnership_id, p.level, p.name, p.days_allowed, "
                "r.acknowledge_by + p.waited * interval '1 day', r.id, r.acknowledge_by "
                "FROM governance_request r JOIN path p USING (partnership_id) "
                "WHERE r.status = 'sent' AND r.acknowledged_at IS NULL "
                "AND r.acknowledge_by + p.waited * interval '1 day' < %s",
                [self.now - datetime.timedelta(days=1)])

    def notifications(self) -> None:
        """Each person's bell: news of requests of the last three months, most read."""
        r = scale.rng("notifications")
        request_type = ContentType.objects.get_for_model(Request).pk
        url = reverse("governance:request_detail", args=[999_000_001, 999_000_002])
        for p, count in self.share("notifications"):
            asked = [a for a in self.request_ids[p["pk"]]
                     if (self.now - a[1]).days < 90] or self.request_ids[p["pk"]]
            if not asked:
                continue
            seats = self.seats[p["pk"]]
            for _ in range(count):
                request, sent = asked[r.randrange(len(asked))]
                recipient = self.heavy_lead if p["pk"] in self.portfolio and \
                    r.random() < 0.3 else pick(r, seats, roles=("lead", "member", "qa_lead",
                                                                 "steering", "viewer"))
                actor = pick(r, seats)
                created = min(sent + H * r.uniform(0.1, 48), self.now - H / 4)
                kind = r.choice(["request_received", "request_updated", "request_late"])
                read = created + H * r.uniform(1, 72) if r.random() < 0.8 and \
                    created + 72 * H < self.now else None
                self.loader[Notification].add(
                    recipient_id=recipient, partnership_id=p["pk"], kind=kind,
                    actor_id=None if actor == recipient else actor,
                    title={"request_received": "New request", "request_updated":
                           "A request changed status", "request_late":
                           "A request was not acknowledged in time"}[kind],
                    url=url.replace("999000001", str(p["pk"])).replace("999000002",
                                                                         str(request)),
                    record_type_id=request_type, record_id=request, created_at=created,
                    read_at=read, delivery="immediately", emailed_at=created + H / 60)
