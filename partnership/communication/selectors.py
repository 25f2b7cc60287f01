"""Reads of the communication page: contacts by function, the plan, the escalation path
and each site's working hours in the viewer's zone."""

from django.utils import timezone

from partnership.communication.models import (
    CommunicationPlan,
    EscalationLevel,
    Function,
    PointOfContact,
)
from partnership.parties.models import Partnership, User
from partnership.parties.selectors import partnership_sites


def communication_overview(*, user: User, partnership: Partnership) -> dict:
    """Contacts by function for both sides, the plan, the escalation path, and each site's
    working hours in the viewer's time zone."""
    contacts = {(c.function, c.party): c for c in PointOfContact.objects.visible_to(user)
                .filter(partnership=partnership).select_related("primary", "backup")}
    rows = [(label, contacts.get((code, "sponsor")), contacts.get((code, "cdmo")))
            for code, label in Function.choices]
    zone = timezone.get_current_timezone()
    sites = [(site, *site.working_hours_in(zone))
             for site in partnership_sites(user=user, partnership=partnership)]
    return {
        "contact_rows": rows,
        "plan": CommunicationPlan.objects.visible_to(user).filter(
            partnership=partnership).first(),
        "levels": EscalationLevel.objects.visible_to(user).filter(
            partnership=partnership).prefetch_related("people__organization"),
        "site_hours": sites,
    }
