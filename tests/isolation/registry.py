"""What the isolation suite needs to know about each URL and API route.

Adding a URL or a route without an entry here fails `test_every_url_is_covered`: decide
which objects of a foreign partnership fill its parameters, or why it shows no tenant data.
"""

from governance.models import (
    ActionItem,
    Decision,
    Meeting,
    Notice,
    Recognition,
    Request,
    Risk,
    SurveyResponse,
)
from partnership.models import (
    AcceptanceCriterion,
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


def _deliverables(p):
    return [{"partnership_pk": p.pk, "deliverable_pk": d.pk}
            for d in Deliverable.objects.filter(partnership=p)]


def _objectives(p):
    return [{"partnership_pk": p.pk, "objective_pk": o.pk}
            for o in Objective.objects.filter(partnership=p)]


def _ids(model, p):
    return list(model.objects.filter(partnership=p).values_list("pk", flat=True))


def _contracts(p, **extra):
    return [{"partnership_pk": p.pk, "contract_pk": c.pk, **extra}
            for c in Contract.objects.filter(partnership=p)]

def _requests(p):
    return [{"partnership_pk": p.pk, "pk": pk} for pk in _ids(Request, p)]


# Page URLs with object parameters: name -> function(partnership) -> list of URL kwargs that
# point INTO that partnership. The suite calls it with partnerships foreign to the user.
SCOPED_URLS = {
    "partnership:partnership_detail": lambda p: [{"partnership_pk": p.pk}],
    # Notifications: those of a foreign partnership, whoever received them.
    "portal:notification_open": lambda p: [
        {"pk": pk} for pk in _ids(Notification, p)],
    "portal:notification_read": lambda p: [
        {"pk": pk} for pk in _ids(Notification, p)],
    "governance:request_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:request_create": lambda p: [{"partnership_pk": p.pk}],
    "governance:request_detail": lambda p: _requests(p),
    "governance:request_edit": lambda p: _requests(p),
    "governance:request_relay": lambda p: _requests(p),
    "governance:request_step": lambda p: [
        {**kwargs, "step": step} for kwargs in _requests(p)
        for step in ("acknowledge", "query", "answer", "start", "fulfil", "accept", "reopen",
                     "cancel")],
    # Risks, notices, recognition and the feedback survey.
    "governance:risk_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:risk_create": lambda p: [{"partnership_pk": p.pk}],
    **{f"governance:risk_{action}": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(Risk, p)]
       for action in ("detail", "edit", "transition")},
    "governance:notice_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:notice_create": lambda p: [{"partnership_pk": p.pk}],
    **{f"governance:notice_{action}": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(Notice, p)]
       for action in ("detail", "edit", "acknowledge")},
    "governance:recognition_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:recognition_create": lambda p: [{"partnership_pk": p.pk}],
    "governance:survey": lambda p: [{"partnership_pk": p.pk}],
    "governance:survey_answer": lambda p: [{"partnership_pk": p.pk}],
    "governance:actionitem_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:actionitem_create": lambda p: [{"partnership_pk": p.pk}],
    "governance:actionitem_detail": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(ActionItem, p)],
    "governance:actionitem_edit": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(ActionItem, p)],
    "governance:actionitem_transition": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(ActionItem, p)],
    # Meetings, iCalendar and decisions.
    "governance:meeting_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:meeting_create": lambda p: [{"partnership_pk": p.pk}],
    "governance:meeting_calendar": lambda p: [{"partnership_pk": p.pk}],
    **{f"governance:meeting_{action}": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(Meeting, p)]
       for action in ("detail", "edit", "transition", "minutes", "ics")},
    "governance:decision_list": lambda p: [{"partnership_pk": p.pk}],
    "governance:decision_create": lambda p: [{"partnership_pk": p.pk}],
    "governance:decision_detail": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(Decision, p)],
    "governance:decision_edit": lambda p: [
        {"partnership_pk": p.pk, "pk": pk} for pk in _ids(Decision, p)],
    "partnership:partnership_settings": lambda p: [{"partnership_pk": p.pk}],
    "partnership:program_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:program_create": lambda p: [{"partnership_pk": p.pk}],
    "partnership:membership_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:program_detail": lambda p: [
        {"partnership_pk": p.pk, "pk": program.pk} for program in Program.objects.filter(
            partnership=p)],
    "partnership:program_edit": lambda p: [
        {"partnership_pk": p.pk, "pk": program.pk} for program in Program.objects.filter(
            partnership=p)],
    "partnership:site_detail": lambda p: [
        {"pk": site.pk} for site in Site.objects.filter(organization=p.sponsor)],
    "partnership:membership_delete": lambda p: [
        {"pk": m.pk} for m in Membership.objects.filter(partnership=p)],
    "partnership:contract_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:contract_create": lambda p: [{"partnership_pk": p.pk}],
    "partnership:contract_detail": _contracts,
    "partnership:contract_edit": _contracts,
    "partnership:contract_transition": _contracts,
    "partnership:negotiationround_create": _contracts,
    "partnership:contractdocument_create": _contracts,
    "partnership:negotiationround_answer": lambda p: [
        {"partnership_pk": p.pk, "contract_pk": r.contract_id, "pk": r.pk}
        for r in NegotiationRound.objects.filter(partnership=p)],
    "partnership:deliverable_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:deliverable_create": lambda p: [{"partnership_pk": p.pk}],
    "partnership:deliverable_detail": _deliverables,
    "partnership:deliverable_edit": _deliverables,
    "partnership:deliverable_transition": _deliverables,
    "partnership:acceptancecriterion_create": _deliverables,
    "partnership:deliverablereview_create": _deliverables,
    "partnership:communication_detail": lambda p: [{"partnership_pk": p.pk}],
    "partnership:techtransfer_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:techtransfer_create": lambda p: [{"partnership_pk": p.pk}],
    "partnership:techtransfer_detail": lambda p: [
        {"partnership_pk": p.pk, "transfer_pk": t.pk}
        for t in TechTransfer.objects.filter(partnership=p)],
    "partnership:milestone_edit": lambda p: [
        {"partnership_pk": p.pk, "transfer_pk": m.tech_transfer_id, "pk": m.pk}
        for m in Milestone.objects.filter(partnership=p)],
    "partnership:objective_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:objective_create": lambda p: [{"partnership_pk": p.pk}],
    "partnership:objective_detail": _objectives,
    "partnership:objective_edit": _objectives,
    "partnership:objectivereview_create": _objectives,
    "partnership:priority_list": lambda p: [{"partnership_pk": p.pk}],
    "partnership:pointofcontact_set": lambda p: [{"partnership_pk": p.pk}],
    "partnership:communicationplan_edit": lambda p: [{"partnership_pk": p.pk}],
    "partnership:escalationlevel_set": lambda p: [{"partnership_pk": p.pk}],
    "partnership:contractdocument_download": lambda p: [
        {"partnership_pk": p.pk, "pk": d.pk} for d in ContractDocument.objects.filter(
            partnership=p)],
}

