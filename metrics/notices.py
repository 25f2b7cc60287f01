"""Whom KPI news goes to: the leads of a party (its seated leads), never the actor."""

from partnership.models import Partnership, User
from partnership.notifications.services import notify

#: The notification kinds of KPIs, with the labels of the settings page and their place.
NOTIFICATION_KINDS = [
    ("kpi_definition", "A KPI definition awaits my sign-off or is agreed", 180),
    ("kpi_review", "A KPI value is shared with my party for review", 181),
    ("kpi_disputed", "A KPI value my party reported is disputed or commented on", 182),
    ("kpi_published", "A KPI value is published", 183),
    ("kpi_due", "A KPI value my party reports is due and not submitted", 184),
]
#: The reminders ahead of a deadline: (kind, label, place on the settings page, the job,
#: who is due when: see portal.registries.reminders).
REMINDERS = [
    ("kpi_review_closing",
     "The window to review a KPI value shared with my party closes in two days", 181,
     "metrics.measurements.tasks.remind_kpi_reviews_closing",
     "metrics.measurements.services.kpi_review_closing_dues"),
    ("kpi_value_due_soon", "A KPI value my party reports is due in two days", 184,
     "metrics.measurements.tasks.remind_kpi_values_due_soon",
     "metrics.measurements.services.kpi_due_soon_dues"),
]


def leads_of(partnership: Partnership, party: str | None = None):
    return partnership.seated_people(party=party, roles=["lead"])


def tell(record, *, kind: str, party: str | None, title: str, body: str = "",
         actor: User | None = None) -> None:
    """Tell the leads of `party` (both parties' with None) about `record`."""
    notify(recipients=list(leads_of(record.partnership, party)), kind=kind,
           partnership=record.partnership, title=title, url=record.get_absolute_url(),
           body=body, actor=actor, record=record)
