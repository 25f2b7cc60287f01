"""Action items: owners from either party, lifecycle, overdue, My work across partnerships."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.actions.services import (
    action_item_create,
    action_item_transition,
    action_item_update,
)
from governance.models import ActionItem, Meeting
from tests.clock import today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def test_create_assign_to_the_other_party_and_close(world, login):
    client = login(world.alice)
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    response = client.post(url, {"title": "Send the batch records", "owner": world.bob.pk,
                                 "due_date": (today() + 3 * DAY).isoformat(),
                                 "priority": "high"})
    assert response.status_code == 302
    item = ActionItem.objects.get(title="Send the batch records")
    assert item.owning_party == "cdmo" and item.author_organization == world.acme
    bob = login(world.bob)
    transition = reverse("governance:actionitem_transition",
                         args=[world.acme_contoso.pk, item.pk])
    bob.post(transition, {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at is not None
    bob.post(transition, {"status": "in_progress"})  # done → in progress is not allowed
    item.refresh_from_db()
    assert item.status == "done"


def test_owner_must_hold_a_seat(world, login):
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    response = login(world.alice).post(url, {"title": "X", "owner": world.dave.pk,
                                             "due_date": today().isoformat(),
                                             "priority": "low"})
    assert "owner" in response.context["form"].errors
    assert not ActionItem.objects.filter(title="X").exists()


def test_my_work_gathers_what_i_owe_across_partnerships(world, login):
    for partnership, title, due in ((world.acme_contoso, "Overdue thing", today() - 2 * DAY),
                                    (world.acme_labcorp, "This week thing", today() + 2 * DAY),
                                    (world.acme_labcorp, "Later thing", today() + 30 * DAY)):
        action_item_create(actor=world.alice, partnership=partnership, title=title,
                           owner=world.alice, due_date=due)
    done = action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Closed thing", owner=world.alice,
                              due_date=today() - DAY)
    action_item_transition(actor=world.alice, item=done, status="done")
    page = login(world.alice).get(reverse("governance:my_work")).content.decode()
    # One table, the earliest due first, the overdue one marked.
    assert page.index("Overdue thing") < page.index("This week thing") < \
        page.index("Later thing")
    assert "2\xa0days overdue" in page
    assert "Closed thing" not in page
    assert "Overdue thing" not in login(world.bob).get(reverse("governance:my_work")
                                                       ).content.decode()


def test_list_filters_overdue_and_uses_bounded_queries(world, login,
                                                        django_assert_max_num_queries):
    for n in range(30):
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           title=f"Item {n}", owner=world.bob,
                           due_date=today() + (n - 5) * DAY)
    client = login(world.bob)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(11):  # 11th: the "From meeting" choices
        page = client.get(url, {"overdue": "true"}).content.decode()
    assert "Item 0" in page and "Item 29" not in page


def test_api_runs_an_action_item(world):
    client = APIClient()
    client.force_authenticate(world.bob)
    created = client.post("/api/v1/action-items/", {
        "partnership": world.acme_contoso.pk, "title": "Confirm slot",
        "owner": world.bob.pk, "due_date": today().isoformat()}, format="json")
    assert created.status_code == 201 and created.json()["owning_party"] == "cdmo"
    pk = created.json()["id"]
    moved = client.post(f"/api/v1/action-items/{pk}/transition/", {"status": "in_progress"},
                        format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    bad = client.post(f"/api/v1/action-items/{pk}/transition/", {"status": "nonsense"},
                      format="json")
    assert bad.status_code == 400


@pytest.mark.parametrize("role_user", ["vera"])
def test_viewers_cannot_create(world, login, role_user):
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    assert login(getattr(world, role_user)).post(url, {"title": "Y"}).status_code == 403


def test_owner_must_be_able_to_act_on_it(world, login):
    """Vera only reads: she could never start or close an action of hers, so she cannot own
    one — not offered in the form, refused by the service and by the API."""
    url = reverse("governance:actionitem_create", args=[world.acme_contoso.pk])
    client = login(world.alice)
    owners = client.get(url).context["form"].fields["owner"].queryset
    assert world.bob in owners and world.vera not in owners
    response = client.post(url, {"title": "For Vera", "owner": world.vera.pk,
                                 "due_date": today().isoformat(), "priority": "low"})
    assert "owner" in response.context["form"].errors
    with pytest.raises(ValidationError) as error:
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           title="For Vera", owner=world.vera, due_date=today())
    assert "lead, member or QA lead" in str(error.value.message_dict["owner"])
    api = APIClient()
    api.force_authenticate(world.alice)
    refused = api.post("/api/v1/action-items/", {
        "partnership": world.acme_contoso.pk, "title": "For Vera", "owner": world.vera.pk,
        "due_date": today().isoformat()}, format="json")
    assert refused.status_code == 400 and "owner" in refused.json()
    assert not ActionItem.objects.filter(title="For Vera").exists()


def test_an_internal_action_is_owned_by_the_authoring_organization(world):
    """Bob (Contoso) cannot see an action internal to Acme, so he cannot be its owner."""
    with pytest.raises(ValidationError) as error:
        action_item_create(actor=world.alice, partnership=world.acme_contoso,
                           title="Acme only", owner=world.bob, due_date=today(),
                           is_internal=True)
    assert "own organization" in str(error.value.message_dict["owner"])
    item = action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Acme only", owner=world.alice, due_date=today(),
                              is_internal=True)
    with pytest.raises(ValidationError):
        action_item_update(actor=world.alice, item=item, owner=world.bob)
    item.refresh_from_db()
    assert item.owner == world.alice


def test_only_its_author_sees_the_internal_box_and_a_forged_one_changes_nothing(world,
                                                                                login):
    """The other party's edit form has no 'internal' box; one posted anyway is ignored (and
    the service would refuse it: tests/partnership/test_internal.py)."""
    item = action_item_create(actor=world.alice, partnership=world.acme_contoso,
                              title="Shared", owner=world.alice, due_date=today())
    url = reverse("governance:actionitem_edit", args=[world.acme_contoso.pk, item.pk])
    assert 'name="is_internal"' in login(world.alice).get(url).content.decode()
    assert 'name="is_internal"' not in login(world.bob).get(url).content.decode()
    response = login(world.bob).post(url, {"title": "Shared", "owner": world.alice.pk,
                                           "due_date": today().isoformat(), "priority": "low",
                                           "is_internal": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_internal


def test_the_meeting_filter_never_betrays_the_other_partys_internal_actions(world, login):
    """Acme's internal action on a shared meeting: Bob's filter must not offer the meeting
    for it (choosing it would list nothing, but its presence says the action exists)."""
    meeting = Meeting.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme,
        title="Shared meeting", kind="weekly_check_in", status="held",
        starts_at=timezone.now() - datetime.timedelta(days=3))
    ActionItem.objects.create(partnership=world.acme_contoso, title="Acme's own follow-up",
                              author_organization=world.acme, is_internal=True,
                              owner=world.alice, due_date=today(), meeting=meeting)
    url = reverse("governance:actionitem_list", args=[world.acme_contoso.pk])
    assert "Shared meeting" in login(world.alice).get(url).content.decode()
    assert "Shared meeting" not in login(world.bob).get(url).content.decode()
