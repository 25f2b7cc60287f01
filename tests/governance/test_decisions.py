"""The decision log: what, why, by whom, in which meeting, and the actions that follow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance.meetings.services import decision_create
from governance.models import ActionItem, Decision, Meeting
from partnership.notifications.models import Notification


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

DAY = datetime.date(2026, 3, 2)


def own_meeting(world):
    return Meeting.objects.get(partnership=world.acme_contoso)


def test_record_a_decision_in_a_meeting_and_add_its_action(world, login):
    meeting = own_meeting(world)
    client = login(world.bob)
    url = reverse("governance:decision_create", args=[world.acme_contoso.pk])
    dialog = client.get(url, {"meeting": meeting.pk}, HTTP_HX_REQUEST="true")
    assert dialog.context["form"].initial["meeting"] == meeting.pk
    assert "<html" not in dialog.content.decode()  # the dialog partial only
    response = client.post(url, {"title": "Move PPQ to Q2", "rationale": "Resin supply.",
                                 "decided_on": DAY.isoformat(), "meeting": meeting.pk,
                                 "decided_by": [world.alice.pk, world.bob.pk]})
    assert response.status_code == 302
    decision = Decision.objects.get(title="Move PPQ to Q2")
    assert decision.author_organization == world.contoso and decision.meeting == meeting
    assert set(decision.decided_by.all()) == {world.alice, world.bob}
    assert Notification.objects.filter(recipient=world.alice,
                                       kind="decision_recorded").exists()
    assert "Move PPQ to Q2" in client.get(meeting.get_absolute_url()).content.decode()
    # "Add an action" from the decision presets the source.
    create = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    assert client.get(create, {"decision": decision.pk}).context["form"].initial[
        "decision"] == decision.pk
    client.post(create, {"title": "Reserve Q2 slot", "owner": world.bob.pk,
                         "due_date": "2099-03-20", "priority": "high",
                         "decision": decision.pk})
    item = ActionItem.objects.get(title="Reserve Q2 slot")
    assert item.decision == decision
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Reserve Q2 slot" in page and "Resin supply." in page
    assert decision.get_absolute_url() in client.get(item.get_absolute_url()).content.decode()


def test_decided_by_and_meeting_stay_inside_the_partnership(world):
    foreign_meeting = Meeting.objects.get(partnership=world.globex_contoso)
    base = {"title": "X", "rationale": "Y", "decided_on": DAY}
    with pytest.raises(ValidationError) as error:
        decision_create(actor=world.alice, partnership=world.acme_contoso,
                        decided_by=[world.dave], **base)
    assert "decided_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        decision_create(actor=world.alice, partnership=world.acme_contoso,
                        decided_by=[world.alice], meeting=foreign_meeting, **base)
    assert "meeting" in error.value.message_dict
    with pytest.raises(ValidationError):
        decision_create(actor=world.alice, partnership=world.acme_contoso,
                        decided_by=[], **base)
    assert not Decision.objects.filter(title="X").exists()


def test_a_foreign_meeting_cannot_be_chosen_in_the_form(world, login):
    foreign_meeting = Meeting.objects.get(partnership=world.globex_contoso)
    url = reverse("governance:decision_create", args=[world.acme_contoso.pk])
    response = login(world.bob).post(url, {"title": "X", "rationale": "Y",
                                           "decided_on": DAY.isoformat(),
                                           "meeting": foreign_meeting.pk,
                                           "decided_by": [world.bob.pk]})
    assert response.status_code == 200 and "meeting" in response.context["form"].errors
    assert "Globex" not in response.content.decode()


def test_edit_and_viewer_rights(world, login):
    decision = Decision.objects.get(partnership=world.acme_contoso)
    url = reverse("governance:decision_edit", args=[world.acme_contoso.pk, decision.pk])
    response = login(world.alice).post(url, {"title": "Renamed", "rationale": "Better",
                                             "decided_on": DAY.isoformat(),
                                             "decided_by": [world.alice.pk, world.bob.pk],
                                             "reason": "Renamed at the steering committee"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.title == "Renamed" and decision.meeting is None
    assert decision.decided_by.count() == 2
    vera = login(world.vera)
    assert vera.get(decision.get_absolute_url()).status_code == 200
    assert vera.post(url, {}).status_code == 403
    assert vera.post(reverse("governance:decision_create", args=[world.acme_contoso.pk]),
                     {}).status_code == 403


def test_log_filters_sorts_pages_and_uses_bounded_queries(world, login,
                                                         django_assert_max_num_queries):
    meeting = own_meeting(world)
    for n in range(30):
        decision_create(actor=world.alice, partnership=world.acme_contoso,
                        title=f"Decision {n:02}", rationale="Because",
                        decided_on=DAY + datetime.timedelta(days=n),
                        decided_by=[world.alice, world.bob],
                        meeting=meeting if n % 2 else None)
    client = login(world.bob)
    url = reverse("governance:decision_list", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(11):
        page = client.get(url, {"ordering": "title"}).content.decode()
    assert page.index("Decision 00") < page.index("Decision 01") and "Page 1 of 2" in page
    partial = client.get(url, {"where": "meeting", "decided_after": "2026-03-28"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Decision 27" in partial and "Decision 26" not in partial
    assert "Decision 29" in partial and "Decision 25" not in partial
    assert "No decision matches" in client.get(url, {"q": "zzz"}).content.decode()


def test_api_logs_decisions(world):
    client = APIClient()
    client.force_authenticate(world.bob)
    meeting = own_meeting(world)
    created = client.post("/api/v1/decisions/", {
        "partnership": world.acme_contoso.pk, "title": "Use resin B", "rationale": "Supply",
        "decided_on": DAY.isoformat(), "decided_by": [world.bob.pk], "meeting": meeting.pk},
        format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    patched = client.patch(f"/api/v1/decisions/{pk}/", {"title": "Use resin C",
                                                        "reason": "Resin B withdrawn"},
                           format="json")
    assert patched.status_code == 200 and patched.json()["decided_by"] == [world.bob.pk]
    foreign = Meeting.objects.get(partnership=world.globex_contoso)
    bad = client.post("/api/v1/decisions/", {
        "partnership": world.acme_contoso.pk, "title": "X", "rationale": "Y",
        "decided_on": DAY.isoformat(), "decided_by": [world.bob.pk], "meeting": foreign.pk},
        format="json")
    assert bad.status_code == 400 and "meeting" in bad.json()
    action = client.post("/api/v1/action-items/", {
        "partnership": world.acme_contoso.pk, "title": "Order resin C", "owner": world.bob.pk,
        "due_date": "2099-03-30", "decision": pk}, format="json")
    assert action.status_code == 201 and action.json()["decision"] == pk
    foreign_source = client.post("/api/v1/action-items/", {
        "partnership": world.acme_contoso.pk, "title": "X", "owner": world.bob.pk,
        "due_date": "2099-03-30", "meeting": foreign.pk}, format="json")
    assert foreign_source.status_code == 400 and "meeting" in foreign_source.json()
