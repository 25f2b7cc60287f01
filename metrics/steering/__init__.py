"""The steering committee's page: per partnership and across the partnerships the viewer
sees, the scorecard (published values only), what has been escalated to levels 2 and 3,
emergency requests over budget, what awaits the committee, the top risks and the warning
signs of relationship health; and the steering pack, that page for a chosen period as a PDF
made by a Celery job and attached to a steering committee meeting.

models     SteeringPack: who asked, for which period and meeting, status, the file
selectors  the page's reads (a fixed number of queries, however much data)
pdf        the pack's PDF (reportlab)
services   asking for a pack, and the job's one-time generation
tasks      the job
views      the pages, the pack's request and its scoped download
api        POST a pack request, GET its status and download link
"""


def register() -> None:
    """The steering page is where a person whose seats are all steering seats lands and
    what his My work adds; the minutes form offers the KPI summary of published values;
    the top bar's Steering link is for anyone with a steering seat (read with the
    partnership switcher's rows: portal.registries.navigation)."""
    from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
    from django.urls import reverse
    from django.utils import timezone

    from metrics.steering import selectors
    from metrics.steering.summary import kpi_summary
    from partnership.models import Membership
    from portal.registries import landing, meeting_sections, minutes_summary, my_work, navigation

    def steering_landing(user) -> str | None:
        return reverse("metrics:steering_all") if selectors.is_steering_only(user) else None

    def on_steering(user):
        return ExpressionWrapper(Q(Exists(Membership.objects.filter(
            partnership=OuterRef("pk"), user=user, role=Membership.Role.STEERING))),
            output_field=BooleanField())

    def meeting_kpi_summary(*, user, meeting) -> str:
        text = kpi_summary(user=user, partnership=meeting.partnership,
                           before=timezone.localdate(meeting.starts_at))
        return f"KPI summary (published values): {text}." if text else ""

    landing.register(steering_landing)
    minutes_summary.register(meeting_kpi_summary)
    my_work.register(selectors.steering_my_work)
    meeting_sections.register(selectors.meeting_packs)
    navigation.register(navigation.Link(
        "steering", "Steering", "metrics:steering_all", condition=on_steering))
