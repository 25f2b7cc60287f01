"""Every model of the governance app, for Django, which looks for an app's models here. Each
is defined in its topic's package (governance/<topic>/models.py)."""

from governance.actions.models import ActionItem, ActionItemOverdueReminder
from governance.escalation.models import (
    ActionItemEscalation,
    CapaEscalation,
    RequestEscalation,
)
from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from governance.quality.agreement.models import QualityAgreement, Responsibility
from governance.quality.batches.models import Batch, CertificateOfAnalysis
from governance.quality.changes.models import ChangeControl, ChangeDecisionReminder
from governance.quality.deviations.models import Capa, CapaOverdueReminder, Deviation
from governance.quality.models import Audit, Finding
from governance.quality.sites.models import (
    AuditProgramme,
    FindingResponseReminder,
    Inspection,
    SiteQualification,
    Subcontractor,
)
from governance.relationship.models import Notice, Recognition, SurveyInvitation, SurveyResponse
from governance.requests.models import Request, RequestStep
from governance.risks.models import Risk, RiskReviewReminder
from partnership.history.tracking import audit

__all__ = [
    "ActionItem", "ActionItemEscalation", "ActionItemOverdueReminder", "Audit", "Batch",
    "CalendarFeed", "Capa", "CapaEscalation", "CapaOverdueReminder", "CertificateOfAnalysis",
    "Decision", "Deviation", "Finding", "Meeting", "MinutesVersion", "Notice",
    "QualityAgreement", "Recognition", "Request", "RequestEscalation", "RequestStep",
    "Responsibility", "Risk", "RiskReviewReminder", "SurveyInvitation", "SurveyResponse",
]
# Sites as the sponsor's QA sees them (governance.quality.sites.models).
__all__ += ["ChangeControl", "ChangeDecisionReminder"]
__all__ += ["AuditProgramme", "FindingResponseReminder", "Inspection", "SiteQualification",
            "Subcontractor"]

# The audit trail (partnership.history): every record both parties share, less what changes
# without anyone changing it (its stored search vector and `updated_at`), with its
# many-to-many links (a meeting's attendees, a decision's deciders); the parts of a record
# that have no page (`part_of`: a meeting's minutes versions, a request's steps) show in its
# History. Recorded but not shown (`hidden`): a meeting's iCalendar uid and sequence, and
# when the late-request job claimed its notice. Left out, as machinery written by the jobs
# and never changed by a person: the reminder and escalation bookkeeping rows (each a
# unique key that makes a job run once), survey invitations, calendar feeds (a person's
# secret URL); and survey answers, which are one person's and never shown one by one.
# Here, as the models are defined: each call makes the model's event model, which Django
# must meet while it loads the models.
for _model in (ActionItem, Decision, Risk, Notice, Recognition, Audit, Deviation, Capa):
    audit(_model, exclude=("search_document", "updated_at"))
audit(QualityAgreement, exclude=("updated_at",))
audit(Meeting, exclude=("search_document", "updated_at"), hidden=("uid", "sequence"))
# A request's number is given once, when it is sent, and never changes: the trail needs
# no copy of it (and the trail's rows, append-only, could not be numbered afterwards).
audit(Request, exclude=("search_document", "updated_at", "number"),
      hidden=("late_notified_at",))
audit(MinutesVersion, part_of="meeting", label="number")
audit(RequestStep, part_of="request", label="step")
audit(Finding, part_of="audit", label="number")
# Sites as the sponsor's QA sees them: a qualification's history with its inspections and
# subcontractors as its parts; the programme's intervals (who changed them and when).
audit(SiteQualification, exclude=("search_document", "updated_at"))
audit(Inspection, exclude=("search_document",), part_of="qualification", label="authority")
audit(Subcontractor, exclude=("search_document",), part_of="qualification", label="name")
audit(AuditProgramme, exclude=("updated_at",))
audit(Responsibility, part_of="agreement", label="activity")
# Batches: a lot, and its certificates of analysis as its parts (the file itself hidden, as
# a contract document's is).
audit(Batch, exclude=("search_document", "updated_at"))
audit(CertificateOfAnalysis, part_of="batch", label="name", hidden=("file",))
# Change controls: their history (the decision's signature is the signature's own record).
audit(ChangeControl, exclude=("search_document", "updated_at"))
