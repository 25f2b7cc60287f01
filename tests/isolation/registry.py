"""Every kind of record the portal shows, with its pages and its API route: the generic suite
builds its cases from this list (anonymous, foreign user, viewer and steering member, the
right party, htmx), so adding an entry is what adds a record's tests.

`test_every_url_is_covered` fails the run while a URL pattern or an API route is in no entry:
say which record it shows or changes, or why it shows no tenant data (`Route`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse

from governance.models import (
    ActionItem,
    Audit,
    AuditProgramme,
    Batch,
    CalendarFeed,
    Capa,
    CertificateOfAnalysis,
    ChangeControl,
    Decision,
    Deviation,
    Finding,
    Inspection,
    Meeting,
    Notice,
    QualityAgreement,
    Recognition,
    Request,
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
    SteeringPack,
)
from partnership.models import (
    AcceptanceCriterion,
    ApiToken,
    Attachment,
    Comment,
    CommunicationPlan,
    Contract,
    ContractDocument,
    Deliverable,
    DeliverableReview,
    EscalationLevel,
    Membership,
    Milestone,
    NegotiationRound,
    Objective,
    ObjectiveReview,
    Organization,
    Partnership,
    PointOfContact,
    Priority,
    PriorityChange,
    Program,
    Signature,
    Site,
    TechTransfer,
    User,
)
from partnership.notifications.models import Notification, NotificationPreference

#: People with a seat in Acme–Contoso who read its records: both parties' writers, its
#: viewer and its steering committee member (tests/world.py).
READERS = ("alice", "bob", "vera", "stan")
#: Seats that read but never write (Membership.WRITING_ROLES leaves them out).
READ_ONLY = ("vera", "stan")


def _in_partnership(model):
    return lambda p: model.objects.filter(partnership=p)


def _record_kwargs(obj) -> dict:
    return {"partnership_pk": obj.partnership_id, "pk": obj.pk}


@dataclass(frozen=True)
class Record:
    """One kind of record and the doors to it.

    lists / creates: pages under /p/<id>/ that read the partnership's records / write a new
    one; reads / writes: pages of one record that read it / change it (a page may be in both:
    it shows a form that only some may post). `rows(partnership)` are the records of a
    partnership and `kwargs(row)` fill the URL of each record page. `api` is the router
    basename. Only the names below are exceptions to the generic rule, each with its reason.
    """

    model: type[models.Model]
    api: str | None = None
    lists: tuple[str, ...] = ()
    creates: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    #: Pages without a partnership or a record in the URL: the user's own view of the
    #: records (searched for foreign names instead), or forms of the user's own.
    user_pages: tuple[str, ...] = ()
    #: What a user page's URL names besides (a KPI's key): name -> its URL kwargs, what
    #: every observer opens it with.
    user_page_kwargs: dict[str, dict] = field(default_factory=dict)
    rows: Callable[[Partnership], models.QuerySet] | None = None
    kwargs: Callable[[models.Model], dict] = _record_kwargs
    #: A page whose URL has more than the record (a request's step): kwargs -> list of kwargs.
    expand: dict[str, Callable[[dict], list[dict]]] = field(default_factory=dict)
    #: Who reads the records themselves (their pages, their API rows): every seat, unless
    #: the record is one person's (`own` names the field that says whose).
    readers: tuple[str, ...] = READERS
    own: str | None = None
    #: Writes a viewer or steering member may make, by design (page names or API actions).
    open_to_readers: frozenset[str] = frozenset()
    #: A valid form for pages that check the role only once the form is valid: row -> data.
    page_bodies: dict[str, Callable[[models.Model], dict]] = field(default_factory=dict)
    #: API bodies beyond the record's own fields ("create" for POST, else the action's path).
    api_bodies: dict[str, Callable[[models.Model], dict]] = field(default_factory=dict)
    #: The organization that owns a record shared by every partnership it is party to
    #: (a site, a person): foreign only to users who share no partnership with it.
    owner: Callable[[models.Model], int] | None = None
    #: Pages answering 403 to all but organization admins, before any lookup.
    admin_only: frozenset[str] = frozenset()
    #: List pages that answer htmx with the whole page, with the reason.
    whole_page_to_htmx: dict[str, str] = field(default_factory=dict)
    #: Read pages that answer the right party with something other than 200.
    read_status: dict[str, int] = field(default_factory=dict)

    def records(self, partnership) -> models.QuerySet:
        return (self.rows or _in_partnership(self.model))(partnership)

    def shared_rows(self, partnership, user=None) -> list:
        """The records both parties see (none marked internal), to read and to write to;
        with `user`, only theirs when the record is one person's."""
        rows = self.records(partnership)
        if any(f.name == "is_internal" for f in self.model._meta.fields):
            rows = rows.filter(is_internal=False)
        if self.own and user is not None:
            rows = rows.filter(**{self.own: user})
        return list(rows.order_by("pk"))

    def url_kwargs(self, name: str, row) -> list[dict]:
        kwargs = self.kwargs(row)
        return self.expand[name](kwargs) if name in self.expand else [kwargs]


