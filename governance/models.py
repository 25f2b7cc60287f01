"""Every model of the governance app, for Django, which looks for an app's models here. Each
is defined in its topic's package (governance/<topic>/models.py)."""

from governance.actions.models import ActionItem, ActionItemOverdueReminder
from governance.escalation.models import ActionItemEscalation, RequestEscalation
from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from governance.relationship.models import Notice, Recognition, SurveyInvitation, SurveyResponse
from governance.requests.models import Request, RequestStep
from governance.risks.models import Risk, RiskReviewReminder
from partnership.history.tracking import audit

__all__ = [
    "ActionItem", "ActionItemEscalation", "ActionItemOverdueReminder", "CalendarFeed",
    "Decision", "Meeting", "MinutesVersion", "Notice", "Recognition", "Request",
    "RequestEscalation",
    "RequestStep", "Risk", "RiskReviewReminder", "SurveyInvitation", "SurveyResponse",
]

# The audit trail (partnership.history): every record both parties share, less what changes
# without anyone changing it (its stored search vector and `updated_at`). Here, as the
# models are defined: each call makes the model's event model, which Django must meet while
# it loads the models.
for _model in (ActionItem, Meeting, Decision, Request, Risk, Notice, Recognition):
    audit(_model, exclude=("search_document", "updated_at"))
audit(MinutesVersion)
