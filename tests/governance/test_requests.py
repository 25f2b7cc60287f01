"""Formal requests: the workflow on the server (who may take which step), late
acknowledgement and its job, the monthly emergency budget, relays between partnerships of
one sponsor (each CDMO sees only its own side), milestone links, pages and API."""

import datetime
import functools
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.escalation.services import escalations_advance
from governance.models import Request
from governance.requests import selectors, services
from governance.requests.selectors import emergency_usage, month_start_utc
from governance.requests.tasks import notify_late_requests
from partnership.models import Membership, Milestone, TechTransfer, User
from partnership.notifications.models import Notification
from partnership.parties import services as services_partnership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def send(world, actor=None, partnership=None, **fields):
    fields = {"title": "Send the CoA of lot 7", "description": "Certificate of analysis.",
              "kind": "document", **fields}
    return services.request_send(actor=actor or world.alice,
                                 partnership=partnership or world.acme_contoso, **fields)


def lab_lead(world) -> User:
    return User.objects.get(organization=world.labcorp)


def notified(kind, request=None) -> set[str]:
    rows = Notification.objects.filter(kind=kind)
    if request is not None:
        rows = rows.filter(url=request.get_absolute_url())
    return set(rows.values_list("recipient__first_name", flat=True))


# --- Workflow ------------------------------------------------------------------------------

def test_full_journey_between_the_parties_with_a_timeline(world):
    request = send(world)
    assert request.requested_by_party == "sponsor" and request.status == "sent"
    assert request.acknowledge_by - request.sent_at == datetime.timedelta(hours=48)
    assert notified("request_received", request) == {"Bob"}  # never Carol (other sponsor)

    request = services.request_acknowledge(actor=world.bob, request=request,
                                           committed_date=TODAY + 5 * DAY)
    assert request.status == "acknowledged" and request.acknowledged_at is not None
    assert request.assignee == world.bob  # whoever acknowledges answers, unless they choose
    assert notified("request_updated", request) == {"Alice"}
    request = services.request_start(actor=world.bob, request=request)
    request = services.request_fulfil(actor=world.bob, request=request,
                                      fulfilment_note="CoA uploaded to the shared folder.")
    assert request.status == "fulfilled" and request.fulfilled_at is not None
    request = services.request_accept(actor=world.alice, request=request)
    assert request.status == "accepted" and request.closed_at is not None
    assert list(request.steps.values_list("step", flat=True)) == [
        "send", "acknowledge", "start", "fulfil", "accept"]
    # Bob is told of the acceptance (he answers for it); Alice never of her own steps.
    assert Notification.objects.filter(recipient=world.bob, kind="request_updated",
                                       url=request.get_absolute_url()).count() == 1


@pytest.mark.parametrize("actor, step, arguments", [
    ("alice", "request_acknowledge", {"committed_date": TODAY}),  # requester acknowledges
    ("alice", "request_query", {"question": "Which lot?"}),
    ("bob", "request_cancel", {}),  # only the requester cancels
    ("bob", "request_accept", {}),  # not fulfilled yet, and not bob's to accept
    ("bob", "request_start", {}),  # sent, not acknowledged: cannot start
    ("alice", "request_answer", {"answer": "Lot 7"}),  # nothing was asked
])
def test_wrong_party_or_wrong_status_is_refused(world, actor, step, arguments):
    request = send(world)
    with pytest.raises(ValidationError):
        getattr(services, step)(actor=getattr(world, actor), request=request, **arguments)
    request.refresh_from_db()
    assert request.status == "sent" and request.steps.count() == 1


def test_committed_date_is_required_and_not_in_the_past(world):
    request = send(world)
    for committed in (None, TODAY - DAY):
        with pytest.raises(ValidationError) as error:
            services.request_acknowledge(actor=world.bob, request=request,
                                         committed_date=committed)
        assert "committed_date" in error.value.message_dict


def test_query_and_answer_restart_the_acknowledgement_clock(world):
    request = send(world)
    Request.objects.filter(pk=request.pk).update(
        acknowledge_by=timezone.now() - DAY, late_notified_at=timezone.now())
    request.refresh_from_db()
    assert request.is_acknowledgement_late()
    with pytest.raises(ValidationError):
        services.request_query(actor=world.bob, request=request, question="  ")
    request = services.request_query(actor=world.bob, request=request,
                                     question="Which lot do you mean?")
    assert request.status == "queried" and not request.is_acknowledgement_late()
    request = services.request_answer(actor=world.alice, request=request, answer="Lot 7.")
    assert request.status == "sent" and request.answer == "Lot 7."
    assert request.acknowledge_by > timezone.now() + datetime.timedelta(hours=47)
    assert request.late_notified_at is None  # a new window may be late again


def test_reopen_needs_a_reason_and_cancel_only_while_open(world):
    request = send(world)
    request = services.request_acknowledge(actor=world.bob, request=request,
                                           committed_date=TODAY)
    request = services.request_fulfil(actor=world.bob, request=request, fulfilment_note="Done")
    with pytest.raises(ValidationError):
        services.request_reopen(actor=world.alice, request=request, reason="")
    request = services.request_reopen(actor=world.alice, request=request,
                                      reason="Page 2 is missing.")
    assert request.status == "in_progress" and request.fulfilled_at is None
    request = services.request_cancel(actor=world.alice, request=request, reason="Not needed")
    assert request.status == "cancelled"
    with pytest.raises(ValidationError):
        services.request_cancel(actor=world.alice, request=request)


def test_the_receiver_declines_with_a_reason_and_the_request_is_closed(world):
    request = send(world, needed_by=TODAY + 3 * DAY)
    make_late(request)
    request.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.request_decline(actor=world.bob, request=request, reason="  ")
    assert "decline_reason" in error.value.message_dict
    request = services.request_decline(actor=world.bob, request=request,
                                       reason="Lot 7 was never made at our site.")
    assert request.status == "declined" and request.closed_at is not None
    assert request.decline_reason == "Lot 7 was never made at our site."
    assert not request.is_open and not request.is_acknowledgement_late()
    assert list(request.steps.values_list("step", "note")) == [
        ("send", ""), ("decline", "Lot 7 was never made at our site.")]
    assert notified("request_updated", request) == {"Alice"}  # the sender is told
    # Closed: not late, overdue, due soon nor awaiting anybody; no job picks it up.
    requests = Request.objects.filter(pk=request.pk)
    assert not requests.late().exists()
    assert not selectors.requests_overdue(requests).exists()
    assert not selectors.requests_due_soon(requests).exists()
    for person in (world.alice, world.bob):
        assert not selectors.requests_awaiting(requests, user=person).exists()
    services.request_notify_late()
    escalations_advance()
    assert notified("request_late", request) == set() and not request.escalations.exists()
    with pytest.raises(ValidationError):  # closed: no second answer
        services.request_acknowledge(actor=world.bob, request=request, committed_date=TODAY)