@dataclass(frozen=True)
class Route:
    """A page with no record of a partnership behind it. `public`: open without logging in.
    `token`: its parameter is a secret or a signed token, not a record. `api`: a door for
    programs (token or session), which answers 401/403 rather than sending to log in."""

    name: str
    public: bool = False
    token: bool = False
    api: bool = False


PERSON_ACCESS = ("partnership:person_deactivate", "partnership:person_reactivate",
                 "partnership:person_unlock", "partnership:person_two_factor_reset")


def _transition(obj) -> dict:
    """The first step the record's workflow allows from where it is (else its own status)."""
    return {"status": next(iter(obj.WORKFLOW.next_statuses(obj.status)), obj.status)}


def _batch_program(batch) -> dict:
    """The world's lot names no program (tests/world.py): a writer's body names one."""
    return {"program": Program.objects.filter(partnership=batch.partnership_id,
                                              is_internal=False).order_by("pk").first().pk}


def _signing(obj) -> dict:
    """A signature as its signer would send it: the first meaning, the password again."""
    from tests.factories import PASSWORD

    return {"meaning": next(iter(next(iter(type(obj).SIGNATURES.values())).meanings)),
            "password": PASSWORD}


def _histories(kwargs) -> list[dict]:
    """The History page of every audited record of the partnership both parties see (and
    of the partnership itself and its two parties), each with its parts' events (a
    contract's rounds, a program's sites): partnership.history.selectors.history_models."""
    from partnership.history.selectors import history_models

    partnership_pk = kwargs["partnership_pk"]
    pages = []
    for name, model in history_models().items():
        if model is Organization:
            partnership = Partnership.objects.get(pk=partnership_pk)
            rows = Organization.objects.filter(pk__in=[partnership.sponsor_id,
                                                       partnership.cdmo_id])
        elif model is Partnership:
            rows = Partnership.objects.filter(pk=partnership_pk)
        else:
            rows = model.objects.filter(partnership_id=partnership_pk).seen_by(None)
            if model is KPIMeasurement:  # a steering seat reads published values only
                rows = rows.published()
        pages += [{"partnership_pk": partnership_pk, "record_type": name, "pk": pk}
                  for pk in rows.order_by("pk").values_list("pk", flat=True)]
    return pages


def _discussions(kwargs) -> list[dict]:
    """The discussion page of every record of the partnership that has one and both parties
    see (partnership.discussion.kinds), whichever comment the entry starts from: the world
    holds one comment per partnership."""
    from partnership.discussion import kinds

    partnership_pk = kwargs["partnership_pk"]
    return [{"partnership_pk": partnership_pk, "record_type": name, "pk": pk}
            for name, model in sorted(kinds.models().items())
            for pk in model.objects.filter(partnership_id=partnership_pk).seen_by(None)
            .order_by("pk").values_list("pk", flat=True)]


def _withdrawals(kwargs) -> list[dict]:
    """The withdrawal of each comment on a record's discussion (_discussions)."""
    return [{**page, "comment_pk": pk} for page in _discussions(kwargs)
            for pk in Comment.objects.filter(
                partnership_id=page["partnership_pk"], record_type=page["record_type"],
                record_id=page["pk"], is_internal=False).order_by("pk").values_list(
                "pk", flat=True)]


REQUEST_STEPS = ("acknowledge", "query", "decline", "answer", "start", "fulfil", "accept",
                 "reopen", "cancel")
LATER = datetime.date(2027, 3, 1).isoformat()
AUDIT_STEPS = ("confirm", "start", "submit_responses", "close")
FINDING_STEPS = ("respond", "accept", "send_back")
#: One step of each party is enough: every step is the same view, scoped the same way.
DEVIATION_STEPS = ("close", "send_back")
CAPA_STEPS = ("implement",)
BATCH_STEPS = ("cdmo_review", "sponsor_review")
CHANGE_STEPS = ("implement", "acknowledge")

