"""Minutes with as many actions as the meeting decided, each with its priority: the page's
rows (a template row for "add another"), the API's list, and the bound on both."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.meetings.services import MINUTES_ACTIONS_MAX, meeting_create
from governance.models import ActionItem


@pytest.fixture
def world(saved_world):
    return saved_world


def held_meeting(world):
    return meeting_create(actor=world.alice, partnership=world.acme_contoso,
                          title="Stability review", kind="weekly_check_in",
                          starts_at=timezone.now() - datetime.timedelta(hours=2),
                          attendees=[world.alice, world.bob])


def due() -> str:
    return (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


def rows(world, count: int, priorities=("high", "low", "medium", "")) -> dict:
    data = {"actions-TOTAL_FORMS": str(count), "actions-INITIAL_FORMS": "0"}
    for n in range(count):
        data |= {f"actions-{n}-title": f"Action {n}", f"actions-{n}-owner": world.bob.pk,
                 f"actions-{n}-due_date": due(),
                 f"actions-{n}-priority": priorities[n % len(priorities)]}
    return data


def test_the_page_offers_a_template_row_and_a_priority_per_row(world, login):
    meeting = held_meeting(world)
    page = login(world.alice).get(meeting.get_absolute_url()).content.decode()
    assert '<template id="actions-empty-row">' in page
    template = page[page.index('<template id="actions-empty-row">'):]
    template = template[:template.index("</template>")]
    assert 'name="actions-__prefix__-priority"' in template and "Action __num__ title" in template
    assert 'name="actions-2-priority"' in page and 'data-formset-add="actions"' in page
    assert f'name="actions-MAX_NUM_FORMS" value="{MINUTES_ACTIONS_MAX}"' in page


def test_minutes_record_as_many_rows_as_were_added_with_their_priority(world, login):
    meeting = held_meeting(world)
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    response = login(world.alice).post(url, {"minutes": "Plan agreed.", **rows(world, 7)})
    assert response.status_code == 302
    actions = {a.title: a.priority for a in ActionItem.objects.filter(meeting=meeting)}
    assert actions == {"Action 0": "high", "Action 1": "low", "Action 2": "medium",
                       "Action 3": "medium", "Action 4": "high", "Action 5": "low",
                       "Action 6": "medium"}  # a row without a priority is medium


def test_an_unknown_priority_is_a_field_error_and_nothing_is_saved(world, login):
    meeting = held_meeting(world)
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    data = {"minutes": "Plan agreed.", **rows(world, 2)}
    data["actions-1-priority"] = "urgentest"
    response = login(world.alice).post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_actions-1-priority"' in page and "data-error-summary" in page
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not ActionItem.objects.filter(meeting=meeting).exists()


def test_more_rows_than_the_limit_are_refused(world, login):
    meeting = held_meeting(world)
    url = reverse("governance:meeting_minutes", args=[world.acme_contoso.pk, meeting.pk])
    response = login(world.alice).post(
        url, {"minutes": "Plan agreed.", **rows(world, MINUTES_ACTIONS_MAX + 1)})
    assert response.status_code == 400
    assert not ActionItem.objects.filter(meeting=meeting).exists()


def test_the_api_takes_a_list_of_actions_with_priority(world):
    meeting = held_meeting(world)
    client = APIClient()
    client.force_authenticate(world.alice)
    url = f"/api/v1/meetings/{meeting.pk}/minutes/"
    actions = [{"title": f"API action {n}", "owner": world.bob.pk, "due_date": due(),
                "priority": "high"} for n in range(4)] + [
        {"title": "No priority given", "owner": world.bob.pk, "due_date": due()}]
    response = client.post(url, {"minutes": "Plan agreed.", "actions": actions},
                           format="json")
    assert response.status_code == 200, response.content
    saved = dict(ActionItem.objects.filter(meeting=meeting).values_list("title", "priority"))
    assert saved == {**{f"API action {n}": "high" for n in range(4)},
                     "No priority given": "medium"}


def test_the_api_refuses_a_bad_priority_and_too_many_actions(world):
    meeting = held_meeting(world)
    client = APIClient()
    client.force_authenticate(world.alice)
    url = f"/api/v1/meetings/{meeting.pk}/minutes/"
    one = {"title": "A", "owner": world.bob.pk, "due_date": due(), "priority": "now!"}
    response = client.post(url, {"minutes": "x", "actions": [one]}, format="json")
    assert response.status_code == 400 and "priority" in str(response.json()["actions"])
    many = [{**one, "priority": "low"}] * (MINUTES_ACTIONS_MAX + 1)
    response = client.post(url, {"minutes": "x", "actions": many}, format="json")
    assert response.status_code == 400 and "actions" in response.json()
    assert not ActionItem.objects.filter(meeting=meeting).exists()
