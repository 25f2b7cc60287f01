"""Django admin: operators read the governance app's shared records but never add, change
or delete them there, since only the services check seats, roles and workflows, bump the
iCalendar sequence and tell the people concerned."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from partnership.models import User


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world

SHARED = ["actionitem", "meeting", "decision", "request", "risk", "notice", "recognition"]


@pytest.fixture
def operator(login):
    """Staff with every permission of the governance app: the admin itself must refuse."""
    staff = User.objects.create_user("ops@lockstep.test", "pw", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="governance"))
    return login(staff)


@pytest.mark.parametrize("name", SHARED)
def test_operators_read_shared_records_but_cannot_write_them(world, operator, name):
    model = apps.get_model("governance", name)
    record = model.objects.filter(partnership=world.acme_contoso).first()
    before = model.objects.filter(pk=record.pk).values().get()
    base = f"/admin/governance/{name}/"
    assert operator.get(base).status_code == 200
    assert operator.get(f"{base}add/").status_code == 403
    assert operator.post(f"{base}add/", {"title": "Made in the admin"}).status_code == 403
    change = f"{base}{record.pk}/change/"
    page = operator.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert operator.post(change, {"title": "Rewritten", "partnership": world.globex_contoso.pk
                                  }).status_code == 403
    assert operator.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    operator.post(base, {"action": "delete_selected", "_selected_action": [record.pk],
                         "post": "yes"})
    assert model.objects.filter(pk=record.pk).values().get() == before