RECORDS = [
    Record(Partnership, api="partnership",
           rows=lambda p: Partnership.objects.filter(pk=p.pk),
           kwargs=lambda p: {"partnership_pk": p.pk},
           reads=("partnership:partnership_detail", "partnership:partnership_settings",
                  "partnership:record_history", "partnership:audit_export"),
           expand={"partnership:record_history": _histories},
           writes=("partnership:partnership_settings",),
           user_pages=("partnership:partnership_list",),
           page_bodies={"partnership:partnership_settings": lambda p: {
               name: value for name in Partnership.AGREED_SETTINGS
               if (value := getattr(p, name)) is not None}}),
    Record(Organization, api="organization",
           rows=lambda p: Organization.objects.filter(pk=p.sponsor_id),
           owner=lambda org: org.pk,
           user_pages=("partnership:organization_detail", "partnership:user_invite",
                       "partnership:organization_two_factor",
                       # Its admins' pages of its people and seats, and of the load across
                       # its partnerships: 403 to anyone else.
                       "partnership:organization_people", "governance:partnership_load")),
    Record(Site, api="site",
           rows=lambda p: Site.objects.filter(organization=p.sponsor),
           kwargs=lambda site: {"pk": site.pk}, owner=lambda site: site.organization_id,
           reads=("partnership:site_detail",), writes=("partnership:site_detail",),
           user_pages=("partnership:site_list",),
           page_bodies={"partnership:site_detail": lambda site: {
               "status": "closing", "status_date": LATER}},
           api_bodies={"status": lambda site: {"status": "closing", "status_date": LATER}}),
    # An organization admin's doors to a colleague's access: 403 to anyone else.
    Record(User, api="person",
           rows=lambda p: User.objects.filter(organization=p.sponsor),
           kwargs=lambda person: {"pk": person.pk},
           owner=lambda person: person.organization_id,
           writes=PERSON_ACCESS, admin_only=frozenset(PERSON_ACCESS),
           user_pages=("partnership:profile",)),
    # One person's own tokens: the revoke form names the token in its body, looked up among
    # the person's own (tests/partnership/test_api_tokens.py).
    Record(ApiToken, user_pages=("partnership:apitoken_create", "partnership:apitoken_delete")),
    Record(Membership, api="membership",
           kwargs=lambda seat: {"pk": seat.pk},
           lists=("partnership:membership_list",),
           writes=("partnership:membership_delete", "partnership:membership_role"),
           user_pages=("partnership:membership_create",),
           admin_only=frozenset({"partnership:membership_delete",
                                 "partnership:membership_role"}),
           page_bodies={"partnership:membership_role": lambda seat: {"role": "viewer"}},
           api_bodies={"role": lambda seat: {"role": "viewer"}}),
    Record(Program, api="program",
           lists=("partnership:program_list",), creates=("partnership:program_create",),
           reads=("partnership:program_detail",), writes=("partnership:program_edit",)),
    Record(Contract, api="contract",
           kwargs=lambda c: {"partnership_pk": c.partnership_id, "contract_pk": c.pk},
           lists=("partnership:contract_list",), creates=("partnership:contract_create",),
           reads=("partnership:contract_detail",),
           writes=("partnership:contract_edit", "partnership:contract_transition",
                   "partnership:negotiationround_create", "partnership:contractdocument_create",
                   "partnership:contract_sign"),
           api_bodies={"transition": _transition, "sign": _signing}),
    Record(NegotiationRound, api="negotiationround",
           kwargs=lambda r: {"partnership_pk": r.partnership_id, "contract_pk": r.contract_id,
                             "pk": r.pk},
           writes=("partnership:negotiationround_answer",)),
    Record(ContractDocument, api="contractdocument",
           reads=("partnership:contractdocument_download",)),
    Record(Deliverable, api="deliverable",
           kwargs=lambda d: {"partnership_pk": d.partnership_id, "deliverable_pk": d.pk},
           lists=("partnership:deliverable_list",), creates=("partnership:deliverable_create",),
           reads=("partnership:deliverable_detail",),
           writes=("partnership:deliverable_edit", "partnership:deliverable_transition",
                   "partnership:acceptancecriterion_create",
                   "partnership:deliverablereview_create", "partnership:deliverable_sign"),
           # A new record's date lies ahead (a copy of the world's may have passed).
           api_bodies={"transition": _transition, "sign": _signing,
                       "create": lambda d: {"due_date": LATER},
                       "review": lambda d: {"results": [
                           {"criterion": c.pk, "met": True} for c in d.criteria.all()],
                           **_signing(d)}}),
    Record(AcceptanceCriterion, api="acceptancecriterion"),
    Record(DeliverableReview, api="deliverablereview"),
    # Signatures are read through the records they sign (their own resource lists them) and
    # written through each record's sign page and action.
    Record(Signature, api="signature"),
    Record(PointOfContact, api="pointofcontact",
           lists=("partnership:communication_detail",),
           creates=("partnership:pointofcontact_set",)),
    Record(CommunicationPlan, api="communicationplan",
           creates=("partnership:communicationplan_edit",)),
    Record(EscalationLevel, api="escalationlevel",
           creates=("partnership:escalationlevel_set",)),
    Record(Priority, api="priority",
           lists=("partnership:priority_list",), creates=("partnership:priority_list",),
           page_bodies={"partnership:priority_list": lambda p: {
               "titles": "First\nSecond", "reason": "Budget moved"}}),
    Record(PriorityChange, api="prioritychange"),
    Record(Objective, api="objective",
           kwargs=lambda o: {"partnership_pk": o.partnership_id, "objective_pk": o.pk},
           lists=("partnership:objective_list",), creates=("partnership:objective_create",),
           reads=("partnership:objective_detail",),
           writes=("partnership:objective_edit", "partnership:objectivereview_create"),
           api_bodies={"create": lambda o: {"review_date": LATER}},
           whole_page_to_htmx={"partnership:objective_list":
                               "a few objectives on a plain page: no filter bar or paging"}),
    Record(ObjectiveReview, api="objectivereview",
           api_bodies={"create": lambda review: {"next_review_date": LATER}}),
    Record(TechTransfer, api="techtransfer",
           kwargs=lambda t: {"partnership_pk": t.partnership_id, "transfer_pk": t.pk},
           lists=("partnership:techtransfer_list",),
           creates=("partnership:techtransfer_create",),
           reads=("partnership:techtransfer_detail",),
           whole_page_to_htmx={"partnership:techtransfer_list":
                               "a few transfers on a plain page: no filter bar or paging"}),
    Record(Milestone, api="milestone",
           kwargs=lambda m: {"partnership_pk": m.partnership_id,
                             "transfer_pk": m.tech_transfer_id, "pk": m.pk},
           writes=("partnership:milestone_edit",)),
    Record(ActionItem, api="actionitem",
           lists=("governance:actionitem_list",), creates=("governance:actionitem_create",),
           reads=("governance:actionitem_detail", "governance:actionitem_live"),
           writes=("governance:actionitem_edit", "governance:actionitem_transition"),
           user_pages=("governance:my_work",),
           # A new action is due ahead (a copy of the world's may be overdue by now).
           api_bodies={"transition": _transition, "create": lambda item: {"due_date": LATER}}),
    Record(Meeting, api="meeting",
           lists=("governance:meeting_list", "governance:meeting_calendar"),
           creates=("governance:meeting_create",),
           reads=("governance:meeting_detail", "governance:meeting_ics"),
           writes=("governance:meeting_edit", "governance:meeting_transition",
                   "governance:meeting_minutes", "governance:meeting_sign"),
           api_bodies={"transition": _transition, "sign": _signing,
                       "minutes": lambda m: {"minutes": "Agreed the plan.",
                                             "reason": "Typo"}}),
    Record(CalendarFeed,
           user_pages=("governance:calendarfeed_create", "governance:calendarfeed_delete")),
    Record(Decision, api="decision",
           lists=("governance:decision_list",), creates=("governance:decision_create",),
           reads=("governance:decision_detail",), writes=("governance:decision_edit",)),
    Record(Request, api="request",
           lists=("governance:request_list",), creates=("governance:request_create",),
           reads=("governance:request_detail", "governance:request_live"),
           writes=("governance:request_edit", "governance:request_relay",
                   "governance:request_step"),
           expand={"governance:request_step": lambda kwargs: [
               {**kwargs, "step": step} for step in REQUEST_STEPS]},
           api_bodies={
               "acknowledge": lambda r: {"committed_date": LATER},
               "query": lambda r: {"question": "Which batch?"},
               "answer": lambda r: {"answer": "Batch 7."},
               "fulfil": lambda r: {"fulfilment_note": "Sent."},
               "reopen": lambda r: {"reason": "Incomplete."},
               "decline": lambda r: {"reason": "Not in our scope."},
               "cancel": lambda r: {"reason": "No longer needed."},
               "relay": lambda r: {"target_partnership": r.partnership_id, "title": "Relayed",
                                   "description": "Relayed", "kind": r.kind,
                                   "urgency": r.urgency}}),
    Record(Risk, api="risk",
           lists=("governance:risk_list",), creates=("governance:risk_create",),
           reads=("governance:risk_detail",),
           writes=("governance:risk_edit", "governance:risk_transition"),
           api_bodies={"transition": _transition, "create": lambda r: {"review_date": LATER}}),
    Record(Audit, api="audit",
           lists=("governance:audit_list",), creates=("governance:audit_create",),
           reads=("governance:audit_detail", "governance:audit_live"),
           writes=("governance:audit_edit", "governance:audit_report", "governance:audit_sign",
                   "governance:audit_step", "governance:finding_create",
                   "governance:audit_plan_change"),
           # The programme across the user's partnerships: the calendar and its download;
           # the QA desk (audits, findings, CAPAs, deviations, lots, sites due for re-audit).
           user_pages=("governance:audit_calendar", "governance:audit_calendar_ics",
                       "governance:quality_desk"),
           expand={"governance:audit_step": lambda kwargs: [
               {**kwargs, "step": step} for step in AUDIT_STEPS],
               "governance:audit_plan_change": lambda kwargs: [
               {**kwargs, "change": change} for change in ("cancel", "postpone")]},
           api_bodies={"sign": _signing,
                       "create": lambda audit: {"planned_start": LATER, "planned_end": LATER},
                       "report": lambda audit: {"report_summary": "The site is compliant."},
                       "cancel": lambda audit: {"reason": "The line is shut for a retrofit."},
                       "postpone": lambda audit: {"planned_start": LATER, "planned_end": LATER,
                                                  "reason": "The site asked for May."}}),
    Record(Finding, api="finding",
           kwargs=lambda f: {"partnership_pk": f.partnership_id, "audit_pk": f.audit_id,
                             "pk": f.pk},
           reads=("governance:finding_detail",),
           writes=("governance:finding_edit", "governance:finding_step"),
           expand={"governance:finding_step": lambda kwargs: [
               {**kwargs, "step": step} for step in FINDING_STEPS]},
           api_bodies={"create": lambda f: {"response_due": LATER},
                       "respond": lambda f: {"response": "Corrected; CAPA raised."},
                       "send-back": lambda f: {"review_note": "No root cause."}}),
    # Sites as the sponsor's QA sees them (governance.quality.sites.models).
    Record(SiteQualification, api="sitequalification",
           lists=("governance:sitequalification_list",),
           creates=("governance:sitequalification_create",),
           reads=("governance:sitequalification_detail",
                  "governance:sitequalification_live"),
           writes=("governance:sitequalification_edit", "governance:sitequalification_transition",
                   "governance:inspection_create", "governance:subcontractor_create"),
           user_pages=("governance:reaudit_list",),
           api_bodies={"transition": lambda q: {"status": "approved",
                                                "approved_activities": ["drug_substance"]}}),
    Record(Inspection, api="inspection",
           kwargs=lambda i: {"partnership_pk": i.partnership_id,
                             "qualification_pk": i.qualification_id, "pk": i.pk},
           writes=("governance:inspection_edit",)),
    Record(Subcontractor, api="subcontractor",
           kwargs=lambda s: {"partnership_pk": s.partnership_id,
                             "qualification_pk": s.qualification_id, "pk": s.pk},
           writes=("governance:subcontractor_edit", "governance:subcontractor_step"),
           api_bodies={"decide": lambda s: {"status": "permitted"}}),
    Record(AuditProgramme, api="auditprogramme", creates=("governance:auditprogramme_edit",)),
    Record(QualityAgreement, api="qualityagreement",
           lists=("governance:qualityagreement_list",),
           creates=("governance:qualityagreement_create",),
           reads=("governance:qualityagreement_detail",),
           writes=("governance:qualityagreement_edit",)),
    Record(Deviation, api="deviation",
           lists=("governance:deviation_list",), creates=("governance:deviation_create",),
           reads=("governance:deviation_detail", "governance:deviation_live"),
           writes=("governance:deviation_edit", "governance:deviation_investigation",
                   "governance:deviation_notify", "governance:deviation_step"),
           expand={"governance:deviation_step": lambda kwargs: [
               {**kwargs, "step": step} for step in DEVIATION_STEPS]},
           api_bodies={"investigation": lambda d: {"investigation": "Line cleared."},
                       "send-back": lambda d: {"review_note": "No root cause."}}),
    Record(Capa, api="capa",
           lists=("governance:capa_list",), creates=("governance:capa_create",),
           reads=("governance:capa_detail", "governance:capa_live"),
           writes=("governance:capa_edit", "governance:capa_sign", "governance:capa_step"),
           expand={"governance:capa_step": lambda kwargs: [
               {**kwargs, "step": step} for step in CAPA_STEPS]},
           api_bodies={"sign": _signing, "create": lambda c: {"due_date": LATER},
                       "implement": lambda c: {"effectiveness_evidence": "Trend flat."},
                       "reopen": lambda c: {"review_note": "Recurred."}}),
    # Batches and their disposition (governance.quality.batches).
    Record(Batch, api="batch",
           lists=("governance:batch_list",), creates=("governance:batch_create",),
           reads=("governance:batch_detail", "governance:batch_live"),
           writes=("governance:batch_edit", "governance:batch_sign", "governance:batch_step",
                   "governance:batchcertificate_create"),
           expand={"governance:batch_step": lambda kwargs: [
               {**kwargs, "step": step} for step in BATCH_STEPS]},
           page_bodies={"governance:batch_sign": lambda batch: {
               **_signing(batch), "event": "quarantined"}},
           api_bodies={"create": _batch_program, "update": _batch_program,
                       "sign": lambda batch: {**_signing(batch), "event": "quarantined"},
                       "cdmo-review": lambda batch: {"note": "Batch record complete."},
                       "sponsor-review": lambda batch: {"note": "Reviewed, no comments."}}),
    # Change controls (governance.quality.changes).
    Record(ChangeControl, api="changecontrol",
           lists=("governance:changecontrol_list",),
           creates=("governance:changecontrol_create",),
           reads=("governance:changecontrol_detail", "governance:changecontrol_live"),
           writes=("governance:changecontrol_edit", "governance:changecontrol_sign",
                   "governance:changecontrol_conditions", "governance:changecontrol_step"),
           expand={"governance:changecontrol_step": lambda kwargs: [
               {**kwargs, "step": step} for step in CHANGE_STEPS]},
           page_bodies={"governance:changecontrol_sign": lambda change: {
               **_signing(change), "event": "approved"}},
           api_bodies={"create": lambda change: {**_batch_program(change),
                                                 "proposed_on": LATER},
                       "update": _batch_program,
                       "sign": lambda change: {**_signing(change), "event": "approved"},
                       "implement": lambda change: {"implemented_on": "2026-03-01",
                                                    "implementation_evidence": "IQ/OQ done."},
                       "withdraw": lambda change: {"reason": "Superseded."},
                       "conditions": lambda change: {"decision_conditions": "Three lots."}}),
    # KPI definitions and values (metrics.kpis, metrics.measurements). The scorecard reads
    # the agreed definitions and their published values; a series' download (CSV, XLSX) is
    # a read of its definition (metrics.scorecard); a partnership's relationship health
    # reads its agreed KPIs beside the survey and the requests (metrics.portfolio).
    Record(KPIDefinition, api="kpidefinition",
           lists=("metrics:kpidefinition_list", "metrics:kpi_scorecard",
                  "metrics:relationship_health"),
           creates=("metrics:kpidefinition_create", "metrics:kpidefinition_adopt"),
           reads=("metrics:kpidefinition_detail", "metrics:kpidefinition_export"),
           writes=("metrics:kpidefinition_edit", "metrics:kpidefinition_revise",
                   "metrics:kpidefinition_sign", "metrics:kpidefinition_step",
                   "metrics:kpidefinition_compute"),
           expand={"metrics:kpidefinition_step": lambda kwargs: [
                       {**kwargs, "step": step} for step in KPIDefinition.STEPS],
                   "metrics:kpidefinition_export": lambda kwargs: [
                       {**kwargs, "format": extension} for extension in ("csv", "xlsx")]},
           page_bodies={"metrics:kpidefinition_sign": lambda kpi: {
               **_signing(kpi), "event": "agreed"}},
           api_bodies={"sign": lambda kpi: {**_signing(kpi), "event": "agreed"},
                       "retire": lambda kpi: {"reason": "No longer measured."},
                       "reopen": lambda kpi: {"reason": "Target to change."}}),
    # The sponsor's portfolio (its overview, a KPI's whole ranking, its partners) and the
    # CDMO's view read published values across the user's partnerships (metrics.portfolio):
    # the world's KPI of each partnership is on-time delivery.
    # A value is read by a steering seat once published (metrics.measurements.models): the
    # world's is shared for review, so Stan reads none of it, its evidence or its history.
    Record(KPIMeasurement, api="kpimeasurement", readers=("alice", "bob", "vera"),
           user_pages=("metrics:portfolio", "metrics:portfolio_kpi",
                       "metrics:portfolio_partners", "metrics:cdmo_performance"),
           user_page_kwargs={"metrics:portfolio_kpi": {"key": "delivery"}},
           creates=("metrics:kpimeasurement_create",),
           reads=("metrics:kpimeasurement_detail",),
           writes=("metrics:kpimeasurement_edit", "metrics:kpimeasurement_sign",
                   "metrics:kpimeasurement_comment", "metrics:kpimeasurement_step",
                   "metrics:kpievidence_create"),
           expand={"metrics:kpimeasurement_step": lambda kwargs: [
               {**kwargs, "step": step} for step in KPIMeasurement.STEPS]},
           page_bodies={"metrics:kpimeasurement_sign": lambda value: {
               **_signing(value), "event": "published"}},
           api_bodies={"sign": lambda value: {**_signing(value), "event": "published"},
                       "accept": lambda value: {"text": "Fine."},
                       "dispute": lambda value: {"text": "Lot 7 was late."},
                       "withdraw": lambda value: {"text": "Lot 7 was on time."},
                       "comment": lambda value: {"text": "Thanks."},
                       "correct": lambda value: {"value": "88", "reason": "Lot 7."}}),
    # Spreadsheet imports of KPI values (metrics.imports): the upload dialog and an import's
    # page (its progress fragment is the same page to htmx).
    # An import is its uploader's organization's (the world's: Contoso's).
    Record(KPIImport, api="kpiimport", readers=("bob",),
           lists=("metrics:kpiimport_list",), creates=("metrics:kpiimport_create",),
           reads=("metrics:kpiimport_detail", "metrics:kpiimport_file"),
           writes=("metrics:kpiimport_values_step",)),
    Record(MeasurementEvidence, readers=("alice", "bob", "vera"),
           kwargs=lambda e: {"partnership_pk": e.partnership_id,
                             "measurement_pk": e.measurement_id, "pk": e.pk},
           reads=("metrics:kpievidence_download",)),
    # The steering committee's page (per partnership and across the user's) lists the
    # packs; the steering committee asks for one, as the working members may (a viewer may
    # not: tests/metrics/test_steering.py). A pack is its requester's organization's (the
    # world's: Acme's), as it holds that party's internal records.
    Record(SteeringPack, api="steeringpack", readers=("alice", "vera", "stan"),
           lists=("metrics:steering",), creates=("metrics:steeringpack_create",),
           reads=("metrics:steeringpack_download",), user_pages=("metrics:steering_all",),
           open_to_readers=frozenset({"metrics:steeringpack_create", "create"}),
           api_bodies={"create": lambda pack: {
               "partnership": pack.partnership_id, "period_start": "2026-01-01",
               "period_end": "2026-06-30"}}),
    Record(CertificateOfAnalysis,
           kwargs=lambda c: {"partnership_pk": c.partnership_id, "batch_pk": c.batch_id,
                             "pk": c.pk},
           reads=("governance:batchcertificate_download",)),
    # A record's discussion (partnership.discussion): its page, read by every seat that
    # reads the record and posted to by those who write; its live comments (polled by the
    # record's page, portal.live); the files posted in it.
    Record(Comment, api="comment",
           kwargs=lambda c: {"partnership_pk": c.partnership_id, "record_type": c.record_type,
                             "pk": c.record_id},
           reads=("partnership:record_discussion", "partnership:record_discussion_live",
                  "partnership:record_discussion_files"),
           writes=("partnership:record_discussion", "partnership:comment_withdraw"),
           expand={"partnership:record_discussion": _discussions,
                   "partnership:record_discussion_live": _discussions,
                   "partnership:record_discussion_files": _discussions,
                   "partnership:comment_withdraw": _withdrawals},
           page_bodies={"partnership:record_discussion": lambda row: {
               "body": "Which lot is it?"},
               "partnership:comment_withdraw": lambda row: {"reason": "Posted twice."}},
           api_bodies={"withdraw": lambda row: {"reason": "Posted twice."}}),
    Record(Attachment, api="attachment",
           kwargs=lambda a: {"partnership_pk": a.partnership_id, "pk": a.pk},
           reads=("partnership:attachment_download",)),
    Record(Notice, api="notice",
           lists=("governance:notice_list",), creates=("governance:notice_create",),
           reads=("governance:notice_detail", "governance:notice_live"),
           writes=("governance:notice_edit", "governance:notice_acknowledge")),
    Record(Recognition, api="recognition",
           lists=("governance:recognition_list",),
           creates=("governance:recognition_create",),
           open_to_readers=frozenset({"governance:recognition_create", "create"}),
           whole_page_to_htmx={"governance:recognition_list":
                               "a wall of thanks on a plain page: no filter bar or paging"}),
    # Survey answers are named: each respondent reads their own (the page shows aggregates).
    Record(SurveyResponse, api="survey", own="respondent", readers=("alice",),
           lists=("governance:survey",), creates=("governance:survey_answer",),
           open_to_readers=frozenset({"governance:survey_answer", "create"})),
    # Notifications are one person's: the recipient reads and marks them, whatever the role.
    Record(Notification, api="notification",
           kwargs=lambda n: {"pk": n.pk}, readers=("alice", "bob"), own="recipient",
           reads=("portal:notification_open",), writes=("portal:notification_read",),
           user_pages=("portal:notification_list", "portal:notification_bell",
                       "portal:notification_preview",
                       "portal:notification_read_all"),
           open_to_readers=frozenset({"portal:notification_read", "read", "read-all"}),
           read_status={"portal:notification_open": 302}),  # it opens the record it names
    Record(NotificationPreference, api="notificationpreference",
           rows=lambda p: NotificationPreference.objects.filter(
               user__memberships__partnership=p), readers=("alice", "bob"), own="user",
           # The reminders page lists what will remind the person, as they chose.
           user_pages=("portal:notification_preferences", "portal:reminder_list"),
           open_to_readers=frozenset({"create"})),  # everyone chooses their own
]

