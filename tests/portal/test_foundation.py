"""The helpers every service writes through: locked(), transition(), ServiceForm, rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from governance.models import ActionItem
from partnership import permissions
from portal.forms import ServiceForm
from portal.locking import locked
from portal.workflow import transition


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

pytestmark = pytest.mark.django_db


def an_action(world) -> ActionItem:
    return ActionItem.objects.filter(partnership=world.acme_contoso).first()


def test_locked_reads_the_row_again_not_the_callers_copy(world):
    item = an_action(world)
    saved_title = item.title
    item.title = "set on the copy, never saved"
    with transaction.atomic():
        row = locked(item)
    assert row.pk == item.pk and row.title == saved_title


def test_transition_checks_the_status_in_the_database(world):
    item = an_action(world)
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.DONE)
    # The copy still says "open", from which "in progress" is allowed; the row says done.
    with pytest.raises(ValidationError), transaction.atomic():
        transition(item, ActionItem.Status.IN_PROGRESS)
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.DONE


def test_transition_runs_guard_and_changes_and_saves(world):
    item = an_action(world)
    seen = []

    def guard(row, status):
        seen.append((row.status, status))

    with transaction.atomic():
        row = transition(item, ActionItem.Status.DONE, guard=guard,
                         changes=lambda row, status: {"title": f"{row.title}!"})
    stored = ActionItem.objects.get(pk=item.pk)
    assert seen == [(ActionItem.Status.OPEN, ActionItem.Status.DONE)]
    assert stored.status == ActionItem.Status.DONE and stored.title == item.title + "!"
    assert row.updated_at == stored.updated_at > item.updated_at


def test_a_guard_that_refuses_changes_nothing(world):
    item = an_action(world)

    def refuse(row, status):
        raise ValidationError({"status": "Not now."})

    with pytest.raises(ValidationError), transaction.atomic():
        transition(item, ActionItem.Status.DONE, guard=refuse)
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.OPEN


class ActionForm(ServiceForm):
    class Meta:
        model = ActionItem
        fields = ["title", "due_date"]


def test_service_form_shows_the_record_and_never_touches_it(world):
    item = an_action(world)
    form = ActionForm(record=item)
    assert form.initial["title"] == item.title and form.initial["due_date"] == item.due_date
    bound = ActionForm({"title": "new words", "due_date": "2031-01-02"}, record=item)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["title"] == "new words"
    assert item.title != "new words" and bound.instance is not item
    assert ActionItem.objects.get(pk=item.pk).title == item.title


def test_service_form_still_checks_each_field(world):
    form = ActionForm({"title": "", "due_date": "not a date"}, record=an_action(world))
    assert not form.is_valid()
    assert set(form.errors) == {"title", "due_date"}


@pytest.fixture
def a_rule():
    permissions.rule("tests.write_here", permissions.WRITER)
    yield "tests.write_here"
    permissions.RULES.remove_rule("tests.write_here")
    permissions._PARTS.pop("tests.write_here")
    permissions._REFUSALS.pop("tests.write_here")


def test_a_rule_answers_by_role_and_require_raises_its_refusal(world, a_rule):
    partnership = world.acme_contoso
    assert permissions.can(world.alice, a_rule, partnership)
    assert not permissions.can(world.vera, a_rule, partnership)  # a viewer
    with pytest.raises(PermissionDenied, match="read-only"):
        permissions.require(world.vera, a_rule, partnership)


def test_a_superuser_passes_no_rule_by_being_one(world, a_rule):
    world.oscar.is_superuser = True
    assert not permissions.can(world.oscar, a_rule, world.acme_contoso)


def test_an_unknown_rule_is_an_error_not_a_no():
    with pytest.raises(KeyError):
        permissions.can(object(), "tests.never_declared")


def test_a_rule_is_declared_once(a_rule):
    with pytest.raises(ValueError):
        permissions.rule(a_rule, permissions.WRITER)