def test_the_sender_cannot_decline_its_own_request(world):
    request = send(world)
    with pytest.raises(ValidationError) as error:
        services.request_decline(actor=world.alice, request=request, reason="Changed my mind")
    assert "Only the receiving party" in str(error.value)
    request.refresh_from_db()
    assert request.status == "sent" and request.steps.count() == 1
    queried = services.request_query(actor=world.bob, request=send(world, title="Other"),
                                     question="Which lot?")
    with pytest.raises(ValidationError):  # a question is out: the requester answers first
        services.request_decline(actor=world.bob, request=queried, reason="No")


def test_the_acknowledge_dialog_starts_with_the_senders_choice(world, login):
    colleague = UserFactory(organization=world.bob.organization, first_name="Cleo")
    MembershipFactory(partnership=world.acme_contoso, user=colleague,
                      role=Membership.Role.MEMBER)
    request = send(world, assignee=colleague)
    url = reverse("governance:request_step", args=[world.acme_contoso.pk, request.pk,
                                                   "acknowledge"])
    dialog = login(world.bob).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'<option value="{colleague.pk}" selected>' in dialog
    unassigned = send(world, title="Nobody chosen")
    url = reverse("governance:request_step", args=[world.acme_contoso.pk, unassigned.pk,
                                                   "acknowledge"])
    dialog = login(world.bob).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="" selected>Me</option>' in dialog  # in words, not "---------"
    new = login(world.alice).get(reverse("governance:request_create",
                                         args=[world.acme_contoso.pk]),
                                 HTTP_HX_REQUEST="true").content.decode()
    assert "Choose a kind…</option>" in new and "Whoever acknowledges it</option>" in new
    assert "---------" not in new


def test_the_needed_by_sort_has_an_index():
    assert any(list(index.fields)[:2] == ["partnership", "needed_by"]
               for index in Request._meta.indexes)


def test_cdmo_sends_and_the_sponsor_acknowledges(world):
    request = send(world, actor=world.bob, title="Confirm the spec change")
    assert request.requested_by_party == "cdmo" and request.receiving_party == "sponsor"
    assert notified("request_received", request) == {"Alice", "Vera"}  # viewers read
    with pytest.raises(ValidationError):
        services.request_acknowledge(actor=world.bob, request=request, committed_date=TODAY)
    services.request_acknowledge(actor=world.alice, request=request, committed_date=TODAY)


def test_read_only_roles_cannot_send_or_step(world):
    with pytest.raises(PermissionDenied):
        send(world, actor=world.vera)
    request = send(world, actor=world.bob)
    with pytest.raises(PermissionDenied):
        services.request_acknowledge(actor=world.vera, request=request, committed_date=TODAY)


def test_edit_only_by_the_requester_before_acknowledgement(world):
    request = send(world)
    services.request_update(actor=world.alice, request=request, title="CoA of lot 8")
    with pytest.raises(ValidationError):
        services.request_update(actor=world.bob, request=request, title="Mine now")
    services.request_acknowledge(actor=world.bob, request=request, committed_date=TODAY)
    with pytest.raises(ValidationError):
        services.request_update(actor=world.alice, request=request, title="Too late")


def test_assignee_must_be_of_the_receiving_party(world):
    with pytest.raises(ValidationError) as error:
        send(world, assignee=world.vera)  # Acme: the requester's own party
    assert "assignee" in error.value.message_dict
    assert send(world, assignee=world.bob).assignee == world.bob


def test_acknowledging_with_a_wrong_assignee_takes_no_step(world, monkeypatch):
    request = send(world)
    told = []
    monkeypatch.setattr(services, "notify", lambda **kwargs: told.append(kwargs))
    for wrong in (world.vera, world.carol):  # the requester's own party; Contoso, no seat
        with pytest.raises(ValidationError) as error:
            services.request_acknowledge(actor=world.bob, request=request,
                                         committed_date=TODAY, assignee=wrong)
        assert "assignee" in error.value.message_dict
    assert told == [] and request.steps.count() == 1
    request.refresh_from_db()
    assert request.status == "sent" and request.assignee is None


# --- Late acknowledgement ------------------------------------------------------------------

def make_late(request, hours=1):
    Request.objects.filter(pk=request.pk).update(
        acknowledge_by=timezone.now() - datetime.timedelta(hours=hours))


def test_late_filter_and_badge(world, login):
    late, on_time = send(world, title="Late one"), send(world, title="On time one")
    make_late(late)
    client = login(world.bob)
    url = reverse("governance:request_list", args=[world.acme_contoso.pk])
    page = client.get(url, {"late": "true"}).content.decode()
    assert "Late one" in page and "On time one" not in page and ">Late</span>" in page
    detail = client.get(late.get_absolute_url()).content.decode()
    assert ">Late</span>" in detail
    assert ">Late</span>" not in client.get(on_time.get_absolute_url()).content.decode()


def test_the_late_query_and_the_late_badge_agree(world):
    now = timezone.now()
    sent, queried, acknowledged, on_the_dot = (send(world, title=t) for t in (
        "Sent late", "Queried late", "Acknowledged late", "Due this very moment"))
    services.request_query(actor=world.bob, request=queried, question="Which lot?")
    services.request_acknowledge(actor=world.bob, request=acknowledged, committed_date=TODAY)
    Request.objects.filter(pk__in=[sent.pk, queried.pk, acknowledged.pk]).update(
        acknowledge_by=now - DAY)
    Request.objects.filter(pk=on_the_dot.pk).update(acknowledge_by=now)
    everything = Request.objects.filter(pk__in=[sent.pk, queried.pk, acknowledged.pk,
                                                on_the_dot.pk])
    assert {r.title for r in everything.late(now)} == \
        {r.title for r in everything if r.is_acknowledgement_late(now)} == {"Sent late"}


def test_late_job_tells_the_receiving_leads_once(world):
    notify_late_requests()  # the world's own old requests
    lou = UserFactory(first_name="Lou", organization=world.acme)  # a lead elsewhere only
    MembershipFactory(partnership=world.acme_labcorp, user=lou, role=Membership.Role.LEAD)
    MembershipFactory(partnership=world.acme_contoso, user=lou, role=Membership.Role.MEMBER)
    carol_request = send(world, actor=world.carol, partnership=world.globex_contoso)
    request = send(world, actor=world.bob)  # CDMO asks, Acme must acknowledge
    make_late(request)
    make_late(carol_request)
    assert notify_late_requests() == 2
    assert notify_late_requests() == 0  # second run: nobody told twice
    assert notified("request_late", request) == {"Alice"}  # Acme's lead only
    assert notified("request_late", carol_request) == {"Dave"}
    assert Notification.objects.filter(kind="request_late", url__in=[
        request.get_absolute_url(), carol_request.get_absolute_url()]).count() == 2


