"""Every model of the partnership app, each defined in its topic package (Django finds an
app's models through this module; import a model from its topic)."""

from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.notifications.models import Notification, NotificationPreference
from partnership.objectives.models import Objective, ObjectiveReview, Priority, PriorityChange
from partnership.parties.models import (
    InvitationNotice,
    Membership,
    Organization,
    OrganizationDomain,
    Partnership,
    Site,
    User,
)
from partnership.signatures.models import Signature
from partnership.techtransfer.models import Milestone, TechTransfer

__all__ = [
    "AcceptanceCriterion", "CommunicationPlan", "Contract", "ContractDocument",
    "CriterionResult", "Deliverable", "DeliverableReview", "EscalationLevel",
    "InvitationNotice", "Membership", "Milestone", "NegotiationRound", "Notification",
    "NotificationPreference", "Objective",
    "ObjectiveReview", "Organization", "OrganizationDomain", "Partnership", "PointOfContact",
    "Priority", "PriorityChange", "Program", "Signature", "Site", "TechTransfer", "User",
]
