"""Formal requests as the work really goes: an emergency's own, shorter time to acknowledge
(agreed per partnership, used wherever lateness is read), and a change the CDMO asks for,
which the sponsor decides and the CDMO carries out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.models import Request
from governance.requests import selectors, services
from governance.requests.tasks import notify_late_requests
from metrics.portfolio.health import quarters_back, responsiveness
from partnership.notifications.models import Notification
from partnership.parties import services as partnership_services

HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)
TODAY = timezone.localdate()


@pytest.fixture
def world(saved_world):
    return saved_world


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def send(world, actor=None, **fields):
    fields = {"title": "Release testing slot for lot 5", "description": "QP waits on it.",
              "kind": "testing", **fields}
    return services.request_send(actor=actor or world.alice, partnership=world.acme_contoso,
                                 **fields)


def settings_url(world) -> str:
    return reverse("partnership:partnership_settings", args=[world.acme_contoso.pk])


# --- An emergency's own time to acknowledge ------------------------------------------------

def test_an_emergency_is_due_within_its_own_shorter_window(world):
    normal, emergency = send(world, title="Normal"), send(world, urgency="emergency")
    assert normal.acknowledge_by - normal.sent_at == 48 * HOUR
    assert emergency.acknowledge_by - emergency.sent_at == 4 * HOUR  # the default
    inside, after = emergency.sent_at + 3 * HOUR, emergency.sent_at + 5 * HOUR
    both = Request.objects.filter(pk__in=[normal.pk, emergency.pk])
    assert not both.late(inside) and not emergency.is_acknowledgement_late(inside)
    assert list(both.late(after)) == [emergency] and emergency.is_acknowledgement_late(after)
    assert not normal.is_acknowledgement_late(after)


def test_answering_a_query_gives_an_emergency_its_own_window_again(world):
    emergency = send(world, urgency="emergency")
    services.request_query(actor=world.bob, request=emergency, question="Which lot?")
    before = timezone.now()
    answered = services.request_answer(actor=world.alice, request=emergency, answer="Lot 5.")
    assert before + 4 * HOUR <= answered.acknowledge_by <= timezone.now() + 4 * HOUR


def test_the_late_job_and_the_pages_read_the_emergency_window(world, login):
    notify_late_requests()  # the world's own old requests
    emergency = send(world, urgency="emergency")
    normal = send(world, title="Normal one")
    Request.objects.filter(pk__in=[emergency.pk, normal.pk]).update(
        sent_at=timezone.now() - 5 * HOUR, acknowledge_by=timezone.now() - HOUR)
    Request.objects.filter(pk=normal.pk).update(acknowledge_by=timezone.now() + 43 * HOUR)
    assert notify_late_requests() == 1
    assert Notification.objects.filter(kind="request_late",
                                       url=emergency.get_absolute_url()).exists()
    page = login(world.bob).get(emergency.get_absolute_url()).content.decode()
    assert ">Late</span>" in page and "an emergency's own, shorter time" in page
    body = api(world.bob).get(f"/api/v1/requests/{emergency.pk}/").json()
    assert body["is_acknowledgement_late"] is True
    assert api(world.bob).get(f"/api/v1/requests/{normal.pk}/").json()[
        "is_acknowledgement_late"] is False
    listing = login(world.bob).get(reverse("governance:request_list",
                                           args=[world.acme_contoso.pk])).content.decode()
    assert "48 hours, an emergency within 4" in listing


def test_acknowledgement_in_time_counts_an_emergency_against_its_own_window(world):
    """The relationship page's share acknowledged in time: an emergency acknowledged after
    three hours is in time; one acknowledged after five hours, late."""
    now = timezone.now()
    for hours in (3, 5):
        request = send(world, urgency="emergency", title=f"After {hours} hours")
        services.request_acknowledge(actor=world.bob, request=request, committed_date=TODAY)
        Request.objects.filter(pk=request.pk).update(
            sent_at=now - 6 * HOUR, acknowledge_by=now - 2 * HOUR,
            acknowledged_at=now - 6 * HOUR + hours * HOUR)
    Request.objects.filter(partnership=world.acme_contoso).exclude(
        title__startswith="After").update(sent_at=now - 800 * DAY)
    [current, *_] = responsiveness(user=world.alice, partnership=world.acme_contoso,
                                   quarters=quarters_back(1))["cdmo"]
    assert (current.received, current.due, current.in_time) == (2, 2, 1)


def test_leads_agree_the_emergency_window_beside_the_normal_one(world, login):
    client = login(world.alice)
    assert "Hours to acknowledge an emergency" in client.get(settings_url(world)).content.decode()
    response = client.post(settings_url(world), {
        "negotiation_round_threshold": 4, "negotiation_turnaround_threshold": 10,
        "acknowledgement_hours": 24, "emergency_acknowledgement_hours": 2})
    assert response.status_code == 302
    world.acme_contoso.refresh_from_db()
    assert world.acme_contoso.emergency_acknowledgement_hours == 2
    assert any("Hours to acknowledge an emergency: 4 → 2" in body for body in
               Notification.objects.filter(kind="partnership_settings").values_list(
                   "body", flat=True))
    emergency = send(world, urgency="emergency")
    assert emergency.acknowledge_by - emergency.sent_at == 2 * HOUR
    answer = api(world.bob).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                  {"emergency_acknowledgement_hours": 6}, format="json")
    assert answer.status_code in (400, 403)  # a member, not a lead
    answer = api(world.alice).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                    {"emergency_acknowledgement_hours": 6}, format="json")
    assert answer.status_code == 200 and answer.json()["emergency_acknowledgement_hours"] == 6


@pytest.mark.parametrize("fields", [
    {"emergency_acknowledgement_hours": 0}, {"emergency_acknowledgement_hours": -3},
    {"emergency_acknowledgement_hours": 49},
    {"acknowledgement_hours": 3},  # the normal window shorter than the emergency's 4
    {"acknowledgement_hours": 12, "emergency_acknowledgement_hours": 13}])
def test_an_emergency_window_is_positive_and_no_longer_than_the_normal_one(world, login,
                                                                           fields):
    thresholds = {"negotiation_round_threshold": 4, "negotiation_turnaround_threshold": 10}
    page = login(world.alice).post(settings_url(world), {**thresholds, **fields})
    assert page.status_code == 200
    assert "emergency_acknowledgement_hours" in page.context["form"].errors
    answer = api(world.alice).patch(f"/api/v1/partnerships/{world.acme_contoso.pk}/",
                                    fields, format="json")
    assert answer.status_code == 400 and "emergency_acknowledgement_hours" in answer.json()
    with pytest.raises(ValidationError):
        partnership_services.partnership_thresholds_set(
            actor=world.alice, partnership=world.acme_contoso, **fields)
    world.acme_contoso.refresh_from_db()
    assert (world.acme_contoso.acknowledgement_hours,
            world.acme_contoso.emergency_acknowledgement_hours) == (48, 4)


# --- A change the CDMO asks for ------------------------------------------------------------

def cdmo_change(world) -> Request:
    return send(world, actor=world.bob, kind="change", title="Change the buffer supplier",
                description="The current supplier exits the grade in March.")


def steps_shown(login, user, request) -> dict:
    page = login(user).get(request.get_absolute_url())
    return page.context["steps"]


def test_a_cdmo_change_is_decided_by_the_sponsor_and_carried_out_by_the_cdmo(world, login):
    change = cdmo_change(world)
    assert change.carrying_party == "cdmo" and change.receiving_party == "sponsor"
    assert set(steps_shown(login, world.alice, change)) == {"acknowledge", "query", "decline"}
    assert set(steps_shown(login, world.bob, change)) == {"cancel"}
    with pytest.raises(ValidationError, match="receiving party"):
        services.request_acknowledge(actor=world.bob, request=change, committed_date=TODAY)
    change = services.request_acknowledge(actor=world.alice, request=change,
                                          committed_date=TODAY + 30 * DAY)
    # The CDMO carries it out; the sponsor, having decided, does not.
    assert "start" not in steps_shown(login, world.alice, change)
    assert {"start", "fulfil"} <= set(steps_shown(login, world.bob, change))
    with pytest.raises(ValidationError, match="party that sent it"):
        services.request_start(actor=world.alice, request=change)
    change = services.request_start(actor=world.bob, request=change)
    change = services.request_fulfil(actor=world.bob, request=change,
                                     fulfilment_note="New supplier qualified; SOP updated.")
    # The sponsor accepts the change made (or reopens it); the CDMO does not accept its own.
    assert set(steps_shown(login, world.alice, change)) == {"accept", "reopen"}
    assert set(steps_shown(login, world.bob, change)) == set()
    with pytest.raises(ValidationError, match="receiving party"):
        services.request_accept(actor=world.bob, request=change)
    change = services.request_accept(actor=world.alice, request=change)
    assert change.status == "accepted"
    assert list(change.steps.values_list("step", "actor__first_name")) == [
        ("send", "Bob"), ("acknowledge", "Alice"), ("start", "Bob"), ("fulfil", "Bob"),
        ("accept", "Alice")]
    page = login(world.alice).get(change.get_absolute_url()).content.decode()
    assert 'id="change-roles"' in page and "carries it out" in page


def test_a_cdmo_change_through_the_api_from_both_parties(world):
    change = cdmo_change(world)
    url = f"/api/v1/requests/{change.pk}"
    assert api(world.alice).get(f"{url}/").json()["carried_out_by"] == "cdmo"
    assert api(world.bob).post(f"{url}/acknowledge/", {"committed_date": str(TODAY)},
                               format="json").status_code == 400
    assert api(world.alice).post(f"{url}/acknowledge/", {"committed_date": str(TODAY)},
                                 format="json").status_code == 200
    assert api(world.alice).post(f"{url}/start/").status_code == 400
    assert api(world.bob).post(f"{url}/start/").status_code == 200
    assert api(world.alice).post(f"{url}/fulfil/", {"fulfilment_note": "Done"},
                                 format="json").status_code == 400
    assert api(world.bob).post(f"{url}/fulfil/", {"fulfilment_note": "Done"},
                               format="json").status_code == 200
    assert api(world.bob).post(f"{url}/accept/").status_code == 400
    assert api(world.alice).post(f"{url}/reopen/", {"reason": "SOP not attached"},
                                 format="json").status_code == 200
    assert api(world.alice).post(f"{url}/fulfil/", {"fulfilment_note": "Again"},
                                 format="json").status_code == 400
    assert api(world.bob).post(f"{url}/fulfil/", {"fulfilment_note": "SOP attached"},
                               format="json").status_code == 200
    answer = api(world.alice).post(f"{url}/accept/")
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"


def test_other_requests_keep_the_receiver_doing_the_work(world):
    """A change the sponsor asks for, and any other request the CDMO sends, are carried
    out by the party that receives them."""
    sponsor_change = send(world, kind="change", title="Move to the larger bioreactor")
    cdmo_document = send(world, actor=world.bob, kind="document", title="Signed QTA")
    assert sponsor_change.carrying_party == "cdmo" and not sponsor_change.sender_carries_out
    assert cdmo_document.carrying_party == "sponsor"
    services.request_acknowledge(actor=world.bob, request=sponsor_change, committed_date=TODAY)
    with pytest.raises(ValidationError):
        services.request_start(actor=world.alice, request=sponsor_change)
    services.request_start(actor=world.bob, request=sponsor_change)
    services.request_acknowledge(actor=world.alice, request=cdmo_document,
                                 committed_date=TODAY)
    with pytest.raises(ValidationError):
        services.request_start(actor=world.bob, request=cdmo_document)


def test_awaiting_me_follows_who_carries_a_cdmo_change_out(world):
    change = cdmo_change(world)
    services.request_acknowledge(actor=world.alice, request=change, committed_date=TODAY)
    mine = Request.objects.filter(pk=change.pk)
    assert selectors.requests_awaiting(mine, user=world.bob).exists()  # to carry out
    assert not selectors.requests_awaiting(mine, user=world.alice).exists()
    services.request_fulfil(actor=world.bob, request=change, fulfilment_note="Done")
    assert selectors.requests_awaiting(mine, user=world.alice).exists()  # to accept
    assert not selectors.requests_awaiting(mine, user=world.bob).exists()
