"""The generic suite reads one world per module: each case runs in its own savepoint of it.

Its cast has one more seat than tests/world.py: Stan, Acme's steering committee member in
Acme–Contoso, who reads everything and writes nothing (like Vera the viewer). He sits only
here, so the other suites' counts of who hears about what stay as they are.
"""

import pytest

from partnership.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(scope="module")
def module_world(module_world, django_db_blocker):
    with django_db_blocker.unblock():
        module_world.stan = UserFactory(
            email="stan@acme.test", first_name="Stan", last_name="Acmeson",
            organization=module_world.acme)
        MembershipFactory(partnership=module_world.acme_contoso, user=module_world.stan,
                          role=Membership.Role.STEERING)
    return module_world


@pytest.fixture
def world(module_world, db):
    return module_world
