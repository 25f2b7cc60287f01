"""Free text has a bound everywhere (model, form, API) and dates that must lie ahead do: a
due date, a needed-by or committed date, a minutes action's date in the past is refused
with a field error in the form and the API, for either party; an action entered after the
fact goes through once "This records the past" is ticked."""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from governance.actions.services import action_item_create
from governance.meetings.services import meeting_create
from governance.models import ActionItem, Meeting, Request
from governance.requests.services import request_send
from portal import validation
from portal.validation import TEXT_MAX_LENGTH

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LONG = "x" * (TEXT_MAX_LENGTH + 1)


@pytest.fixture
def world(saved_world):
    return saved_world


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Every text field has a bound ------------------------------------------------------

def _project(cls) -> bool:
    return cls.__module__.split(".")[0] in {"portal", *settings.LOCKSTEP_APPS}


def _subclasses(base):
    todo, found = [base], []
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            found.append(subclass)
    return [cls for cls in found if _project(cls)]


def _bounded(field) -> bool:
    return getattr(field, "max_length", None) is not None or any(
        isinstance(validator, MaxLengthValidator) for validator in field.validators)


def test_every_model_text_field_has_a_bound():
    texts = [field for model in apps.get_models() if _project(model)
             for field in model._meta.local_fields
             if isinstance(field, models.TextField | models.CharField)]
    assert len(texts) > 100
    assert [f"{field.model.__name__}.{field.name}" for field in texts
            if not _bounded(field)] == []


def test_every_form_and_serializer_text_field_has_a_bound(world):
    assert get_resolver().url_patterns  # every door, and so every form and serializer, imported
    forms_seen = _subclasses(forms.BaseForm)
    assert len(forms_seen) > 50
    assert [f"{form.__name__}.{name}" for form in forms_seen
            for name, field in form.base_fields.items()
            if isinstance(field, forms.CharField) and not _bounded(field)] == []
    request = RequestFactory().get("/")
    request.user = world.alice
    built = 0
    unbounded = []
    for serializer in _subclasses(serializers.Serializer):
        if serializer.__name__.startswith("Tests"):
            continue
        try:
            fields = serializer(context={"request": request}).fields
        except (TypeError, AssertionError):  # needs arguments of its own: its declared fields
            fields = serializer._declared_fields
        built += 1
        unbounded += [f"{serializer.__name__}.{name}" for name, field in fields.items()
                      if isinstance(field, serializers.CharField) and not field.read_only
                      and not _bounded(field)]
    assert built > 50 and unbounded == []
    assert validation.unbounded_form_fields() == []
    assert validation.unbounded_serializer_fields() == []


def test_the_schema_states_the_bound(world):
    schema = api(world.alice).get("/api/schema/", {"format": "json"}).json()
    decline = schema["components"]["schemas"]["RequestDecline"]["properties"]
    assert decline["reason"]["maxLength"] == TEXT_MAX_LENGTH


def test_a_text_too_long_is_refused_by_the_model_the_form_and_the_api(world, login):
    p = world.acme_contoso
    with pytest.raises(ValidationError) as error:
        Request(partnership=p, title="T", description=LONG, kind="information",
                requested_by_party="sponsor").full_clean(exclude=["author_organization"])
    assert "description" in error.value.message_dict
    # The sponsor's form: the field says so, the browser is told the bound, nothing saved.
    url = reverse("governance:request_create", args=[p.pk])
    client = login(world.alice)
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in client.get(url).content.decode()
    before = Request.objects.count()
    answer = client.post(url, {"title": "Too long", "description": LONG, "kind": "information",
                               "urgency": "normal"})
    assert answer.status_code == 200
    assert f"at most {TEXT_MAX_LENGTH} characters" in answer.content.decode()
    assert Request.objects.count() == before
    answer = api(world.alice).post("/api/v1/requests/", {
        "partnership": p.pk, "title": "Too long", "description": LONG,
        "kind": "information"}, format="json")
    assert answer.status_code == 400 and "description" in answer.json()
    assert Request.objects.count() == before
    # The CDMO declines with a reason too long: form and API refuse, the request stays sent.
    sent = request_send(actor=world.alice, partnership=p, title="Quote", description="Q",
                        kind="quote")
    step = reverse("governance:request_step", args=[p.pk, sent.pk, "decline"])
    answer = login(world.bob).post(step, {"decline_reason": LONG, "reason": LONG})
    assert answer.status_code == 200 and f"at most {TEXT_MAX_LENGTH} characters" in \
        answer.content.decode()
    answer = api(world.bob).post(f"/api/v1/requests/{sent.pk}/decline/", {"reason": LONG},
                                 format="json")
    assert answer.status_code == 400 and "reason" in answer.json()
    sent.refresh_from_db()
    assert sent.status == Request.Status.SENT


# --- Dates that lie ahead ----------------------------------------------------------------

def test_a_needed_by_date_in_the_past_is_refused_in_form_and_api(world, login):
    p = world.acme_contoso
    yesterday = (TODAY - DAY).isoformat()
    before = Request.objects.count()
    answer = login(world.bob).post(reverse("governance:request_create", args=[p.pk]), {
        "title": "Late ask", "description": "D", "kind": "information", "urgency": "normal",
        "needed_by": yesterday})
    assert answer.status_code == 200 and "This date has passed" in answer.content.decode()
    answer = api(world.alice).post("/api/v1/requests/", {
        "partnership": p.pk, "title": "Late ask", "description": "D", "kind": "information",
        "needed_by": yesterday}, format="json")
    assert answer.status_code == 400 and "needed_by" in answer.json()
    assert Request.objects.count() == before
    # Today is fine.
    answer = api(world.alice).post("/api/v1/requests/", {
        "partnership": p.pk, "title": "Due today", "description": "D", "kind": "information",
        "needed_by": TODAY.isoformat()}, format="json")
    assert answer.status_code == 201, answer.json()