ROUTES = [
    Route("governance:search"), Route("governance:search_suggestions"),
    Route("partnership:partnership_suggestions"),
    # Signing in: the code of log-in's second step, two-factor set-up (one's own only).
    Route("partnership:two_factor_verify"), Route("partnership:two_factor_setup"),
    Route("partnership:backup_codes_renew"), Route("partnership:two_factor_disable"),
    Route("password_change"), Route("password_change_done"),
    Route("login", public=True), Route("logout", public=True),
    Route("password_reset", public=True), Route("password_reset_done", public=True),
    Route("password_reset_complete", public=True),
    Route("password_reset_confirm", public=True, token=True),
    # The schema describes every route: only for people signed in (or holding a token).
    Route("api_schema", api=True), Route("api_docs"),
    Route("health", public=True),
    # The benchmark's floor (make bench): a trivial template, nothing of anyone.
    Route("floor", public=True),
    # The CSV template of a KPI import: a header and example rows, no partnership's data.
    Route("metrics:kpiimport_template"),
    # Where log-in leads: a redirect to the user's own page (no record in it).
    Route("landing"),
    # The calendar feed: its secret is the key (no login), so the suite cannot probe it with
    # a foreign partnership; tests/governance/test_calendar.py checks that one user's feed
    # shows nothing of partnerships foreign to that user, and that unknown or revoked
    # secrets 404.
    Route("governance:calendar_feed", public=True, token=True),
]


