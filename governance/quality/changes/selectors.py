"""Reads of change controls; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from governance.quality.agreement.models import QualityAgreement
from governance.quality.changes.models import ChangeControl
from governance.quality.selectors import audit_site_choices
from partnership.models import Partnership, Program, Site, User
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated


def change_control_list(*, user: User, partnership: Partnership | int | None = None
                        ) -> QuerySet[ChangeControl]:
    """Change controls the user may see (of one partnership, given it or its id), with
    their site, program, agreement and the people of each step: the list, the detail page
    and the API in a fixed number of queries."""
    changes = ChangeControl.objects.visible_to(user).select_related(
        "program", "site", "agreement__contract", "submitted_by", "decided_by",
        "acknowledged_by", "implemented_by", "closed_by", "created_by",
        "partnership__sponsor", "partnership__cdmo")
    return changes.filter(partnership=partnership) if partnership else changes


def change_control_get(*, user: User, partnership: Partnership, pk: int) -> ChangeControl:
    """One change control (DoesNotExist when the user may not see it)."""
    return change_control_list(user=user, partnership=partnership).get(pk=pk)


def change_control_site_choices(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """The CDMO's sites a change of this partnership is made at."""
    return audit_site_choices(user=user, partnership=partnership)


def change_control_program_choices(*, user: User, partnership: Partnership
                                   ) -> QuerySet[Program]:
    """The partnership's programs both parties see."""
    return Program.objects.visible_to(user).filter(partnership=partnership,
                                                   is_internal=False).order_by("code")


def agreement_in_force(*, user: User, partnership: Partnership) -> QualityAgreement | None:
    """The quality agreement that would class a change submitted now."""
    agreement = QualityAgreement.objects.in_force(partnership)
    if agreement is None:
        return None
    return agreement if QualityAgreement.objects.visible_to(user).filter(
        pk=agreement.pk).exists() else None


def awaiting_decision_count(*, user: User, partnership: Partnership) -> int:
    return ChangeControl.objects.visible_to(user).filter(
        partnership=partnership, status=ChangeControl.Status.AWAITING_DECISION).count()


def change_control_cockpit(*, user: User, partnership: Partnership) -> dict:
    """The partnership home's card of changes awaiting the sponsor's decision: their count
    (one query), linking to the filtered list."""
    return {"template": "governance/changecontrol_cockpit.html",
            "awaiting_decision": awaiting_decision_count(user=user, partnership=partnership)}


def change_controls_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                              ) -> list[Dated]:
    """Decisions due in the next COMING_UP_DAYS days (and overdue ones): "Coming up"."""
    until = timezone.localdate() + datetime.timedelta(days=COMING_UP_DAYS)
    changes = ChangeControl.objects.visible_to(user).filter(
        partnership=partnership, status=ChangeControl.Status.AWAITING_DECISION,
        decision_due__lte=until).exclude(pk__in=list(exclude)).select_related(
        "site").order_by("decision_due", "pk")
    return [Dated(change, change.decision_due) for change in changes[:limit]]


def desk_changes(*, user: User, partnerships) -> QuerySet[ChangeControl]:
    """The QA desk: change controls of `partnerships` (ids) waiting for the sponsor — a
    signed decision or an acknowledgement — the earliest decision due first."""
    return ChangeControl.objects.visible_to(user).filter(
        partnership__in=partnerships, status__in=(
            ChangeControl.Status.AWAITING_DECISION,
            ChangeControl.Status.AWAITING_ACKNOWLEDGEMENT)).select_related(
        "site").order_by("decision_due", "pk")