# Pages without object parameters. Their content is checked for foreign names instead.
UNSCOPED_URLS = {
    # The bell and global search: the user's own things only;
    # tests/portal/test_notifications.py and tests/governance/test_search.py probe them.
    "portal:notification_list", "portal:notification_bell", "portal:notification_read_all",
    "portal:notification_preferences", "governance:search",
    "partnership:partnership_list", "partnership:site_list", "partnership:profile",
    "governance:my_work",
    "governance:calendarfeed_create", "governance:calendarfeed_delete",
    "partnership:organization_detail", "partnership:user_invite",
    "partnership:membership_create", "partnership:apitoken_create",
    "partnership:apitoken_delete",
    "login", "logout", "password_change", "password_change_done", "password_reset",
    "password_reset_done", "password_reset_complete", "api_schema", "api_docs", "health",
}
# Pages with parameters that carry no tenant object (a reset link's signed token).
# The calendar feed: its secret is the key (no login), so the suite cannot probe it with a
# foreign partnership; tests/governance/test_calendar.py checks that one user's feed shows
# nothing of partnerships foreign to that user, and that unknown or revoked secrets 404.
TOKEN_URLS = {"password_reset_confirm", "governance:calendar_feed"}

# Org-admin pages answer 403 to everyone else before looking anything up (no existence leak).
ADMIN_ONLY_URLS = {"partnership:membership_delete"}

