"""A rule declared as its parts (partnership.permissions, here governance's notice rules):
one declaration answers the pages' buttons and the services' refusals, part by part, and
a page reads the seat once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Notice
from governance.relationship.services import notice_acknowledge, notice_post
from partnership.models import Membership
from partnership.permissions import can, require, require_person

pytestmark = pytest.mark.django_db


def a_notice(world) -> Notice:
    return notice_post(actor=world.bob, partnership=world.acme_contoso, kind="other",
                       title="Our lab moves", body="In May.")


def test_the_rule_is_all_its_parts_and_require_names_the_one_that_failed(world):
    notice = a_notice(world)
    assert can(world.bob, "governance.notice_edit", notice)
    assert not can(world.alice, "governance.notice_edit", notice)  # the other party's
    with pytest.raises(PermissionDenied, match="Only the party that posted"):
        require(world.alice, "governance.notice_edit", notice)
    notice_acknowledge(actor=world.alice, notice=notice)
    notice = Notice.objects.get(pk=notice.pk)
    assert not can(world.bob, "governance.notice_edit", notice)
    with pytest.raises(ValidationError, match="acknowledged notice"):  # not now: 400
        require(world.bob, "governance.notice_edit", notice)


def test_require_person_leaves_the_records_state_to_the_service(world):
    notice = a_notice(world)
    notice_acknowledge(actor=world.alice, notice=Notice.objects.get(pk=notice.pk))
    notice = Notice.objects.get(pk=notice.pk)
    require_person(world.bob, "governance.notice_edit", notice)  # the form will say why
    with pytest.raises(PermissionDenied):
        require_person(world.alice, "governance.notice_edit", notice)


def test_a_held_role_answers_without_a_query_and_a_fresh_user_reads_the_seat(world):
    partnership = world.acme_contoso
    page_user = type(world.bob).objects.get(pk=world.bob.pk)
    assert partnership.hold_role_of(page_user) == "member"
    another_copy = type(partnership).objects.get(pk=partnership.pk)  # a record's partnership
    with CaptureQueriesContext(connection) as queries:
        assert can(page_user, "governance.actionitem_create", partnership)
        assert can(page_user, "governance.risk_create", another_copy)
        assert can(page_user, "partnership.contract_create", another_copy)
    assert len(queries) == 0
    Membership.objects.filter(partnership=partnership, user=world.bob).update(role="viewer")
    fresh = type(world.bob).objects.get(pk=world.bob.pk)
    assert not can(fresh, "governance.actionitem_create", partnership)


def test_buttons_follow_the_rules(world, login):
    notice = a_notice(world)
    url = notice.get_absolute_url()
    assert "Edit</a>" in login(world.bob).get(url).content.decode()
    vera = login(world.vera).get(reverse("governance:actionitem_list",
                                         args=[world.acme_contoso.pk])).content.decode()
    assert "New action" not in vera  # a viewer reads
    alice = login(world.alice).get(reverse("governance:actionitem_list",
                                           args=[world.acme_contoso.pk])).content.decode()
    assert "New action" in alice
