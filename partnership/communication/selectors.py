"""Reads of the communication page: contacts by function, the plan, the escalation path
and each site's working hours in the viewer's zone."""

from django.db.models import QuerySet
from django.utils import timezone

from partnership.communication.models import (
    CommunicationPlan,
    EscalationLevel,
    Function,
    PointOfContact,
)
from partnership.parties.models import Partnership, User
from partnership.parties.selectors import partnership_sites


def _of(queryset: QuerySet, partnership: Partnership | int | None) -> QuerySet:
    """The rows of one partnership, or of all the user's when None (the API's lists)."""
    return queryset if partnership is None else queryset.filter(partnership=partnership)


def point_of_contact_list(*, user: User, partnership: Partnership | int | None = None
                          ) -> QuerySet[PointOfContact]:
    return _of(PointOfContact.objects.visible_to(user), partnership).select_related(
        "primary", "backup")


def communication_plan_list(*, user: User, partnership: Partnership | int | None = None
                            ) -> QuerySet[CommunicationPlan]:
    """The plan of each partnership (one at most)."""
    return _of(CommunicationPlan.objects.visible_to(user), partnership)


def escalation_level_list(*, user: User, partnership: Partnership | int | None = None
                          ) -> QuerySet[EscalationLevel]:
    return _of(EscalationLevel.objects.visible_to(user), partnership).prefetch_related(
        "people__organization")


def communication_overview(*, user: User, partnership: Partnership) -> dict:
    """Contacts by function for both sides, the plan, the escalation path, and each site's
    working hours in the viewer's time zone."""
    contacts = {(c.function, c.party): c
                for c in point_of_contact_list(user=user, partnership=partnership)}
    rows = [(label, contacts.get((code, "sponsor")), contacts.get((code, "cdmo")))
            for code, label in Function.choices]
    zone = timezone.get_current_timezone()
    sites = [(site, *site.working_hours_in(zone))
             for site in partnership_sites(user=user, partnership=partnership)]
    return {
        "contact_rows": rows,
        "plan": communication_plan_list(user=user, partnership=partnership).first(),
        "levels": escalation_level_list(user=user, partnership=partnership),
        "site_hours": sites,
    }
