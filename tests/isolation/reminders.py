"""One case per reminder ahead of a deadline (portal.registries.reminders): how to make a
record of a partnership that the reminder is due for at a given moment, whom it reminds,
and how to close the record (done, cancelled …) so that it reminds nobody.

The isolation suite sends every reminder in every partnership and checks whom it reached
(test_reminders here); the behaviour tests (tests/portal/test_reminders.py) run the same
cases for exactly once, the preferences, the zones, closed records and lost seats. A
reminder registered without a case fails test_every_reminder_has_a_case.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from governance.actions.services import action_due_soon_reminders_send
from governance.actions.tasks import remind_actions_due_soon
from governance.meetings.services import meeting_reminders_send
from governance.meetings.tasks import remind_upcoming_meetings
from governance.models import ActionItem, Audit, Capa, Deviation, Finding, Meeting, Request
from governance.quality.deviations.services import (
    capa_due_soon_reminders_send,
    deviation_notice_reminders_send,
)
from governance.quality.services import audit_reminders_send
from governance.quality.tasks import (
    remind_capas_due_soon,
    remind_deviation_notice_deadlines,
    remind_upcoming_audits,
)
from governance.requests.services import request_due_soon_reminders_send
from governance.requests.tasks import remind_requests_due_soon
from metrics import periods
from metrics.measurements.services import (
    kpi_due_soon_reminders_send,
    kpi_review_closing_reminders_send,
)
from metrics.measurements.tasks import remind_kpi_reviews_closing, remind_kpi_values_due_soon
from metrics.models import KPIDefinition, KPIMeasurement
from partnership.contracts.services import contract_renewal_reminders_send
from partnership.contracts.tasks import remind_contract_renewals
from partnership.models import Contract, Partnership
from portal.zones import user_zone

#: Counted per test: titles stay apart when one test makes several records of a kind.
_serial = iter(range(1, 10**9))


def cast(partnership: Partnership):
    """(the sponsor's first seated person, the CDMO's) of a partnership of the world."""
    seats = partnership.memberships.select_related("user").order_by("pk")
    sponsor = next(s.user for s in seats if s.user.organization_id == partnership.sponsor_id
                   and s.role == "lead")
    cdmo = next(s.user for s in seats if s.user.organization_id == partnership.cdmo_id)
    return sponsor, cdmo


def local_today(person, now: datetime.datetime) -> datetime.date:
    return now.astimezone(user_zone(person)).date()


def _shared(partnership, author, **extra) -> dict:
    return {"partnership": partnership, "author_organization_id": author.organization_id,
            "created_by": author, **extra}


def _meeting(lead: datetime.timedelta):
    def make(partnership, now):
        sponsor, cdmo = cast(partnership)
        meeting = Meeting.objects.create(
            **_shared(partnership, sponsor), title=f"Reminded meeting {next(_serial)}",
            kind="operations_review", starts_at=now + lead, location="Room 4")
        meeting.attendees.set([sponsor, cdmo])
        return meeting, cdmo
    return make


def _action(partnership, now):
    sponsor, cdmo = cast(partnership)
    item = ActionItem.objects.create(
        **_shared(partnership, sponsor), title=f"Reminded action {next(_serial)}", owner=cdmo,
        due_date=local_today(cdmo, now) + datetime.timedelta(days=2))
    return item, cdmo


def _request(partnership, now):
    sponsor, cdmo = cast(partnership)
    request = Request.objects.create(
        **_shared(partnership, sponsor), title=f"Reminded request {next(_serial)}",
        description="Send the data", kind="information", requested_by_party="sponsor",
        sent_at=now - datetime.timedelta(days=5), acknowledge_by=now - datetime.timedelta(days=4),
        acknowledged_at=now - datetime.timedelta(days=4), status="acknowledged",
        assignee=cdmo, committed_date=local_today(cdmo, now) + datetime.timedelta(days=2))
    return request, cdmo


def _contract(partnership, now):
    sponsor, _cdmo = cast(partnership)
    today = local_today(sponsor, now)
    contract = Contract.objects.create(
        **_shared(partnership, sponsor), kind="msa", reference=f"R-{next(_serial)}",
        title="Reminded supply agreement", status="executed",
        effective_date=today - datetime.timedelta(days=300),
        expiry_date=today + datetime.timedelta(days=59), renewal_notice_days=60)
    return contract, sponsor


def _audit(partnership, now):
    sponsor, cdmo = cast(partnership)
    start = local_today(cdmo, now) + datetime.timedelta(days=6)
    audit = Audit.objects.create(
        **_shared(partnership, sponsor), site=partnership.cdmo.sites.first(), kind="routine",
        scope=f"Reminded audit {next(_serial)}", planned_start=start,
        planned_end=start + datetime.timedelta(days=2), lead_auditor=sponsor, host=cdmo,
        status="confirmed")
    return audit, cdmo


def _capa(partnership, now):
    sponsor, cdmo = cast(partnership)
    number = next(_serial)
    audit = Audit.objects.filter(partnership=partnership).first()
    finding = Finding.objects.create(
        partnership=partnership, audit=audit, number=100 + number, classification="minor",
        title="Reminded finding", requirement="SOP", evidence="Seen", raised_by=sponsor,
        response_due=local_today(cdmo, now))
    capa = Capa.objects.create(
        **_shared(partnership, cdmo), number=100 + number, title=f"Reminded CAPA {number}",
        finding=finding, root_cause="Cause", action_plan="Plan", owner=cdmo,
        due_date=local_today(cdmo, now) + datetime.timedelta(days=5), status="open")
    return capa, cdmo


def _deviation(partnership, now):
    _sponsor, cdmo = cast(partnership)
    number = next(_serial)
    deviation = Deviation.objects.create(
        **_shared(partnership, cdmo), is_internal=True, reference=f"DEV-R{number}",
        site=partnership.cdmo.sites.first(), kind="deviation", classification="major",
        title=f"Reminded deviation {number}", description="Out of range",
        detected_at=now - datetime.timedelta(days=2), notify_by=now + datetime.timedelta(hours=10))
    return deviation, cdmo


def _kpi_due(partnership, now):
    """A KPI of the CDMO's whose last period's value is due tomorrow in UTC."""
    sponsor, cdmo = cast(partnership)
    today = now.astimezone(datetime.UTC).date()
    period = periods.previous_period(periods.period_start(today, "monthly"), "monthly")
    due_day = (today - periods.next_period(period, "monthly")).days + 2
    definition = KPIDefinition.objects.create(
        **_shared(partnership, sponsor), key=f"reminded-{next(_serial)}",
        name="Reminded right first time", formula="Lots right ÷ lots × 100.", unit="%",
        direction="higher", target=95, amber_threshold=90, red_threshold=80,
        reporting_party="cdmo", status="agreed", due_day=due_day)
    return definition, cdmo


def _kpi_review(partnership, now):
    sponsor, cdmo = cast(partnership)
    definition = KPIDefinition.objects.filter(partnership=partnership, key="delivery").get()
    measurement = KPIMeasurement.objects.create(
        **_shared(partnership, cdmo), definition=definition, key=definition.key,
        period=datetime.date(2025, next(_serial) % 12 + 1, 1), value=90, status="shared",
        shared_at=now - datetime.timedelta(days=8),
        review_until=now + datetime.timedelta(hours=30))
    return measurement, sponsor


def _set(**fields) -> Callable:
    def close(record, now):
        type(record).objects.filter(pk=record.pk).update(**fields)
    return close


def _submit_value(definition, now):
    """The value of the period due (of the period before, and of this one) submitted."""
    today = now.astimezone(datetime.UTC).date()
    for period in (periods.previous_period(periods.period_start(today, "monthly"), "monthly"),
                   periods.period_start(today, "monthly")):
        KPIMeasurement.objects.create(
            partnership=definition.partnership, author_organization=definition.partnership.cdmo,
            definition=definition, key=definition.key, period=period, value=97,
            status="submitted")


@dataclass(frozen=True)
class Case:
    kind: str
    send: Callable  # the service the job runs, with now=
    task: Callable  # the Celery task
    make: Callable  # (partnership, now) -> (record, the person it reminds)
    close: Callable  # (record, now) -> None: done, cancelled … it reminds nobody
    #: Whether the e-mail names the moment (in the recipient's zone) rather than a date.
    moment: bool = False


CASES = [
    Case("meeting_day_before", meeting_reminders_send, remind_upcoming_meetings,
         _meeting(datetime.timedelta(hours=20)), _set(status="cancelled"), moment=True),
    Case("meeting_hour_before", meeting_reminders_send, remind_upcoming_meetings,
         _meeting(datetime.timedelta(minutes=40)), _set(status="cancelled"), moment=True),
    Case("action_due_soon", action_due_soon_reminders_send, remind_actions_due_soon, _action,
         _set(status="done")),
    Case("request_due_soon", request_due_soon_reminders_send, remind_requests_due_soon,
         _request, _set(status="cancelled")),
    Case("contract_renewal", contract_renewal_reminders_send, remind_contract_renewals,
         _contract, _set(status="terminated")),
    Case("audit_week_before", audit_reminders_send, remind_upcoming_audits, _audit,
         _set(status="cancelled")),
    Case("capa_due_soon", capa_due_soon_reminders_send, remind_capas_due_soon, _capa,
         _set(status="implemented")),
    Case("deviation_notice_due", deviation_notice_reminders_send,
         remind_deviation_notice_deadlines, _deviation,
         _set(is_internal=False, sponsor_notified_at=timezone.now())),
    Case("kpi_value_due_soon", kpi_due_soon_reminders_send, remind_kpi_values_due_soon,
         _kpi_due, _submit_value),
    Case("kpi_review_closing", kpi_review_closing_reminders_send, remind_kpi_reviews_closing,
         _kpi_review, _set(accepted_at=timezone.now()), moment=True),
]