def _partnership_kwargs(partnership) -> list[dict]:
    return [{"partnership_pk": partnership.pk}]


def _page_builder(record: Record, name: str):
    """name -> function(partnership) -> URL kwargs of every page `name` has in it."""
    if name in record.lists or name in record.creates:
        return _partnership_kwargs
    return lambda p: [kwargs for row in record.records(p).order_by("pk")
                      for kwargs in record.url_kwargs(name, row)]


#: Page URLs with parameters: name -> function(partnership) -> list of URL kwargs that
#: point INTO that partnership. The suite calls it with partnerships foreign to the user.
SCOPED_URLS = {name: _page_builder(record, name) for record in RECORDS
               for name in (*record.lists, *record.creates, *record.reads, *record.writes)}
#: name -> the record it belongs to.
RECORD_OF = {name: record for record in RECORDS
             for name in (*record.lists, *record.creates, *record.reads, *record.writes,
                          *record.user_pages)}
#: Pages without object parameters. Their content is checked for foreign names instead.
UNSCOPED_URLS = {name for record in RECORDS for name in record.user_pages} | {
    route.name for route in ROUTES if not route.token}
USER_PAGE_KWARGS = {name: kwargs for record in RECORDS
                    for name, kwargs in record.user_page_kwargs.items()}