def test_late_job_does_not_claim_a_request_answered_meanwhile(world, monkeypatch):
    """A question and its answer between the job's listing and its claim give the receiver a
    fresh window: the job must not report that request now, and must report it once the
    fresh window runs out."""
    notify_late_requests()  # the world's own old requests
    first, second = send(world, actor=world.bob, title="First"), \
        send(world, actor=world.bob, title="Second")
    make_late(first)
    make_late(second)
    real_notify = services.notify

    def notify_and_meanwhile_query_the_second(**kwargs):
        if kwargs["kind"] == "request_late" and kwargs["record"] == first:
            services.request_query(actor=world.alice, request=second, question="Which lot?")
            services.request_answer(actor=world.bob, request=second, answer="Lot 7.")
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", notify_and_meanwhile_query_the_second)
    assert notify_late_requests() == 1
    second.refresh_from_db()
    assert second.late_notified_at is None and not second.is_acknowledgement_late()
    assert notified("request_late", second) == set()
    make_late(second)
    assert notify_late_requests() == 1
    assert notified("request_late", second) == {"Alice"}


def test_late_job_tells_the_seated_writers_of_a_party_without_a_lead(world):
    notify_late_requests()  # the world's own old requests
    request = send(world)  # Acme asks Contoso, which has no lead in Acme–Contoso
    make_late(request)
    assert notify_late_requests() == 1
    assert notified("request_late", request) == {"Bob"}  # a member; never Olga (no seat)


def test_late_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    world = world_committed
    notify_late_requests()  # the world's own old requests
    request = send(world, actor=world.bob)
    make_late(request)
    assert notify_late_requests.delay().get(timeout=15) == 1
    assert notify_late_requests.delay().get(timeout=15) == 0
    assert Notification.objects.filter(kind="request_late", recipient=world.alice,
                                       url=request.get_absolute_url()).count() == 1


def test_beat_schedules_the_late_job(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["governance.requests.tasks.notify_late_requests"] == 900.0


# --- Emergency budget ----------------------------------------------------------------------

@pytest.fixture
def steering(world):
    """Steering committee members of both parties of Acme–Contoso, and one of another."""
    people = {}
    for name, org, partnership in (("Stan", world.acme, world.acme_contoso),
                                   ("Cleo", world.contoso, world.acme_contoso),
                                   ("Gus", world.globex, world.globex_contoso)):
        people[name] = UserFactory(first_name=name, organization=org)
        MembershipFactory(partnership=partnership, user=people[name],
                          role=Membership.Role.STEERING)
    return people


def test_page_and_api_show_a_justification_to_the_same_people(world, login, steering):
    """The sending party reads its own words; the receiving party (its steering members
    too) once the emergency is over budget, on the page and through the API alike."""
    world.acme_contoso.sponsor_emergency_budget = 1
    world.acme_contoso.save()
    within = send(world, urgency="emergency", title="Within budget",
                  emergency_justification="Words for our side only.")
    over = send(world, urgency="emergency", title="Over budget",
                emergency_justification="The line stops on Monday.")
    for request, words in ((within, "Words for our side only."),
                           (over, "The line stops on Monday.")):
        for person, sees in ((world.alice, True), (world.bob, request is over),
                             (steering["Cleo"], request is over)):
            page = login(person).get(request.get_absolute_url()).content.decode()
            client = APIClient()
            client.force_authenticate(person)
            body = client.get(f"/api/v1/requests/{request.pk}/").json()
            assert (words in page) == sees == (body["emergency_justification"] == words), \
                (request.title, person)


def test_emergency_over_budget_needs_a_justification_for_steering(world, login, steering):
    world.acme_contoso.sponsor_emergency_budget = 1
    world.acme_contoso.save()
    first = send(world, urgency="emergency", title="First emergency")
    assert not first.over_emergency_budget
    send(world, actor=world.bob, urgency="emergency", title="CDMO's own budget")  # not ours
    with pytest.raises(ValidationError) as error:
        send(world, urgency="emergency", title="Second emergency")
    assert "emergency_justification" in error.value.message_dict
    second = send(world, urgency="emergency", title="Second emergency",
                  emergency_justification="The line stops on Monday without it.")
    assert second.over_emergency_budget
    assert notified("emergency_over_budget") == {"Stan", "Cleo"}  # never Gus
    assert Notification.objects.get(kind="emergency_over_budget",
                                    recipient=steering["Cleo"]).body.startswith("The line")
    cleo = login(steering["Cleo"]).get(second.get_absolute_url()).content.decode()
    assert "The line stops on Monday" in cleo
    # The receiving party reads why it is asked to drop other work; no one else's partnership.
    assert "The line stops on Monday" in login(world.bob).get(
        second.get_absolute_url()).content.decode()
    assert login(world.carol).get(second.get_absolute_url()).status_code == 404
    page = login(world.alice).get(reverse("governance:request_list",
                                          args=[world.acme_contoso.pk]),
                                  {"over_budget": "true"}).content.decode()
    assert "Second emergency" in page and "First emergency" not in page
    assert "Acme Pharma 2 of 1" in " ".join(page.split())
    form = login(world.alice).get(reverse("governance:request_create",
                                          args=[world.acme_contoso.pk])).content.decode()
    assert "2 of 1 emergencies used this month" in form


def test_two_emergencies_sent_at_once_cannot_both_fit_a_budget_of_one(world_committed):
    """The partnership row lock of request_send: without it both senders count 0 used and
    both emergencies pass without a justification."""
    world = world_committed
    world.acme_contoso.sponsor_emergency_budget = 1
    world.acme_contoso.save()
    start = threading.Barrier(2)
    outcomes = []

    def send_emergency(n):
        try:
            start.wait(timeout=10)
            outcomes.append(send(world, urgency="emergency", title=f"Race {n}"))
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_emergency, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    sent = [o for o in outcomes if isinstance(o, Request)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(sent) == 1 and not sent[0].over_emergency_budget
    assert len(refused) == 1 and "emergency_justification" in refused[0].message_dict
    assert Request.objects.filter(title__startswith="Race").count() == 1


def test_last_months_emergencies_do_not_count(world):
    world.acme_contoso.sponsor_emergency_budget = 1
    world.acme_contoso.save()
    old = send(world, urgency="emergency")
    Request.objects.filter(pk=old.pk).update(sent_at=timezone.now() - 40 * DAY)
    assert not send(world, urgency="emergency").over_emergency_budget


def test_emergencies_count_per_calendar_month_in_utc_and_the_page_says_so(world, login):
    at = functools.partial(datetime.datetime, tzinfo=datetime.UTC)
    for title, sent_at in (("End of November", at(2026, 11, 30, 23, 30)),
                           ("Start of December", at(2026, 12, 1, 0, 30))):
        request = send(world, urgency="emergency", title=title)
        Request.objects.filter(pk=request.pk).update(sent_at=sent_at)
    for now, used in ((at(2026, 11, 30, 23, 59), 1), (at(2026, 12, 1, 1, 0), 1),
                      (at(2026, 12, 31, 23, 59), 1), (at(2027, 1, 1, 0, 0), 0)):
        assert emergency_usage(partnership=world.acme_contoso, now=now)["sponsor"][0] == used
    world.alice.time_zone = "America/New_York"  # where 1 Dec 00:30 UTC is still 30 Nov
    world.alice.save()
    client = login(world.alice)
    page = client.get(reverse("governance:request_list", args=[world.acme_contoso.pk]))
    assert "Emergencies this month (UTC):" in page.content.decode()
    form = client.get(reverse("governance:request_create", args=[world.acme_contoso.pk]))
    assert "emergencies used this month (UTC)" in form.content.decode()


def assert_demo_emergencies_agree_with_the_budget(now: datetime.datetime) -> None:
    """The demo's emergencies, seeded at `now`: each is over its party's budget exactly when
    the earlier ones of its UTC month fill it, and one that is stays in the month the page
    counts. tests/test_demo_data.py asks it of the demo seeded today."""
    emergencies = Request.objects.filter(urgency="emergency").select_related("partnership")
    assert emergencies.filter(over_emergency_budget=True).exists()
    for request in emergencies:
        party = request.requested_by_party
        used, budget = emergency_usage(partnership=request.partnership, now=now)[party]
        earlier = emergencies.filter(
            partnership=request.partnership, requested_by_party=party,
            sent_at__gte=month_start_utc(request.sent_at), sent_at__lt=request.sent_at)
        assert request.over_emergency_budget == (earlier.count() >= budget), request.title
        assert request.sent_at <= now
        if request.over_emergency_budget:
            assert used > budget and request.emergency_justification
            assert request.sent_at >= month_start_utc(now)  # the page counts it this month


@pytest.mark.parametrize("now", [datetime.datetime(2026, 12, 1, 0, 10, tzinfo=datetime.UTC),
                                 datetime.datetime(2026, 12, 1, 1, 30, tzinfo=datetime.UTC)])
def test_demo_emergencies_agree_with_the_months_budget_when_seeded_as_a_month_begins(
        db, monkeypatch, now):
    """Seeded in the first hours of a UTC month, the demo's emergencies of 'the last hours'
    must not straddle two months while one keeps its over-budget badge (a day within the
    month: tests/test_demo_data.py, which seeds the demo today)."""
    monkeypatch.setattr(timezone, "now", lambda: now)
    call_command("seed_demo", verbosity=0)
    assert_demo_emergencies_agree_with_the_budget(now)


def test_leads_set_the_request_settings(world, login):
    url = reverse("partnership:partnership_settings", args=[world.acme_contoso.pk])
    response = login(world.alice).post(url, {
        "negotiation_round_threshold": 4, "negotiation_turnaround_threshold": 10,
        "acknowledgement_hours": 24, "sponsor_emergency_budget": 3,
        "cdmo_emergency_budget": 1})
    assert response.status_code == 302
    world.acme_contoso.refresh_from_db()
    assert (world.acme_contoso.acknowledgement_hours, world.acme_contoso.
            sponsor_emergency_budget, world.acme_contoso.cdmo_emergency_budget) == (24, 3, 1)
    request = send(world)
    assert request.acknowledge_by - request.sent_at == datetime.timedelta(hours=24)
    client = APIClient()
    client.force_authenticate(world.bob)  # a member, not a lead: refused
    assert client.patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                        {"cdmo_emergency_budget": 9}, format="json").status_code in (400, 403)
    client.force_authenticate(world.alice)
    answer = client.patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                          {"cdmo_emergency_budget": 5}, format="json")
    assert answer.status_code == 200 and answer.json()["cdmo_emergency_budget"] == 5


