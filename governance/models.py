"""Every model of the governance app, for Django, which looks for an app's models here. Each
is defined in its topic's package (governance/<topic>/models.py)."""

from governance.actions.models import ActionItem, ActionItemOverdueReminder
from governance.escalation.models import ActionItemEscalation, RequestEscalation
from governance.meetings.models import CalendarFeed, Decision, Meeting, MinutesVersion
from governance.relationship.models import Notice, Recognition, SurveyInvitation, SurveyResponse
from governance.requests.models import Request, RequestStep
from governance.risks.models import Risk, RiskReviewReminder

__all__ = [
    "ActionItem", "ActionItemEscalation", "ActionItemOverdueReminder", "CalendarFeed",
    "Decision", "Meeting", "MinutesVersion", "Notice", "Recognition", "Request",
    "RequestEscalation",
    "RequestStep", "Risk", "RiskReviewReminder", "SurveyInvitation", "SurveyResponse",
]
