"""A person's account history (admin and operator flags, locks, organization) is read by the
person, an admin of their organization and the operators; anyone else who can see the
person gets 404 for it, as for a record they cannot see."""

from partnership.models import User
from partnership.permissions import can
from tests.factories import UserFactory
from tests.partnership.test_api import api


def _history(user, person):
    return api(user).get(f"/api/v1/people/{person.pk}/history/")


def test_the_person_their_admin_and_an_operator_read_it(world):
    User.objects.filter(pk=world.bob.pk).update(is_org_admin=True)
    assert _history(world.bob, world.bob).status_code == 200
    assert _history(world.olga, world.bob).status_code == 200
    # Operators: the rule lets them (the API shows an operator only the people it scopes to
    # them, the Django admin all).
    operator = UserFactory(is_staff=True, organization=None)
    assert can(operator, "partnership.person_history_view", world.bob)
    assert not can(world.alice, "partnership.person_history_view", world.bob)
    flags = [change["field"] for entry in _history(world.olga, world.bob).json()["results"]
             for change in entry["changes"]]
    assert "Organization admin" in flags


def test_a_partner_who_sees_the_person_does_not_read_their_account_history(world):
    assert api(world.alice).get(f"/api/v1/people/{world.bob.pk}/").status_code == 200
    assert _history(world.alice, world.bob).status_code == 404
    # A colleague who is not an admin neither.
    assert _history(world.carol, world.olga).status_code == 404