def test_the_other_partys_leads_are_told_of_every_change_to_the_agreed_settings(world, login):
    lou = UserFactory(first_name="Lou", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=lou, role=Membership.Role.LEAD)
    url = reverse("partnership:partnership_settings", args=[world.acme_contoso.pk])
    thresholds = {"negotiation_round_threshold": 4, "negotiation_turnaround_threshold": 10}
    login(world.alice).post(url, {**thresholds, "acknowledgement_hours": 24,
                                  "sponsor_emergency_budget": 3})
    assert notified("partnership_settings") == {"Lou"}  # not Bob (a member), not Acme
    body = Notification.objects.get(kind="partnership_settings").body
    assert "Hours to acknowledge a formal request: 48 → 24" in body
    assert "Sponsor's emergency requests per month: 2 → 3" in body and "CDMO's" not in body
    login(world.alice).post(url, {**thresholds, "acknowledgement_hours": 24})  # no change
    assert Notification.objects.filter(kind="partnership_settings").count() == 1
    # Contoso's admin (no seat) changes its own budget: Acme's lead is told, its viewer not.
    answer = api(world.olga).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                   {"cdmo_emergency_budget": 5}, format="json")
    assert answer.status_code == 200
    told = Notification.objects.get(kind="partnership_settings", recipient=world.alice)
    assert "CDMO's emergency requests per month: 2 → 5" in told.body
    assert told.url == url and "Olga" in told.title


@pytest.mark.parametrize("field, value", [
    ("acknowledgement_hours", 2_000_000_000), ("acknowledgement_hours", 24 * 90 + 1),
    ("acknowledgement_hours", 0), ("sponsor_emergency_budget", 10_000),
    ("cdmo_emergency_budget", 32)])
def test_request_settings_out_of_bounds_are_field_errors(world, login, field, value):
    url = reverse("partnership:partnership_settings", args=[world.acme_contoso.pk])
    page = login(world.alice).post(url, {"negotiation_round_threshold": 4,
                                         "negotiation_turnaround_threshold": 10, field: value})
    assert page.status_code == 200 and field in page.context["form"].errors
    answer = api(world.alice).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                    {field: value}, format="json")
    assert answer.status_code == 400 and field in answer.json()
    with pytest.raises(ValidationError):
        services_partnership.partnership_thresholds_set(
            actor=world.alice, partnership=world.acme_contoso, negotiation_round_threshold=4,
            negotiation_turnaround_threshold=10, **{field: value})
    world.acme_contoso.refresh_from_db()
    assert (world.acme_contoso.acknowledgement_hours, world.acme_contoso.
            sponsor_emergency_budget, world.acme_contoso.cdmo_emergency_budget) == (48, 2, 2)
    assert send(world).acknowledge_by - timezone.now() < datetime.timedelta(hours=49)


def test_the_longest_acknowledgement_time_still_sends(world):
    services_partnership.partnership_thresholds_set(
        actor=world.alice, partnership=world.acme_contoso, negotiation_round_threshold=4,
        negotiation_turnaround_threshold=10, acknowledgement_hours=24 * 90)
    request = send(world)
    assert request.acknowledge_by - request.sent_at == datetime.timedelta(days=90)
    request = services.request_query(actor=world.bob, request=request, question="Which?")
    services.request_answer(actor=world.alice, request=request, answer="Lot 7.")


# --- Relay between partnerships of one sponsor ---------------------------------------------

@pytest.fixture
def relayed(world):
    original = send(world, actor=world.bob, title="Which column did the lab validate?",
                    description="Contoso secret: our column supplier is Zephyr.")
    relay = services.request_relay(
        actor=world.alice, request=original, target_partnership=world.acme_labcorp,
        title="Column used in the validated HPLC method", urgency="normal",
        description="Please confirm the column of the validated method.", kind="information")
    return original, relay