TOKEN_URLS = {route.name for route in ROUTES if route.token}


def unscoped_url(name: str) -> str:
    """The URL of a page of UNSCOPED_URLS, as the suite opens it."""
    return reverse(name, kwargs=USER_PAGE_KWARGS.get(name))
API_DOOR_URLS = {route.name for route in ROUTES if route.api}
PUBLIC_URLS = {route.name for route in ROUTES if route.public} | {
    "portal:notification_bell"}  # polled by every page: answers 204 to nobody logged in
ADMIN_ONLY_URLS = {name for record in RECORDS for name in record.admin_only}
#: API routes (router basename) -> function(partnership) -> ids of objects inside it that
#: no outsider of that partnership may see.
API_ROUTES = {record.api: (lambda p, record=record: list(
    record.records(p).order_by("pk").values_list("pk", flat=True)))
    for record in RECORDS if record.api}
#: API routes of figures worked out across partnerships rather than records (the
#: portfolio's ranked rows, the CDMO's aggregates per KPI), with the KPI definitions of a
#: partnership they are worked out from: the foreign cases probe those ids, and the routes'
#: lists and pages for foreign names. No seat reads them all (a CDMO member has no
#: portfolio, a sponsor no CDMO view), so the role cases (API_RECORDS) leave them out;
#: tests/metrics/test_portfolio.py checks who reads which figures.
FIGURES_API = {"portfolio": _in_partnership(KPIDefinition),
               "cdmoperformance": _in_partnership(KPIDefinition)}
