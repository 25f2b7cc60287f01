"""Every model of the partnership app, each defined in its topic package (Django finds an
app's models through this module; import a model from its topic)."""

from partnership.accounts.models import ApiToken
from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.history.models import UserGroupLink, UserPermissionLink
from partnership.history.tracking import audit
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
    "AcceptanceCriterion", "ApiToken", "CommunicationPlan", "Contract", "ContractDocument",
    "CriterionResult", "Deliverable", "DeliverableReview", "EscalationLevel",
    "InvitationNotice", "Membership", "Milestone", "NegotiationRound", "Notification",
    "NotificationPreference", "Objective",
    "ObjectiveReview", "Organization", "OrganizationDomain", "Partnership", "PointOfContact",
    "Priority", "PriorityChange", "Program", "Signature", "Site", "TechTransfer", "User",
    "UserGroupLink", "UserPermissionLink",
]

# The audit trail (partnership.history): what both parties share, less what changes without
# anyone changing it (a stored search vector, `updated_at`); the seats and their roles; the
# partnership's agreed settings; people's organization, admin and active flags, the locks
# of their log-in, and their permissions; how each person chose to be told;
# the signatures. Here, as the models are defined: each call
# makes the model's event model, and Django must meet it while it loads the models.
for _model in (Program, Contract, Deliverable, Objective, TechTransfer):
    audit(_model, exclude=("search_document", "updated_at"))
audit(Partnership)
audit(Membership)
audit(User, fields=("email", "organization", "is_active", "is_org_admin", "is_staff",
                    "is_superuser", "login_locked_at"))
audit(UserPermissionLink)
audit(UserGroupLink)
audit(NotificationPreference)
audit(Signature)