def test_relay_carries_only_what_the_sponsor_wrote(world, relayed):
    original, relay = relayed
    assert relay.partnership == world.acme_labcorp and relay.relayed_from == original
    assert relay.requested_by_party == "sponsor" and "Zephyr" not in relay.description
    assert notified("request_received", relay) == {lab_lead(world).first_name}


def test_each_cdmo_sees_no_trace_of_the_other_side(world, login, relayed):
    original, relay = relayed
    bob = login(world.bob).get(original.get_absolute_url()).content.decode()
    assert "Labcorp" not in bob and relay.title not in bob and "Relay" not in bob
    lab = login(lab_lead(world))
    page = lab.get(relay.get_absolute_url()).content.decode()
    assert "Contoso" not in page and original.title not in page and "Relay" not in page
    listing = lab.get(reverse("governance:request_list", args=[world.acme_labcorp.pk]))
    assert "Contoso" not in listing.content.decode() and "relayed" not in \
        listing.content.decode()
    assert lab.get(original.get_absolute_url()).status_code == 404
    for user, record in ((lab_lead(world), relay), (world.bob, original)):
        client = APIClient()
        client.force_authenticate(user)
        body = client.get(f"/api/v1/requests/{record.pk}/").json()
        assert body["relayed_from"] is None and body["relays"] == []
        listed = client.get("/api/v1/requests/").json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert all(row["relayed_from"] is None and row["relays"] == [] for row in rows)
        history = client.get(f"/api/v1/requests/{record.pk}/history/").json()
        assert "Relayed from" not in str(history)  # attack, issue 11: it said "#7"
    page = lab.get(reverse("partnership:record_history", args=[
        world.acme_labcorp.pk, "request", relay.pk])).content.decode()
    assert "Relayed from" not in page and f"#{original.pk}" not in page


def test_sponsor_sees_both_links(world, login, relayed):
    original, relay = relayed
    alice = login(world.alice)
    page = alice.get(original.get_absolute_url()).content.decode()
    assert relay.title in page and "Acme Pharma – Labcorp Testing" in page
    page = alice.get(relay.get_absolute_url()).content.decode()
    assert original.title in page and "Acme Pharma – Contoso CDMO" in page
    client = APIClient()
    client.force_authenticate(world.alice)
    assert client.get(f"/api/v1/requests/{relay.pk}/").json()["relayed_from"] == original.pk
    assert client.get(f"/api/v1/requests/{original.pk}/").json()["relays"] == [relay.pk]


def test_relay_only_by_the_sponsor_into_its_own_partnerships(world, login):
    original = send(world, actor=world.bob)
    arguments = {"title": "T", "description": "D", "urgency": "normal", "kind": "testing"}
    with pytest.raises(PermissionDenied):
        services.request_relay(actor=world.bob, request=original,
                               target_partnership=world.acme_labcorp, **arguments)
    for target in (world.acme_contoso, world.globex_contoso):
        with pytest.raises(ValidationError):
            services.request_relay(actor=world.alice, request=original,
                                   target_partnership=target, **arguments)
    form = login(world.alice).get(reverse("governance:request_relay",
                                          args=[world.acme_contoso.pk, original.pk]))
    text = form.content.decode()
    assert "Acme Pharma – Labcorp Testing" in text and "Globex" not in text
    assert login(world.bob).get(reverse("governance:request_relay", args=[
        world.acme_contoso.pk, original.pk])).status_code == 403  # the sponsor's to do
    response = login(world.bob).post(reverse("governance:request_relay", args=[
        world.acme_contoso.pk, original.pk]), {**arguments,
                                               "target_partnership": world.acme_labcorp.pk})
    assert response.status_code == 403 and not Request.objects.filter(title="T").exists()


def test_an_emergency_relay_over_the_target_budget_takes_a_justification(world, login):
    world.acme_labcorp.sponsor_emergency_budget = 0
    world.acme_labcorp.save()
    original = send(world, actor=world.bob, title="Is the column still available?")
    url = reverse("governance:request_relay", args=[world.acme_contoso.pk, original.pk])
    data = {"target_partnership": world.acme_labcorp.pk, "title": "Column availability",
            "description": "Can you still get the validated column?", "kind": "information",
            "urgency": "emergency"}
    refused = login(world.alice).post(url, data)
    assert refused.status_code == 200 and \
        "emergency_justification" in refused.context["form"].errors
    response = login(world.alice).post(url, {**data, "emergency_justification":
                                             "The batch is on hold until we know."})
    assert response.status_code == 302
    relay = Request.objects.get(title="Column availability")
    assert relay.over_emergency_budget and relay.emergency_justification.startswith("The batch")
    endpoint = f"/api/v1/requests/{original.pk}/relay/"
    data = {**data, "target_partnership": world.acme_labcorp.pk, "title": "Via the API"}
    answer = api(world.alice).post(endpoint, data, format="json")
    assert answer.status_code == 400 and "emergency_justification" in answer.json()
    answer = api(world.alice).post(endpoint, {**data, "emergency_justification": "On hold."},
                                   format="json")
    assert answer.status_code == 201 and answer.json()["over_emergency_budget"]


def test_the_relay_form_starts_empty_beside_the_original(world, login):
    """Nothing of one partnership is copied into the other unless the sponsor writes it: the
    original is shown read-only to write from, the new title and description start empty."""
    original = send(world, actor=world.bob, title="Which column did you validate?",
                    description="Contoso detail: supplier Zephyr.", kind="testing")
    response = login(world.alice).get(reverse("governance:request_relay", args=[
        world.acme_contoso.pk, original.pk]), HTTP_HX_REQUEST="true")
    form = response.context["form"]
    assert form["title"].value() in (None, "") and form["description"].value() in (None, "")
    assert form["kind"].value() == "testing"  # a choice, not words of the CDMO's
    page = response.content.decode()
    original_block = page[page.index('id="relay-original"'):]
    assert "Which column did you validate?" in original_block
    assert "Contoso detail: supplier Zephyr." in original_block
    assert 'value="Which column' not in page and "supplier Zephyr.</textarea>" not in page


@pytest.mark.parametrize("close", ["cancel", "accept"])
def test_a_closed_request_is_not_relayed(world, login, close):
    original = send(world, actor=world.bob, title="Closed question")
    if close == "cancel":
        original = services.request_cancel(actor=world.bob, request=original)
    else:
        original = services.request_acknowledge(actor=world.alice, request=original,
                                                committed_date=TODAY)
        original = services.request_fulfil(actor=world.alice, request=original,
                                           fulfilment_note="Answered.")
        original = services.request_accept(actor=world.bob, request=original)
    arguments = {"title": "Relayed late", "description": "D", "urgency": "normal",
                 "kind": "information"}
    with pytest.raises(ValidationError):
        services.request_relay(actor=world.alice, request=original,
                               target_partnership=world.acme_labcorp, **arguments)
    url = reverse("governance:request_relay", args=[world.acme_contoso.pk, original.pk])
    page = login(world.alice).post(url, {**arguments,
                                         "target_partnership": world.acme_labcorp.pk})
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    answer = api(world.alice).post(f"/api/v1/requests/{original.pk}/relay/", {
        **arguments, "target_partnership": world.acme_labcorp.pk}, format="json")
    assert answer.status_code == 400
    assert not Request.objects.filter(title="Relayed late").exists()
    assert "Relay to another partnership" not in login(world.alice).get(
        original.get_absolute_url()).content.decode()


