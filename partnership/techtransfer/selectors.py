"""Reads of tech transfers: the list, the deliverables a milestone needs, and the timeline
of milestones with what waits on them and threatens them, as far as the user may see."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partnership.deliverables.models import Deliverable
from partnership.parties.models import Partnership, User
from partnership.techtransfer.models import Milestone, TechTransfer


def tech_transfer_list(*, user: User, partnership: Partnership) -> QuerySet[TechTransfer]:
    return TechTransfer.objects.visible_to(user).filter(partnership=partnership).select_related(
        "program", "site")


def milestone_deliverables(*, user: User, milestone: Milestone | None = None
                           ) -> QuerySet[Deliverable]:
    """The deliverables `milestone` needs (any milestone's, for a prefetch) that the user
    may see: whatever is linked, a deliverable internal to the other party never shows."""
    deliverables = Deliverable.objects.visible_to(user)
    return deliverables.filter(milestones=milestone) if milestone is not None else deliverables


def tech_transfer_timeline(*, user: User, transfer: TechTransfer) -> list[dict]:
    """Milestones with their planned and actual dates placed on one time axis (percent),
    each with the deliverables it needs (`needed_deliverables`), the open requests waiting
    on it and the open risks threatening it, as far as the user may see them: whatever is
    linked, an internal record of the other party stays hidden. Those models live in
    governance, reached here through the reverse relations only, and which of them are
    still open is theirs to say (SharedQuerySet.open), so this app does not import that
    one."""
    waiting = Milestone._meta.get_field("requests").related_model
    threats = Milestone._meta.get_field("risks").related_model
    milestones = list(Milestone.objects.visible_to(user).filter(tech_transfer=transfer)
                      .select_related("sponsor_owner", "cdmo_owner")
                      .prefetch_related(
                          Prefetch("deliverables", to_attr="needed_deliverables",
                                   queryset=milestone_deliverables(user=user)),
                          Prefetch("requests", to_attr="waiting_requests",
                                   queryset=waiting.objects.visible_to(user).open().order_by(
                                       "sent_at", "pk")),
                          Prefetch("risks", to_attr="open_risks",
                                   queryset=threats.objects.visible_to(user).open().order_by(
                                       "-likelihood", "-impact", "pk"))))
    today = timezone.localdate()
    dates = [d for m in milestones for d in (m.planned_date, m.actual_date) if d] + [today]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def place(day):
        return None if day is None else round(100 * (day - start).days / span, 1)

    return [{"milestone": m, "planned_at": place(m.planned_date),
             "actual_at": place(m.actual_date), "slip_days": m.slip_days(today)}
            for m in milestones]
