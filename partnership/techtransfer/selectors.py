"""Reads of tech transfers: the list, the deliverables a milestone needs, and the timeline
of milestones with what waits on them and threatens them, as far as the user may see."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partnership.deliverables.models import Deliverable
from partnership.parties.models import Partnership, User
from partnership.techtransfer.models import Milestone, TechTransfer


def _of(queryset: QuerySet, partnership: Partnership | int | None) -> QuerySet:
    """The rows of one partnership, or of all the user's when None (the API's lists)."""
    return queryset if partnership is None else queryset.filter(partnership=partnership)


def tech_transfer_list(*, user: User, partnership: Partnership | int | None = None
                       ) -> QuerySet[TechTransfer]:
    return _of(TechTransfer.objects.visible_to(user), partnership).select_related(
        "program", "site")


def tech_transfer_get(*, user: User, partnership: Partnership, pk: int) -> TechTransfer:
    """A transfer of `partnership`, holding the caller's copy of it (a page's, which knows
    the user's role: the rules asked about it and its milestones read no more)."""
    transfer = get_object_or_404(tech_transfer_list(user=user, partnership=partnership),
                                 pk=pk)
    transfer.partnership = partnership
    return transfer


def milestone_deliverables(*, user: User, milestone: Milestone | None = None
                           ) -> QuerySet[Deliverable]:
    """The deliverables `milestone` needs (any milestone's, for a prefetch) that the user
    may see: whatever is linked, a deliverable internal to the other party never shows."""
    deliverables = Deliverable.objects.visible_to(user)
    return deliverables.filter(milestones=milestone) if milestone is not None else deliverables


def milestone_list(*, user: User, partnership: Partnership | int | None = None
                   ) -> QuerySet[Milestone]:
    """Milestones with the deliverables each needs, as far as the user may see them (a
    transfer's page shows them on its timeline: tech_transfer_timeline)."""
    return _of(Milestone.objects.visible_to(user), partnership).prefetch_related(
        Prefetch("deliverables", queryset=milestone_deliverables(user=user)))


def milestone_get(*, user: User, transfer: TechTransfer, pk: int) -> Milestone:
    """A milestone of `transfer`, holding it and its partnership (as tech_transfer_get)."""
    milestone = get_object_or_404(Milestone.objects.visible_to(user).filter(
        tech_transfer=transfer), pk=pk)
    milestone.tech_transfer, milestone.partnership = transfer, transfer.partnership
    return milestone


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
    for milestone in milestones:  # each holds its transfer, read once for all
        milestone.tech_transfer, milestone.partnership = transfer, transfer.partnership
    today = timezone.localdate()
    dates = [d for m in milestones for d in (m.planned_date, m.actual_date) if d] + [today]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def place(day):
        return None if day is None else round(100 * (day - start).days / span, 1)

    return [{"milestone": m, "planned_at": place(m.planned_date),
             "actual_at": place(m.actual_date), "slip_days": m.slip_days(today)}
            for m in milestones]