# --- Milestones ----------------------------------------------------------------------------

def test_milestones_of_the_same_partnership_only(world, login):
    mine = Milestone.objects.filter(partnership=world.acme_contoso).first()
    foreign = Milestone.objects.filter(partnership=world.globex_contoso).first()
    with pytest.raises(ValidationError):
        send(world, milestones=[foreign])
    request = send(world, milestones=[mine], title="Waiting milestone request")
    detail = login(world.bob).get(reverse("partnership:techtransfer_detail", args=[
        world.acme_contoso.pk, mine.tech_transfer_id])).content.decode()
    assert "Waiting milestone request" in detail
    assert request.title not in login(world.carol).get(reverse(
        "partnership:techtransfer_detail", args=[world.globex_contoso.pk,
                                                 foreign.tech_transfer_id])).content.decode()


@pytest.fixture
def internal_milestones(world):
    """Acme's milestones the CDMO must never see: one of an internal tech transfer, one of a
    shared transfer of an internal program."""
    site = world.contoso.sites.first()
    secret = TechTransfer.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, is_internal=True,
        title="Secret dual-sourcing transfer", site=site, program=world.acme_program)
    backup = TechTransfer.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme,
        title="Backup plan transfer", site=site, program=world.acme_internal_program)
    return [Milestone.objects.create(partnership=world.acme_contoso, tech_transfer=transfer,
                                     kind="handover", position=5)
            for transfer in (secret, backup)]


def test_a_request_never_waits_on_an_internal_milestone(world, login, internal_milestones):
    for milestone in internal_milestones:
        with pytest.raises(ValidationError) as error:
            send(world, milestones=[milestone])
        assert "milestones" in error.value.message_dict
    request = send(world, title="Shared one")
    with pytest.raises(ValidationError):
        services.request_update(actor=world.alice, request=request,
                                milestones=internal_milestones[:1])
    form = login(world.alice).get(reverse("governance:request_create",
                                          args=[world.acme_contoso.pk])).content.decode()
    assert "Acme–Contoso supply agreement transfer" in form  # a shared milestone is offered
    assert "Secret dual-sourcing" not in form and "Backup plan transfer" not in form
    answer = api(world.alice).post("/api/v1/requests/", {
        "partnership": world.acme_contoso.pk, "title": "X", "description": "Y",
        "kind": "quote", "milestones": [internal_milestones[0].pk]}, format="json")
    assert answer.status_code == 400 and "milestones" in answer.json()
    assert not request.milestones.exists() and not Request.objects.filter(title="X").exists()


def test_a_linked_internal_milestone_stays_hidden_from_the_other_party(
        world, login, internal_milestones):
    request = send(world, actor=world.bob, title="Older link")
    request.milestones.add(*internal_milestones)  # linked before the rule, say
    assert not Milestone.objects.visible_to(world.bob).filter(
        pk__in=[m.pk for m in internal_milestones]).exists()
    page = login(world.bob).get(request.get_absolute_url()).content.decode()
    assert "Secret dual-sourcing" not in page and "Backup plan" not in page
    for body in (api(world.bob).get(f"/api/v1/requests/{request.pk}/").json(),
                 next(row for row in api(world.bob).get("/api/v1/requests/").json()["results"]
                      if row["id"] == request.pk)):
        assert not {m.pk for m in internal_milestones} & set(body["milestones"])
    assert "Secret dual-sourcing" in login(world.alice).get(
        request.get_absolute_url()).content.decode()  # Acme's own, Acme sees it


# --- Pages ---------------------------------------------------------------------------------

