"""Detail pages, My work and the calendars cost the same number of queries however many
attendees, actions, decisions, steps and milestones hang off the records they show."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.meetings.services import calendar_feed_create, meeting_create
from governance.models import ActionItem, Decision, Meeting, Request, RequestStep, Risk
from partnership.models import Membership, Milestone, TechTransfer
from tests.factories import MembershipFactory, UserFactory


def _urls(world, feed_secret) -> list[str]:
    p = world.acme_contoso
    meeting = Meeting.objects.get(partnership=p)
    request = Request.objects.get(partnership=p)
    return [
        reverse("governance:meeting_detail", args=[p.pk, meeting.pk]),
        reverse("governance:meeting_ics", args=[p.pk, meeting.pk]),
        reverse("governance:meeting_calendar", args=[p.pk]),
        reverse("governance:calendar_feed", args=[feed_secret]),
        reverse("governance:decision_detail", args=[p.pk, Decision.objects.get(
            partnership=p).pk]),
        reverse("governance:request_detail", args=[p.pk, request.pk]),
        reverse("governance:risk_detail", args=[p.pk, Risk.objects.get(partnership=p).pk]),
        reverse("governance:actionitem_detail", args=[p.pk, ActionItem.objects.filter(
            partnership=p, meeting__isnull=False).get().pk]),
        reverse("governance:my_work"),
    ]


def _count(client, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def _grow(world) -> None:
    """Ten more of everything that hangs off the records the pages show."""
    p = world.acme_contoso
    meeting = Meeting.objects.get(partnership=p)
    decision = Decision.objects.get(partnership=p)
    request = Request.objects.get(partnership=p)
    risk = Risk.objects.get(partnership=p)
    transfer = TechTransfer.objects.get(partnership=p)
    today = timezone.localdate()
    for n in range(10):
        person = UserFactory(organization=world.contoso if n % 2 else world.acme)
        MembershipFactory(partnership=p, user=person, role=Membership.Role.MEMBER)
        meeting.attendees.add(person)
        decision.decided_by.add(person)
        ActionItem.objects.create(partnership=p, title=f"Grown action {n}", owner=world.alice,
                                  author_organization=world.acme, meeting=meeting,
                                  decision=decision, due_date=today + datetime.timedelta(n))
        Decision.objects.create(partnership=p, title=f"Grown decision {n}", rationale="R",
                                author_organization=world.acme, decided_on=today,
                                meeting=meeting)
        RequestStep.objects.create(partnership=p, request=request, step="answer",
                                   status="sent", actor=person)
        another = TechTransfer.objects.create(partnership=p, author_organization=world.acme,
                                              title=f"Grown transfer {n}", site=transfer.site,
                                              program=transfer.program)
        milestone = Milestone.objects.create(partnership=p, tech_transfer=another,
                                             kind="engineering_run", position=10 + n)
        request.milestones.add(milestone)
        risk.milestones.add(milestone)
        meeting_create(actor=world.alice, partnership=p, title=f"Grown meeting {n}",
                       kind="weekly_check_in", attendees=[world.alice, world.bob],
                       starts_at=timezone.now() + datetime.timedelta(days=n + 1))


def test_pages_cost_the_same_with_ten_times_the_related_rows(world, login):
    feed = calendar_feed_create(actor=world.alice)
    urls = _urls(world, feed.secret)
    client = login(world.alice)
    before = _count(client, urls)
    _grow(world)
    assert _count(client, urls) == before
