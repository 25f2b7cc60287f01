"""Named people in several organizations, the cast every test can use.

    Acme (sponsor) ── Acme–Contoso ── Contoso (CDMO) ── Globex–Contoso ── Globex (sponsor)
                   └─ Acme–Labcorp ── Labcorp (testing lab)

alice   Acme lead in Acme–Contoso and Acme–Labcorp
bob     Contoso member of Acme–Contoso only
carol   Contoso lead of Globex–Contoso only (same CDMO as bob, other sponsor)
dave    Globex lead of Globex–Contoso (a competitor of Acme)
vera    Acme viewer in Acme–Contoso (read-only)
olga    Contoso organization admin, no seat (sees both Contoso partnerships)
oscar   outsider: an organization with no partnership at all

Each organization's verified e-mail domain is its first word in lower case + ".test"
(acme.test, contoso.test …): its admins may invite addresses there, like its people's.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile

from governance.models import (
    ActionItem,
    Audit,
    AuditProgramme,
    Batch,
    Capa,
    CertificateOfAnalysis,
    ChangeControl,
    Decision,
    Deviation,
    Finding,
    Inspection,
    Meeting,
    MinutesVersion,
    Notice,
    QualityAgreement,
    Recognition,
    Request,
    RequestStep,
    Responsibility,
    Risk,
    SiteQualification,
    Subcontractor,
    SurveyResponse,
)
from metrics.models import (
    KPIDefinition,
    KPIImport,
    KPIMeasurement,
    MeasurementEvidence,
    MeasurementReview,
    SteeringPack,
)
from partnership.models import (
    Attachment,
    Comment,
    CommunicationPlan,
    EscalationLevel,
    Membership,
    Milestone,
    Objective,
    ObjectiveReview,
    Organization,
    Partnership,
    PointOfContact,
    Priority,
    PriorityChange,
    Program,
    Site,
    TechTransfer,
    User,
)
from partnership.notifications.models import Notification, NotificationPreference
from tests.factories import (
    PDF,
    AcceptanceCriterionFactory,
    ContractDocumentFactory,
    ContractFactory,
    DeliverableFactory,
    MembershipFactory,
    NegotiationRoundFactory,
    OrganizationDomainFactory,
    OrganizationFactory,
    PartnershipFactory,
    ProgramFactory,
    SiteFactory,
    UserFactory,
    reviewed,
    signed,
)


@dataclass
class World:
    acme: Organization
    globex: Organization
    contoso: Organization
    labcorp: Organization
    acme_contoso: Partnership
    acme_labcorp: Partnership
    globex_contoso: Partnership
    alice: User
    bob: User
    carol: User
    dave: User
    vera: User
    olga: User
    oscar: User
    acme_program: Program
    acme_internal_program: Program
    globex_program: Program
    globex_site: Site

    @property
    def partnerships(self) -> list[Partnership]:
        return [self.acme_contoso, self.acme_labcorp, self.globex_contoso]

    def fresh(self) -> "World":
        """The same cast read again from the database (one query per model): what one test
        set on these objects never reaches the next test that shares the world."""
        copy = object.__new__(World)
        by_model: dict[type, list[int]] = {}
        for value in vars(self).values():
            by_model.setdefault(type(value), []).append(value.pk)
        rows = {model: model._default_manager.in_bulk(pks) for model, pks in by_model.items()}
        for name, value in vars(self).items():
            setattr(copy, name, rows[type(value)][value.pk])
        return copy


def build_world() -> World:
    acme = OrganizationFactory(name="Acme Pharma", kind="sponsor")
    globex = OrganizationFactory(name="Globex Biotech", kind="sponsor")
    contoso = OrganizationFactory(name="Contoso CDMO", kind="cdmo")
    labcorp = OrganizationFactory(name="Labcorp Testing", kind="cdmo")
    outsiders = OrganizationFactory(name="Outsider Inc", kind="cdmo")
    for organization in (acme, globex, contoso, labcorp, outsiders):
        OrganizationDomainFactory(organization=organization)  # acme.test, contoso.test …
    SiteFactory(organization=contoso, name="Contoso Boston", city="Boston",
                time_zone="America/New_York")
    SiteFactory(organization=labcorp, name="Labcorp Milan")
    SiteFactory(organization=acme, name="Acme Basel", time_zone="Europe/Zurich")
    globex_site = SiteFactory(organization=globex, name="Globex Osaka", city="Osaka",
                              time_zone="Asia/Tokyo")
    acme_contoso = PartnershipFactory(sponsor=acme, cdmo=contoso)
    acme_labcorp = PartnershipFactory(sponsor=acme, cdmo=labcorp)
    globex_contoso = PartnershipFactory(sponsor=globex, cdmo=contoso)

    def person(first, org, **extra):
        return UserFactory(email=f"{first.lower()}@{org.name.split()[0].lower()}.test",
                           first_name=first, last_name=f"{org.name.split()[0]}son",
                           organization=org, **extra)

    alice, bob, carol = person("Alice", acme), person("Bob", contoso), person("Carol", contoso)
    dave, vera = person("Dave", globex), person("Vera", acme)
    olga, oscar = person("Olga", contoso, is_org_admin=True), person("Oscar", outsiders)
    lab_lead = person("Lena", labcorp)
    MembershipFactory(partnership=acme_contoso, user=alice, role=Membership.Role.LEAD)
    MembershipFactory(partnership=acme_labcorp, user=alice, role=Membership.Role.LEAD)
    MembershipFactory(partnership=acme_contoso, user=bob, role=Membership.Role.MEMBER)
    MembershipFactory(partnership=globex_contoso, user=carol, role=Membership.Role.LEAD)
    MembershipFactory(partnership=globex_contoso, user=dave, role=Membership.Role.LEAD)
    MembershipFactory(partnership=acme_contoso, user=vera, role=Membership.Role.VIEWER)
    MembershipFactory(partnership=acme_labcorp, user=lab_lead, role=Membership.Role.LEAD)
    for partnership, name in ((acme_contoso, "Acme–Contoso supply agreement"),
                              (acme_labcorp, "Acme–Labcorp testing agreement"),
                              (globex_contoso, "Globex–Contoso supply agreement")):
        contract = ContractFactory(partnership=partnership, title=name)
        NegotiationRoundFactory(contract=contract, number=1)
        ContractDocumentFactory(contract=contract)
        deliverable = DeliverableFactory(sow__partnership=partnership, sow__parent=contract)
        AcceptanceCriterionFactory(deliverable=deliverable)
        reviewed(deliverable, reviewer=partnership.memberships.first().user, met=False)
        lead = partnership.memberships.filter(user__organization=partnership.sponsor).first()
        PointOfContact.objects.create(partnership=partnership, party="sponsor",
                                      function="project", primary=lead.user)
        CommunicationPlan.objects.create(partnership=partnership, ground_rules=f"{name} rules")
        EscalationLevel.objects.create(partnership=partnership, level=1,
                                       name="Project leads").people.set([lead.user])
        Priority.objects.create(partnership=partnership, rank=1, title=f"{name} priority")
        cdmo_member = partnership.memberships.filter(user__organization=partnership.cdmo).first()
        objective = Objective.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            title=f"{name} objective", measure_of_success="Measured",
            sponsor_owner=lead.user, cdmo_owner=cdmo_member.user,
            review_date=datetime.date(2027, 1, 15))
        ObjectiveReview.objects.create(partnership=partnership, objective=objective,
                                       status="on_track", note="Fine", reviewed_by=lead.user)
        transfer = TechTransfer.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            title=f"{name} transfer", site=partnership.cdmo.sites.first(),
            program=ProgramFactory(partnership=partnership))
        Milestone.objects.create(partnership=partnership, tech_transfer=transfer,
                                 kind="handover", position=5)
        ActionItem.objects.create(partnership=partnership, title=f"{name} action",
                                  author_organization=partnership.sponsor, owner=lead.user,
                                  due_date=datetime.date(2026, 1, 1))
        PriorityChange.objects.create(partnership=partnership, changed_by=lead.user,
                                      reason=f"{name} reason", after=[f"{name} priority"])
        # Meetings and decisions: one held meeting with an action and a decision.
        meeting = Meeting.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            title=f"{name} check-in", kind="weekly_check_in", minutes=f"{name} minutes",
            starts_at=datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC), status="held")
        meeting.attendees.set([lead.user, cdmo_member.user])
        # Its minutes approved by the sponsor's lead (a signature of each partnership).
        MinutesVersion.objects.create(partnership=partnership, meeting=meeting, number=1,
                                      text=meeting.minutes, created_by=lead.user)
        signed(meeting, "minutes_approved", signer=lead.user)
        decision = Decision.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            title=f"{name} decision", rationale="Reasons", decided_on=datetime.date(2026, 3, 2),
            meeting=meeting)
        decision.decided_by.set([lead.user])
        ActionItem.objects.create(partnership=partnership, title=f"{name} meeting action",
                                  author_organization=partnership.sponsor, owner=lead.user,
                                  due_date=datetime.date(2026, 4, 1), meeting=meeting,
                                  decision=decision)
        # Formal requests: one the sponsor sent, waiting on a milestone.
        sent = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
        request = Request.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, title=f"{name} request", description=f"{name} ask",
            kind="information", requested_by_party="sponsor", sent_at=sent,
            acknowledge_by=sent + datetime.timedelta(hours=48))
        request.milestones.set(Milestone.objects.filter(partnership=partnership))
        RequestStep.objects.create(partnership=partnership, request=request, step="send",
                                   status="sent", actor=lead.user, at=sent)
        # Its discussion: the sponsor's comment, mentioning the CDMO's member, with a file.
        comment = Comment.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, record_type="request", record_id=request.pk,
            body=f"{name} comment")
        comment.mentions.set([cdmo_member.user])
        Attachment.objects.create(
            partnership=partnership, comment=comment, name="specification.pdf", size=len(PDF),
            content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest(),
            file=ContentFile(PDF, name="specification.pdf"))
        # Risks, notices, recognition, survey: one of each.
        risk = Risk.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, title=f"{name} risk", category="supply", likelihood=4,
            impact=5, owner=lead.user, review_date=datetime.date(2026, 6, 1))
        risk.milestones.set(Milestone.objects.filter(partnership=partnership))
        # The audit programme: a routine audit of the CDMO's site, running, with a finding.
        audit = Audit.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, site=partnership.cdmo.sites.first(), kind="routine",
            scope=f"{name} audit scope", planned_start=datetime.date(2026, 3, 9),
            planned_end=datetime.date(2026, 3, 11), lead_auditor=lead.user,
            host=cdmo_member.user, status="in_progress")
        finding = Finding.objects.create(
            partnership=partnership, audit=audit, number=1, classification="major",
            title=f"{name} finding", requirement="EU GMP Chapter 4.8",
            evidence=f"{name} evidence", response_due=datetime.date(2026, 4, 10),
            raised_by=lead.user)
        # Sites as the sponsor's QA sees them: the audited site under qualification, with
        # an inspection and a subcontractor awaiting permission; the programme's intervals.
        qualification = SiteQualification.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, site=audit.site, status="under_qualification")
        Inspection.objects.create(
            partnership=partnership, qualification=qualification, authority="fda",
            inspected_on=datetime.date(2025, 10, 2), outcome="form_483", observation_count=3,
            summary=f"{name} inspection", entered_by=cdmo_member.user)
        Subcontractor.objects.create(
            partnership=partnership, qualification=qualification, name=f"{name} sterility lab",
            activity="Sterility testing", location="Leiden, Netherlands",
            entered_by=cdmo_member.user)
        AuditProgramme.objects.create(partnership=partnership, reaudit_months=24,
                                      reaudit_months_after_critical=12)
        # Quality agreement, deviation, CAPA: the world's contract (in negotiation) stands
        # in for the quality agreement, with one row; a notified deviation under
        # investigation; a CAPA of the finding, in progress.
        agreement = QualityAgreement.objects.create(partnership=partnership, contract=contract)
        Responsibility.objects.create(partnership=partnership, agreement=agreement,
                                      position=1, activity="Batch release",
                                      sponsor="responsible", cdmo="consulted")
        detected = datetime.datetime(2026, 3, 3, 8, 0, tzinfo=datetime.UTC)
        Deviation.objects.create(
            partnership=partnership, author_organization=partnership.cdmo,
            created_by=cdmo_member.user, reference="DEV-1", site=partnership.cdmo.sites.first(),
            kind="deviation", classification="major", title=f"{name} deviation",
            description=f"{name} deviation described", detected_at=detected,
            sponsor_notified_at=detected + datetime.timedelta(days=1),
            notify_by=detected + datetime.timedelta(days=3), status="investigating")
        Capa.objects.create(
            partnership=partnership, author_organization=partnership.cdmo,
            created_by=cdmo_member.user, number=1, title=f"{name} CAPA", finding=finding,
            root_cause="Cause", action_plan="Plan", owner=cdmo_member.user,
            due_date=datetime.date(2026, 5, 1), status="in_progress")
        # Batches: a lot both parties have reviewed, with its CoA, awaiting disposition;
        # written as the sponsor's, like the audit, so that it is hidden when the isolation
        # tests hide everything the sponsor wrote. Its program link is empty (as after the
        # sponsor made the program internal): a shared lot naming the world's program would
        # refuse every test that hides that program.
        batch = Batch.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, program=None,
            site=partnership.cdmo.sites.first(), lot_number=f"{name[:12]} L-001",
            stage="drug_substance", manufactured_on=datetime.date(2026, 2, 20),
            status="sponsor_reviewed", cdmo_review_note=f"{name} CDMO review",
            sponsor_review_note=f"{name} sponsor review")
        CertificateOfAnalysis.objects.create(
            partnership=partnership, batch=batch, name="coa.pdf", size=len(PDF),
            content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest(),
            file=ContentFile(PDF, name="coa.pdf"))
        # Change control: the CDMO's change awaiting the sponsor's signed decision (no
        # program, like the lot, so that hiding the world's program refuses nothing).
        ChangeControl.objects.create(
            partnership=partnership, author_organization=partnership.cdmo,
            created_by=cdmo_member.user, reference=f"{name[:12]} CC-1",
            site=partnership.cdmo.sites.first(), category="supplier",
            title=f"{name} change", description=f"{name} resin supplier change",
            rationale="Second source", proposed_on=datetime.date(2026, 6, 1),
            status="awaiting_decision", classification="approval", agreement=agreement,
            submitted_at=detected, submitted_by=cdmo_member.user,
            decision_due=datetime.date(2026, 4, 2))
        # KPIs: a definition agreed (drafted by the sponsor) and a value the CDMO reported,
        # shared for review, with the sponsor's comment.
        kpi = KPIDefinition.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, key="delivery", name=f"{name} on-time delivery",
            formula="Batches on time ÷ batches due × 100.", unit="%", direction="higher",
            target=95, amber_threshold=90, red_threshold=80, reporting_party="cdmo",
            status="agreed")
        value = KPIMeasurement.objects.create(
            partnership=partnership, author_organization=partnership.cdmo,
            created_by=cdmo_member.user, definition=kpi, key=kpi.key,
            period=datetime.date(2026, 1, 1), value=92, numerator=23, denominator=25,
            comment=f"{name} two late lots", status="shared", shared_at=detected,
            review_until=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
        MeasurementReview.objects.create(
            partnership=partnership, measurement=value, kind="comment", author=lead.user,
            party="sponsor", text=f"{name} KPI comment")
        MeasurementEvidence.objects.create(
            partnership=partnership, measurement=value, name="deliveries.pdf", size=len(PDF),
            content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest(),
            file=ContentFile(PDF, name="deliveries.pdf"), uploaded_by=cdmo_member.user)
        sheet = f"KPI key,Period,Value,Numerator,Denominator,Comment\ndelivery,2026-01,92,23,25," \
                f"{name} two late lots\n".encode()
        KPIImport.objects.create(
            partnership=partnership, uploaded_by=cdmo_member.user, name="kpi-values.csv",
            size=len(sheet), content_type="text/csv", sha256=hashlib.sha256(sheet).hexdigest(),
            file=ContentFile(sheet, name="kpi-values.csv"), status="done", rows_total=1,
            rows_done=1, values=[value.pk], finished_at=detected)
        # A steering pack the sponsor's lead asked for, made.
        SteeringPack.objects.create(
            partnership=partnership, requested_by=lead.user, status="ready",
            period_start=datetime.date(2025, 7, 1), period_end=datetime.date(2026, 6, 30),
            generated_at=detected, name="pack.pdf", size=len(PDF),
            content_type="application/pdf", sha256=hashlib.sha256(PDF).hexdigest(),
            file=ContentFile(PDF, name="pack.pdf"))
        Notice.objects.create(
            partnership=partnership, author_organization=partnership.cdmo,
            created_by=cdmo_member.user, kind="supply_delay", title=f"{name} notice",
            body=f"{name} delay")
        Recognition.objects.create(
            partnership=partnership, author_organization=partnership.sponsor,
            created_by=lead.user, message=f"{name} thanks",
            team="QC lab").recipients.set([cdmo_member.user])
        SurveyResponse.objects.create(
            partnership=partnership, quarter=datetime.date(2026, 1, 1), respondent=lead.user,
            rated_party="cdmo", communication=4, responsiveness=3, quality=4, respect=5,
            alignment=4, comments=f"{name} survey comment")
        # Notifications: one for each party's member, unread.
        for person in (lead.user, cdmo_member.user):
            Notification.objects.create(
                recipient=person, partnership=partnership, kind="action_assigned",
                title=f"{name} notification", url=f"/p/{partnership.pk}/",
                delivery="immediately")
            NotificationPreference.objects.get_or_create(
                user=person, kind="recognition", defaults={"delivery": "daily_digest"})
    return World(
        acme=acme, globex=globex, contoso=contoso, labcorp=labcorp,
        acme_contoso=acme_contoso, acme_labcorp=acme_labcorp, globex_contoso=globex_contoso,
        alice=alice, bob=bob, carol=carol, dave=dave, vera=vera, olga=olga, oscar=oscar,
        acme_program=ProgramFactory(partnership=acme_contoso, code="ACM-1", name="Acmezumab"),
        acme_internal_program=ProgramFactory(partnership=acme_contoso, code="ACM-9",
                                             name="Secret backup plan", is_internal=True),
        globex_program=ProgramFactory(partnership=globex_contoso, code="GLX-1",
                                      name="Globexumab"),
        globex_site=globex_site,
    )