API_ROUTES |= {basename: (lambda p, rows=rows: list(
    rows(p).order_by("pk").values_list("pk", flat=True))) for basename, rows in FIGURES_API.items()}
#: API routes for organization admins only (an empty list to anyone else), rows of the
#: admin's own organization: its people with their seats, and the load of its partnerships.
#: The foreign cases probe the people of a partnership's two organizations and the
#: partnership itself; no seat reads them, so the role cases leave them out;
#: tests/partnership/test_organization_people.py and tests/governance/test_partnership_load.py
#: check who reads what.
ORGANIZATION_ADMIN_API = {
    "colleague": lambda p: User.objects.filter(organization__in=[p.sponsor_id, p.cdmo_id]),
    "partnershipload": lambda p: Partnership.objects.filter(pk=p.pk)}
API_ROUTES |= {basename: (lambda p, rows=rows: list(
    rows(p).order_by("pk").values_list("pk", flat=True)))
    for basename, rows in ORGANIZATION_ADMIN_API.items()}
API_RECORDS = {record.api: record for record in RECORDS if record.api}
#: Objects that belong to an organization rather than to one partnership (page names and
#: API basenames): name -> function(URL kwargs or id) -> the owning organization's id.
SHARED_ACROSS_PARTNERSHIPS = {
    key: (lambda value, record=record: record.owner(record.model.objects.get(
        pk=value["pk"] if isinstance(value, dict) else value)))
    for record in RECORDS if record.owner
    for key in (record.api, *record.reads, *record.writes) if key}


def owner_organization_id(name, key) -> int:
    return SHARED_ACROSS_PARTNERSHIPS[name](key)


#: Pages under a partnership that list its records, pages of one record that read it, and
#: pages that write (a new record or one of them): what the role cases walk.
LIST_PAGES = sorted({name for record in RECORDS for name in record.lists})
READ_PAGES = sorted({name for record in RECORDS for name in record.reads})
WRITE_PAGES = sorted({name for record in RECORDS for name in (*record.creates, *record.writes)})


def urls_in(name: str, partnership, user=None) -> list[str]:
    """The URLs of page `name` inside `partnership`: the partnership's own page, or one per
    record both parties see (only the user's own, for one person's records)."""
    from django.urls import reverse

    record = RECORD_OF[name]
    if name in record.lists or name in record.creates:
        return [reverse(name, kwargs={"partnership_pk": partnership.pk})]
    return [reverse(name, kwargs=kwargs) for row in record.shared_rows(partnership, user)
            for kwargs in record.url_kwargs(name, row)]