def test_an_edit_keeps_an_old_date_but_cannot_move_it_into_the_past(world):
    p = world.acme_contoso
    old = request_send(actor=world.alice, partnership=p, title="Old", description="D",
                       kind="information", needed_by=TODAY + 3 * DAY)
    Request.objects.filter(pk=old.pk).update(needed_by=TODAY - 5 * DAY)  # time passed
    kept = api(world.alice).patch(f"/api/v1/requests/{old.pk}/", {
        "title": "Old, renamed", "needed_by": (TODAY - 5 * DAY).isoformat()}, format="json")
    assert kept.status_code == 200, kept.json()
    moved = api(world.alice).patch(f"/api/v1/requests/{old.pk}/", {
        "needed_by": (TODAY - 4 * DAY).isoformat()}, format="json")
    assert moved.status_code == 400 and "needed_by" in moved.json()


def test_a_committed_date_in_the_past_is_refused_in_form_and_api(world, login):
    p = world.acme_contoso
    sent = request_send(actor=world.alice, partnership=p, title="CoA", description="D",
                        kind="document")
    step = reverse("governance:request_step", args=[p.pk, sent.pk, "acknowledge"])
    answer = login(world.bob).post(step, {"committed_date": (TODAY - DAY).isoformat()})
    assert answer.status_code == 200 and "cannot be in the past" in answer.content.decode()
    answer = api(world.bob).post(f"/api/v1/requests/{sent.pk}/acknowledge/", {
        "committed_date": (TODAY - DAY).isoformat()}, format="json")
    assert answer.status_code == 400 and "committed_date" in answer.json()
    sent.refresh_from_db()
    assert sent.status == Request.Status.SENT


def test_an_action_in_the_past_asks_that_it_records_the_past(world, login):
    p = world.acme_contoso
    url = reverse("governance:actionitem_create", args=[p.pk])
    client = login(world.bob)
    assert "This records the past" in client.get(url).content.decode()
    data = {"title": "From the paper log", "owner": world.bob.pk,
            "due_date": (TODAY - 3 * DAY).isoformat(), "priority": "medium"}
    answer = client.post(url, data)
    assert answer.status_code == 200 and "tick" in answer.content.decode()
    assert not ActionItem.objects.filter(title="From the paper log").exists()
    answer = client.post(url, {**data, "records_past": "on"})
    assert answer.status_code == 302
    assert ActionItem.objects.get(title="From the paper log").due_date == TODAY - 3 * DAY
    # The API: the same, with records_past in the body (never echoed back).
    body = {"partnership": p.pk, "title": "API past", "owner": world.alice.pk,
            "due_date": (TODAY - DAY).isoformat(), "priority": "medium"}
    answer = api(world.alice).post("/api/v1/action-items/", body, format="json")
    assert answer.status_code == 400 and "due_date" in answer.json()
    answer = api(world.alice).post("/api/v1/action-items/", {**body, "records_past": True},
                                   format="json")
    assert answer.status_code == 201 and "records_past" not in answer.json()
    # An overdue action is edited without its date being refused.
    late = action_item_create(actor=world.alice, partnership=p, title="Late one",
                              owner=world.alice, due_date=TODAY - 2 * DAY)
    answer = api(world.alice).patch(f"/api/v1/action-items/{late.pk}/",
                                    {"title": "Late one, renamed"}, format="json")
    assert answer.status_code == 200, answer.json()
    edit = reverse("governance:actionitem_edit", args=[p.pk, late.pk])
    answer = login(world.alice).post(edit, {
        "title": "Late one, again", "owner": world.alice.pk,
        "due_date": (TODAY - 2 * DAY).isoformat(), "priority": "medium"})
    assert answer.status_code == 302


def test_a_minutes_action_in_the_past_is_refused_in_form_and_api(world, login):
    p = world.acme_contoso
    meeting = meeting_create(actor=world.alice, partnership=p, title="Weekly",
                             kind="weekly_check_in", attendees=[world.alice, world.bob],
                             starts_at=timezone.now() - datetime.timedelta(hours=2))
    url = reverse("governance:meeting_minutes", args=[p.pk, meeting.pk])
    answer = login(world.bob).post(url, {
        "minutes": "Agreed.", "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
        "actions-0-title": "Too late", "actions-0-owner": world.bob.pk,
        "actions-0-due_date": (TODAY - DAY).isoformat()})
    assert answer.status_code == 400 and "This date has passed" in answer.content.decode()
    answer = api(world.alice).post(f"/api/v1/meetings/{meeting.pk}/minutes/", {
        "minutes": "Agreed.", "actions": [{"title": "Too late", "owner": world.bob.pk,
                                           "due_date": (TODAY - DAY).isoformat()}]},
        format="json")
    assert answer.status_code == 400 and "actions" in answer.json()
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not ActionItem.objects.filter(title="Too late").exists()
    assert Meeting.objects.filter(pk=meeting.pk, status="scheduled").exists()
