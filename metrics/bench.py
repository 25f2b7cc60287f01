"""What `make bench` times: the pages, the people who open them and the sweeps.

It lives in metrics, the top of the dependency chain, because it names pages of every app;
portal.bench, which knows no domain, finds it as it finds each app's API routes. The picks
are read from whatever data the database holds (the demo, or seed_scale's sets), most
demanding first: the sponsor with the most partnerships, its lead seated in the most of
them, and the partnership of that lead with the most action items.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from governance.actions.models import ActionItem
from governance.meetings.models import Meeting
from governance.quality.batches.models import Batch
from governance.quality.deviations.models import Deviation
from governance.quality.models import Audit, Finding
from governance.requests.models import Request
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from partnership import scale
from partnership.models import Membership, Notification, Organization, Partnership, User
from partnership.sweeps import partnership_batches


@dataclass(frozen=True)
class Page:
    """One timed page: `label` in the table, opened by `user` (an e-mail) at `path`. `htmx`:
    asked as the page's own script asks (the bell's poll and preview)."""

    label: str
    user: str
    path: str
    htmx: bool = False


@dataclass
class Plan:
    pages: list[Page]
    #: who is who in the table's notes: role -> e-mail
    cast: dict[str, str]
    #: what the data set holds: name -> rows
    counts: dict[str, int] = field(default_factory=dict)


#: The sweeps it times (each a beat job of portal.settings.CELERY_BEAT_SCHEDULE),
#: timed over the whole set: label -> the task's dotted path.
SWEEPS = {
    "upcoming-meeting reminders": "governance.meetings.tasks.remind_upcoming_meetings",
    "overdue-action reminders": "governance.actions.tasks.remind_overdue_actions",
    "late requests": "governance.requests.tasks.notify_late_requests",
    "escalations": "governance.escalation.tasks.escalate_overdue_items",
    "KPI computation": "metrics.computed.tasks.compute_kpi_values",
}

COUNTED = {
    "organizations": Organization, "partnerships": Partnership, "users": User,
    "meetings": Meeting, "action items": ActionItem, "requests": Request, "audits": Audit,
    "findings": Finding, "deviations": Deviation, "batches": Batch,
    "KPI measurements": KPIMeasurement, "notifications": Notification,
}


def _most_seated(organization: Organization, role: str, partnership: Partnership | None = None
                 ) -> User | None:
    """The person of `organization` holding `role` in the most of its partnerships (in
    `partnership`, when given); the lowest id among equals, so every run picks the same."""
    seats = Membership.objects.filter(user__organization=organization, role=role,
                                      user__is_active=True)
    if partnership is not None:
        seats = seats.filter(partnership=partnership)
    best = (seats.values("user").annotate(n=Count("pk")).order_by("-n", "user").first())
    return User.objects.get(pk=best["user"]) if best else None


def plan() -> Plan:
    """The pages a large sponsor's people open most, for the people who would open them."""
    sponsor = (Organization.objects.filter(kind=Organization.Kind.SPONSOR)
               .annotate(n=Count("sponsor_partnerships")).order_by("-n", "pk").first())
    if sponsor is None:
        raise LookupError("the database holds no sponsor: seed it first")
    lead = _most_seated(sponsor, Membership.Role.LEAD)
    busiest = (ActionItem.objects.filter(partnership__sponsor=sponsor,
                                         partnership__memberships__user=lead)
               .values("partnership").annotate(n=Count("pk")).order_by("-n", "partnership")
               .first())
    partnership = Partnership.objects.get(pk=busiest["partnership"]) if busiest else \
        Partnership.objects.visible_to(lead).order_by("pk").first()
    qa_lead = _most_seated(sponsor, Membership.Role.QA_LEAD, partnership) or lead
    steering = _most_seated(sponsor, Membership.Role.STEERING, partnership) or lead
    request = Request.objects.visible_to(lead).filter(partnership=partnership).order_by("-pk") \
        .first()
    p = {"partnership_pk": partnership.pk}

    def page(label, user, name, kwargs=None, query=None, htmx=False):
        path = reverse(name, kwargs=kwargs)
        return Page(label, user.email, f"{path}?{urlencode(query)}" if query else path, htmx)

    pages = [
        page("partnership home (cockpit)", lead, "partnership:partnership_detail", p),
        page("My work", lead, "governance:my_work"),
        page("actions list", lead, "governance:actionitem_list", p),
        page("actions, open, by due date", lead, "governance:actionitem_list", p,
             {"status": ActionItem.Status.OPEN, "ordering": "due"}),
        page("requests list", lead, "governance:request_list", p),
    ]
    if request is not None:
        pages.append(page("request detail", lead, "governance:request_detail",
                          {**p, "pk": request.pk}))
    pages += [
        page("audit calendar", qa_lead, "governance:audit_calendar"),
        page("QA desk (QA to QA)", qa_lead, "governance:quality_desk"),
        page("KPI scorecard", lead, "metrics:kpi_scorecard", p),
        page("steering committee", steering, "metrics:steering", p),
        page("sponsor portfolio", lead, "metrics:portfolio"),
    ]
    # The whole ranking of the KPI its partners agreed most often (the first key of equals).
    kpi = (KPIDefinition.objects.filter(partnership__sponsor=sponsor,
                                        status=KPIDefinition.Status.AGREED)
           .values("key").annotate(n=Count("pk")).order_by("-n", "key").first())
    if kpi is not None:
        pages.append(page("portfolio KPI ranking", lead, "metrics:portfolio_kpi",
                          {"key": kpi["key"]}))
    pages += [
        page("search `batch`", lead, "governance:search", query={"q": "batch"}),
        page("bell (count)", lead, "portal:notification_bell", htmx=True),
        page("bell (preview)", lead, "portal:notification_preview", htmx=True),
    ]
    pages += [page(f"API {prefix}", lead, f"{basename}-list") for prefix, basename in (
        ("action-items", "actionitem"), ("requests", "request"), ("meetings", "meeting"),
        ("audits", "audit"), ("findings", "finding"), ("deviations", "deviation"),
        ("batches", "batch"), ("kpi-measurements", "kpimeasurement"),
        ("notifications", "notification"))]
    cast = {"sponsor": sponsor.name, "partnership": str(partnership), "lead": lead.email,
            "QA lead": qa_lead.email, "steering": steering.email}
    return Plan(pages=pages, cast=cast,
                counts={name: model.objects.count() for name, model in COUNTED.items()})


def seeded(size: str) -> bool:
    """Whether the database holds the set already (the benchmark builds it otherwise): any
    partnership for the demo, as many as seed_scale makes at that size for the others."""
    count = Partnership.objects.count()
    expected = scale.SIZES.get(size, {}).get("partnerships")
    if count and expected is not None and count != expected:
        raise ValueError(f"the database holds {count} partnerships, not the {expected} of the "
                         f"{size} set: name another one (BENCH_DATABASE_URL)")
    return count > 0


def sweep_batches() -> list[list[int]]:
    """The batches of partnerships each sweep shares among workers (partnership.sweeps):
    the benchmark runs them one after the other, as one worker would."""
    return partnership_batches()