def test_send_and_acknowledge_through_the_pages(world, login):
    alice, bob = login(world.alice), login(world.bob)
    create = reverse("governance:request_create", args=[world.acme_contoso.pk])
    assert alice.post(create, {"title": "", "kind": "testing"}).status_code == 200
    response = alice.post(create, {"title": "Pull 3 retain samples", "kind": "sample_pull",
                                   "urgency": "urgent", "description": "Lots 4 to 6."})
    assert response.status_code == 302
    request = Request.objects.get(title="Pull 3 retain samples")
    detail = bob.get(request.get_absolute_url()).content.decode()
    assert ">Acknowledge request<" in detail and "Ask a question" in detail
    assert "Cancel request" not in detail and ">Edit<" not in detail
    own = alice.get(request.get_absolute_url()).content.decode()
    assert "Cancel request" in own and ">Acknowledge request<" not in own
    step = reverse("governance:request_step", args=[world.acme_contoso.pk, request.pk,
                                                    "acknowledge"])
    dialog = bob.get(step, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in dialog and 'name="committed_date"' in dialog
    refused = alice.post(step, {"committed_date": (TODAY + DAY).isoformat()})
    assert refused.status_code == 200 and "Only the receiving party" in refused.content.decode()
    past = bob.post(step, {"committed_date": (TODAY - DAY).isoformat()})
    assert "cannot be in the past" in past.content.decode()
    done = bob.post(step, {"committed_date": (TODAY + DAY).isoformat()},
                    HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Redirect"] == request.get_absolute_url()
    request.refresh_from_db()
    assert request.status == "acknowledged" and request.committed_date == TODAY + DAY
    assert bob.get(reverse("governance:request_step", args=[
        world.acme_contoso.pk, request.pk, "nonsense"])).status_code == 404


def test_decline_through_the_page(world, login):
    alice, bob = login(world.alice), login(world.bob)
    request = send(world)
    detail = bob.get(request.get_absolute_url()).content.decode()
    assert ">Decline request</a>" in detail
    assert ">Decline request</a>" not in alice.get(request.get_absolute_url()).content.decode()
    step = reverse("governance:request_step", args=[world.acme_contoso.pk, request.pk,
                                                    "decline"])
    dialog = bob.get(step, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in dialog and 'name="decline_reason"' in dialog
    empty = bob.post(step, {"decline_reason": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    refused = alice.post(step, {"decline_reason": "Mine to drop"})
    assert refused.status_code == 200 and "Only the receiving party" in refused.content.decode()
    assert login(world.carol).post(step, {"decline_reason": "x"}).status_code == 404
    assert login(world.vera).post(step, {"decline_reason": "x"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "sent"
    done = bob.post(step, {"decline_reason": "Outside the scope of work."},
                    HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Redirect"] == request.get_absolute_url()
    request.refresh_from_db()
    assert request.status == "declined"
    page = alice.get(request.get_absolute_url()).content.decode()
    assert "Declined because" in page and "Outside the scope of work." in page
    assert ">Cancel request</a>" not in page
    listed = alice.get(reverse("governance:request_list", args=[world.acme_contoso.pk]),
                       {"show": "awaiting"}).content.decode()
    assert request.title not in listed


def test_viewer_gets_403_on_writes_and_no_buttons(world, login):
    request = send(world, actor=world.bob)
    vera = login(world.vera)
    assert vera.get(request.get_absolute_url()).status_code == 200
    assert ">Acknowledge request</a>" not in vera.get(request.get_absolute_url()).content.decode()
    for url in (reverse("governance:request_create", args=[world.acme_contoso.pk]),
                reverse("governance:request_step", args=[world.acme_contoso.pk, request.pk,
                                                         "acknowledge"]),
                reverse("governance:request_edit", args=[world.acme_contoso.pk, request.pk])):
        assert vera.post(url, {"committed_date": TODAY.isoformat()}).status_code == 403


def test_the_edit_dialog_refuses_who_may_not_edit(world, login):
    request = send(world)
    url = reverse("governance:request_edit", args=[world.acme_contoso.pk, request.pk])
    assert login(world.alice).get(url).status_code == 200
    bob = login(world.bob)  # the receiving party
    assert bob.get(url).status_code == 403
    assert bob.get(url, HTTP_HX_REQUEST="true").status_code == 403
    assert bob.post(url, {"title": "Mine", "kind": "document",
                          "description": "x"}).status_code == 403
    services.request_acknowledge(actor=world.bob, request=request, committed_date=TODAY)
    assert login(world.alice).get(url).status_code == 403  # committed: no longer edited
    assert login(world.alice).post(url, {"title": "Too late", "kind": "document",
                                         "description": "x"}).status_code == 403
    request.refresh_from_db()
    assert request.title == "Send the CoA of lot 7"


def test_list_filters_htmx_partial_and_bounded_queries(world, login,
                                                        django_assert_max_num_queries):
    for n in range(12):
        send(world, title=f"Ours {n}", urgency="urgent" if n % 2 else "normal")
        send(world, actor=world.bob, title=f"Theirs {n}")
    client = login(world.alice)
    url = reverse("governance:request_list", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url, {"direction": "received", "ordering": "-sent"}).content.decode()
    assert "Theirs 11" in page and "Ours 3" not in page
    partial = client.get(url, {"urgency": "urgent", "q": "Ours"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Ours 1" in partial and "Ours 2" not in partial
    empty = client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No request matches these filters" in empty
    with django_assert_max_num_queries(12):
        client.get(url, {"page": 2})


def test_urgency_sorts_by_severity_and_status_by_workflow(world, login):
    for title, urgency in (("Sort normal", "normal"), ("Sort emergency", "emergency"),
                           ("Sort urgent", "urgent")):
        send(world, title=title, urgency=urgency)
    queried, acknowledged, cancelled = (send(world, title=t) for t in (
        "Sort queried", "Sort acknowledged", "Sort cancelled"))
    services.request_query(actor=world.bob, request=queried, question="Which?")
    services.request_acknowledge(actor=world.bob, request=acknowledged, committed_date=TODAY)
    services.request_cancel(actor=world.alice, request=cancelled)
    url = reverse("governance:request_list", args=[world.acme_contoso.pk])
    client = login(world.alice)

    def order(ordering, among):
        page = client.get(url, {"q": "Sort", "ordering": ordering}).content.decode()
        listed = api(world.alice).get("/api/v1/requests/", {
            "partnership": world.acme_contoso.pk, "q": "Sort", "ordering": ordering}).json()
        in_api = [row["title"] for row in listed["results"] if row["title"] in among]
        in_page = sorted(among, key=page.index)
        assert in_page == in_api
        return in_page

    severity = ["Sort normal", "Sort urgent", "Sort emergency"]
    assert order("urgency", severity) == severity
    assert order("-urgency", severity) == severity[::-1]
    workflow = ["Sort normal", "Sort queried", "Sort acknowledged", "Sort cancelled"]
    assert order("status", workflow) == workflow
    assert order("-status", workflow) == workflow[::-1]


def test_foreign_request_is_404(world, login):
    request = send(world)
    assert login(world.carol).get(request.get_absolute_url()).status_code == 404
    url = reverse("governance:request_detail", args=[world.globex_contoso.pk, request.pk])
    assert login(world.carol).get(url).status_code == 404


# --- API -----------------------------------------------------------------------------------

def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_runs_the_workflow(world, django_assert_max_num_queries):
    created = api(world.alice).post("/api/v1/requests/", {
        "partnership": world.acme_contoso.pk, "title": "Quote for 2 more batches",
        "description": "Q3 2027.", "kind": "quote", "urgency": "normal"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["requested_by_party"] == "sponsor" and body["status"] == "sent"
    pk = body["id"]
    wrong = api(world.alice).post(f"/api/v1/requests/{pk}/acknowledge/",
                                  {"committed_date": TODAY.isoformat()}, format="json")
    assert wrong.status_code == 400
    missing = api(world.bob).post(f"/api/v1/requests/{pk}/acknowledge/", {}, format="json")
    assert missing.status_code == 400 and "committed_date" in missing.json()
    done = api(world.bob).post(f"/api/v1/requests/{pk}/acknowledge/",
                               {"committed_date": (TODAY + DAY).isoformat()}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    for user, step, data in ((world.bob, "start", {}),
                             (world.bob, "fulfil", {"fulfilment_note": "Quote sent."}),
                             (world.alice, "reopen", {"reason": "Missing the Q4 option"}),
                             (world.bob, "fulfil", {"fulfilment_note": "Both quotes."}),
                             (world.alice, "accept", {})):
        answer = api(user).post(f"/api/v1/requests/{pk}/{step}/", data, format="json")
        assert answer.status_code == 200, (step, answer.json())
    assert Request.objects.get(pk=pk).status == "accepted"
    assert api(world.carol).get(f"/api/v1/requests/{pk}/").status_code == 404
    assert api(world.carol).post(f"/api/v1/requests/{pk}/cancel/").status_code == 404
    assert api(world.vera).post("/api/v1/requests/", {
        "partnership": world.acme_contoso.pk, "title": "X", "description": "Y",
        "kind": "quote"}, format="json").status_code == 403
    for n in range(20):
        send(world, title=f"Bulk {n}")
    with django_assert_max_num_queries(8):
        listed = api(world.bob).get("/api/v1/requests/", {"status": "sent"})
    assert listed.status_code == 200


def test_api_declines(world):
    pk = send(world).pk
    url = f"/api/v1/requests/{pk}/decline/"
    assert api(world.carol).post(url, {"reason": "x"}, format="json").status_code == 404
    own = api(world.alice).post(url, {"reason": "Not needed"}, format="json")
    assert own.status_code == 400
    missing = api(world.bob).post(url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    done = api(world.bob).post(url, {"reason": "No capacity this quarter."}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "declined"
    assert done.json()["decline_reason"] == "No capacity this quarter."
    assert api(world.bob).post(url, {"reason": "Again"}, format="json").status_code == 400


def test_api_shows_an_over_budget_justification_to_the_receiving_party_only_in_scope(
        world, steering):
    world.acme_contoso.sponsor_emergency_budget = 0
    world.acme_contoso.save()
    request = send(world, urgency="emergency", emergency_justification="Audit on Monday.")
    assert api(world.bob).get(f"/api/v1/requests/{request.pk}/").json()[
        "emergency_justification"] == "Audit on Monday."
    for outsider in (world.dave, world.carol):  # other partnerships: no such request
        assert api(outsider).get(f"/api/v1/requests/{request.pk}/").status_code == 404
    assert api(steering["Cleo"]).get(f"/api/v1/requests/{request.pk}/").json()[
        "emergency_justification"] == "Audit on Monday."
    over = api(world.alice).post("/api/v1/requests/", {
        "partnership": world.acme_contoso.pk, "title": "Another", "description": "Y",
        "kind": "quote", "urgency": "emergency"}, format="json")
    assert over.status_code == 400 and "emergency_justification" in over.json()


def test_sponsor_relays_through_the_page_and_viewers_cannot(world, login):
    original = send(world, actor=world.bob, title="Which reference standard lot?")
    url = reverse("governance:request_relay", args=[world.acme_contoso.pk, original.pk])
    assert login(world.vera).post(url, {}).status_code == 403
    response = login(world.alice).post(url, {
        "target_partnership": world.acme_labcorp.pk, "title": "Reference standard lot used",
        "description": "Which lot did you qualify?", "kind": "information",
        "urgency": "normal"})
    relay = Request.objects.get(title="Reference standard lot used")
    assert response.status_code == 302 and response["Location"] == relay.get_absolute_url()
    assert relay.partnership == world.acme_labcorp and relay.relayed_from == original
    foreign = login(world.alice).post(url, {
        "target_partnership": world.globex_contoso.pk, "title": "Leak", "description": "x",
        "kind": "information", "urgency": "normal"})
    assert foreign.status_code == 200 and "target_partnership" in foreign.context["form"].errors
    assert not Request.objects.filter(title="Leak").exists()


def test_edit_dialog_links_milestones_and_keeps_urgency(world, login):
    request = send(world, urgency="urgent")
    milestone = Milestone.objects.filter(partnership=world.acme_contoso).first()
    url = reverse("governance:request_edit", args=[world.acme_contoso.pk, request.pk])
    client = login(world.alice)
    dialog = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in dialog and 'name="milestones"' in dialog and 'name="urgency"' \
        not in dialog
    response = client.post(url, {"title": "Send the CoA of lot 8", "kind": "document",
                                 "description": "Lot 8.", "milestones": [milestone.pk],
                                 "urgency": "emergency"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.title == "Send the CoA of lot 8" and request.urgency == "urgent"
    assert list(request.milestones.all()) == [milestone]
    foreign = Milestone.objects.filter(partnership=world.globex_contoso).first()
    refused = client.post(url, {"title": "X", "kind": "document", "description": "Y",
                                "milestones": [foreign.pk]})
    assert refused.status_code == 200 and "milestones" in refused.context["form"].errors


def test_steering_reads_but_does_not_write(world, login, steering):
    request = send(world, actor=world.bob)
    stan = login(steering["Stan"])
    page = stan.get(request.get_absolute_url()).content.decode()
    assert ">Acknowledge request</a>" not in page and "New request" not in stan.get(reverse(
        "governance:request_list", args=[world.acme_contoso.pk])).content.decode()
    step = reverse("governance:request_step", args=[world.acme_contoso.pk, request.pk,
                                                    "acknowledge"])
    assert stan.post(step, {"committed_date": TODAY.isoformat()}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.request_acknowledge(actor=steering["Stan"], request=request,
                                     committed_date=TODAY)


def test_detail_page_uses_bounded_queries(world, login, django_assert_max_num_queries):
    request = send(world)
    for n in range(3):
        request = services.request_query(actor=world.bob, request=request, question=f"Q{n}")
        request = services.request_answer(actor=world.alice, request=request, answer=f"A{n}")
    client = login(world.alice)
    client.get(request.get_absolute_url())
    with django_assert_max_num_queries(16):
        page = client.get(request.get_absolute_url()).content.decode()
    assert page.count("Queried") == 3


def test_every_step_of_the_workflow_has_a_name_for_the_history():
    """The History names a request's steps (RequestStep.Step), never by their codes."""
    from governance.models import RequestStep

    assert set(RequestStep.Step.values) == {"send", *Request.STEPS}


def test_the_number_people_quote_is_on_the_list_the_page_my_work_and_the_api(world, login):
    request = send(world, title="Batch record of lot 2290")
    quoted = f"REQ-{request.number:04d}"
    client = login(world.bob)
    list_url = reverse("governance:request_list", args=[world.acme_contoso.pk])
    assert quoted in client.get(list_url).content.decode()
    assert f"{quoted}</span> Batch record of lot 2290" in client.get(
        request.get_absolute_url()).content.decode()
    assert f"{quoted} · Batch record of lot 2290" in client.get(
        reverse("governance:my_work")).content.decode()
    body = api(world.bob).get(f"/api/v1/requests/{request.pk}/").json()
    assert body["number"] == request.number and body["reference"] == quoted
    api(world.alice).patch(f"/api/v1/requests/{request.pk}/", {"number": 999}, format="json")
    request.refresh_from_db()
    assert request.reference == quoted  # read-only: the API cannot renumber it


def test_requests_sent_at_once_take_distinct_numbers(world_committed):
    """The partnership row lock of request_send numbers them one after the other: without it
    both read the same highest number and the second fails the unique constraint."""
    world = world_committed
    start = threading.Barrier(3)
    outcomes = []

    def send_one(n):
        try:
            start.wait(timeout=10)
            outcomes.append(send(world, title=f"Numbered race {n}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send_one, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    numbers = sorted(request.number for request in outcomes)
    assert len(numbers) == 3 and numbers == list(range(numbers[0], numbers[0] + 3))


def test_a_request_is_named_with_its_number_wherever_it_is_shown(world):
    """REQ-0042 · title: in the notification the receiver gets and in recent activity."""
    from governance.overview.selectors import recent_activity

    request = send(world, title="Stopper supplier")
    named = f"REQ-{request.number:04d} · Stopper supplier"
    assert str(request) == named
    assert Notification.objects.get(kind="request_received", record_id=request.pk,
                                    recipient=world.bob).title == f"New normal request: {named}"
    assert {"kind": "Request", "label": named} in [
        {"kind": row["kind"], "label": row["label"]}
        for row in recent_activity(user=world.bob, partnership=world.acme_contoso)]
    assert str(Request(title="Not sent yet")) == "Not sent yet"


def test_recent_activity_names_a_five_digit_request_by_its_whole_number(world):
    """REQ-12345, not REQ-1234 (PostgreSQL's LPAD cuts a longer text to its length): the
    activity's label quotes the number Request.__str__ does, never another request's."""
    from governance.overview.selectors import recent_activity

    request = send(world, title="Stopper supplier")
    Request.objects.filter(pk=request.pk).update(number=12345)
    labels = [row["label"] for row in recent_activity(user=world.bob,
                                                      partnership=world.acme_contoso)
              if row["kind"] == "Request"]
    assert "REQ-12345 · Stopper supplier" in labels
    assert "REQ-1234 · Stopper supplier" not in labels