# API routes (router basename) -> function(partnership) -> ids of objects inside it that no
# outsider of that partnership may see.
API_ROUTES = {
    "organization": lambda p: [p.sponsor_id],
    "site": lambda p: list(Site.objects.filter(organization=p.sponsor).values_list("pk",
                                                                                   flat=True)),
    "partnership": lambda p: [p.pk],
    "membership": lambda p: list(Membership.objects.filter(partnership=p).values_list(
        "pk", flat=True)),
    "person": lambda p: list(User.objects.filter(organization=p.sponsor).values_list(
        "pk", flat=True)),
    "program": lambda p: list(Program.objects.filter(partnership=p).values_list("pk",
                                                                                flat=True)),
    "contract": lambda p: list(Contract.objects.filter(partnership=p).values_list("pk",
                                                                                  flat=True)),
    "negotiationround": lambda p: list(NegotiationRound.objects.filter(
        partnership=p).values_list("pk", flat=True)),
    "contractdocument": lambda p: list(ContractDocument.objects.filter(
        partnership=p).values_list("pk", flat=True)),
    "deliverable": lambda p: _ids(Deliverable, p),
    "acceptancecriterion": lambda p: _ids(AcceptanceCriterion, p),
    "deliverablereview": lambda p: _ids(DeliverableReview, p),
    "pointofcontact": lambda p: _ids(PointOfContact, p),
    "communicationplan": lambda p: _ids(CommunicationPlan, p),
    "escalationlevel": lambda p: _ids(EscalationLevel, p),
    "priority": lambda p: _ids(Priority, p),
    "prioritychange": lambda p: _ids(PriorityChange, p),
    "objective": lambda p: _ids(Objective, p),
    "objectivereview": lambda p: _ids(ObjectiveReview, p),
    "techtransfer": lambda p: _ids(TechTransfer, p),
    "milestone": lambda p: _ids(Milestone, p),
    "actionitem": lambda p: _ids(ActionItem, p),
    # Notifications: those of a foreign partnership, and the choices of
    # people who sit only there (the observer never sits in a foreign partnership).
    "notification": lambda p: _ids(Notification, p),
    "notificationpreference": lambda p: list(NotificationPreference.objects.filter(
        user__memberships__partnership=p).values_list("pk", flat=True)),
    "risk": lambda p: _ids(Risk, p),
    "notice": lambda p: _ids(Notice, p),
    "recognition": lambda p: _ids(Recognition, p),
    "survey": lambda p: _ids(SurveyResponse, p),
    "request": lambda p: _ids(Request, p),
    "meeting": lambda p: _ids(Meeting, p),
    "decision": lambda p: _ids(Decision, p),
}


# Objects that belong to an organization rather than to one partnership: they are foreign
# only when the user shares no partnership at all with their organization.
SHARED_ACROSS_PARTNERSHIPS = {
    "partnership:site_detail": lambda kwargs: Site.objects.get(pk=kwargs["pk"]).organization_id,
    "organization": lambda pk: pk,
    "site": lambda pk: Site.objects.get(pk=pk).organization_id,
    "person": lambda pk: User.objects.get(pk=pk).organization_id,
}


def owner_organization_id(name, key) -> int:
    return SHARED_ACROSS_PARTNERSHIPS[name](key)


def seat_partnerships(user) -> list[Partnership]:
    """The user's partnerships worked out from seats and admin rights, independently of
    visible_to(), so the suite does not grade the scoping rule with itself."""
    seats = set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    return [p for p in Partnership.objects.all() if p.pk in seats or (
        user.is_org_admin and user.organization_id in (p.sponsor_id, p.cdmo_id))]


def foreign_partnerships(user) -> list[Partnership]:
    own = {p.pk for p in seat_partnerships(user)}
    return [p for p in Partnership.objects.select_related("sponsor", "cdmo") if p.pk not in own]


def shared_organization_ids(user) -> set[int]:
    ids = {user.organization_id}
    for p in seat_partnerships(user):
        ids |= {p.sponsor_id, p.cdmo_id}
    return ids
