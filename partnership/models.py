"""Every model of the partnership app, each defined in its topic package (Django finds an
app's models through this module; import a model from its topic)."""

from django.contrib.contenttypes.models import ContentType

from partnership.accounts.models import ApiToken
from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from partnership.contracts.models import Contract, ContractDocument, NegotiationRound, Program
from partnership.deliverables.models import (
    AcceptanceCriterion,
    CriterionResult,
    Deliverable,
    DeliverableReview,
)
from partnership.discussion.models import Attachment, Comment
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
from partnership.signatures.declarations import declaration
from partnership.signatures.models import Signature
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.registries.audited import ANY_RECORD

__all__ = [
    "AcceptanceCriterion", "ApiToken", "Attachment", "Comment", "CommunicationPlan", "Contract",
    "ContractDocument",
    "CriterionResult", "Deliverable", "DeliverableReview", "EscalationLevel",
    "InvitationNotice", "Membership", "Milestone", "NegotiationRound", "Notification",
    "NotificationPreference", "Objective",
    "ObjectiveReview", "Organization", "OrganizationDomain", "Partnership", "PointOfContact",
    "Priority", "PriorityChange", "Program", "Signature", "Site", "TechTransfer", "User",
    "UserGroupLink", "UserPermissionLink",
]

# The audit trail (partnership.history): what both parties share, less what changes without
# anyone changing it (a stored search vector, `updated_at`); the seats and their roles; the
# partnership's agreed settings, its communication plan, points of contact, escalation path
# and priorities; the parties themselves, their e-mail domains and sites; people's
# organization, admin and active flags, the locks of their log-in, and their permissions;
# how each person chose to be told; the signatures. Many-to-many fields (a program's sites,
# a milestone's deliverables) are tracked with their model. Here, as the models are
# defined: each call makes the model's event model, and Django must meet it while it loads
# the models.
#
# Parts (`part_of`) have no page of their own: their events show in their parent's History,
# each named by its `label` field. Left out, as machinery no one changes by hand: the
# notifications (partnership.notifications: the bell's rows, written by jobs), the
# once-a-day invitation e-mail key (InvitationNotice), and API tokens (partnership.accounts,
# whose rows change with every call that uses them: their last-used time).


def _signed(event) -> tuple[str, str]:
    """What a signature's event row signed and meant, in the words of its declaration."""
    try:
        signed = declaration(ContentType.objects.get_for_id(event.content_type_id).model_class(),
                             event.event)
    except (KeyError, AttributeError):
        return event.event, event.meaning
    return signed.label, signed.meanings.get(event.meaning, event.meaning)


for _model in (Program, Contract, Deliverable, Objective, TechTransfer):
    audit(_model, exclude=("search_document", "updated_at"))
audit(NegotiationRound, part_of="contract", label="number")
audit(ContractDocument, part_of="contract", label="name", hidden=("file",))
audit(AcceptanceCriterion, part_of="deliverable", label="text")
audit(DeliverableReview, part_of="deliverable", label="decision")
audit(CriterionResult, part_of="review__deliverable", label="criterion")
audit(ObjectiveReview, part_of="objective", label="status")
audit(Milestone, part_of="tech_transfer", label="kind", hidden=("position",))
audit(Partnership)
# A discussion's comments (their own History) and the files posted with them.
audit(Comment, exclude=("updated_at",))
audit(Attachment, part_of="comment", label="name", hidden=("file",))
for _model, _label in ((CommunicationPlan, ""), (PointOfContact, "function"),
                       (EscalationLevel, "level"), (Priority, "rank"), (PriorityChange, "")):
    audit(_model, part_of="partnership", label=_label, exclude=(
        ("updated_at",) if any(f.name == "updated_at" for f in _model._meta.fields) else ()))
audit(Membership)
audit(Organization)
audit(OrganizationDomain, part_of="organization", label="domain")
audit(Site, part_of="organization", label="name")
audit(User, fields=("email", "organization", "is_active", "is_org_admin", "is_staff",
                    "is_superuser", "login_locked_at"))
audit(UserPermissionLink)
audit(UserGroupLink)
audit(NotificationPreference)
audit(Signature, part_of=ANY_RECORD, hidden=("event", "meaning"),  # the label says them
      label=lambda event: "Signature of {}: {} ({})".format(event.printed_name,
                                                            *_signed(event)))
