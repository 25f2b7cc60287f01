"""The registries the apps fill at start-up: audited models and notification kinds."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from partnership.models import Membership
from partnership.notifications.models import Notification, NotificationPreference
from partnership.notifications.services import notify
from partnership.scoping import SharedRecord
from portal.registries import audited, notification_kinds


def test_every_shared_record_is_audited():
    """A record both parties share is a GMP record: a new one joins the trail, or this fails."""
    registered = {entry.label for entry in audited.audited_models()}
    shared = {model._meta.label for model in apps.get_models()
              if issubclass(model, SharedRecord)}
    assert len(shared) >= 12
    assert shared <= registered, f"not audited: {sorted(shared - registered)}"


def test_seats_and_notification_settings_are_audited():
    registered = {entry.label for entry in audited.audited_models()}
    assert {Membership._meta.label, NotificationPreference._meta.label} <= registered


def test_each_audited_model_exists_and_leaves_out_only_its_own_fields():
    for entry in audited.audited_models():
        model = apps.get_model(entry.label)
        assert entry.exclude <= {field.name for field in model._meta.get_fields()}, entry


def test_an_audited_model_registered_again_differently_fails_loudly():
    audited.register("partnership.Membership")  # as partnership did: nothing changes
    with pytest.raises(ImproperlyConfigured):
        audited.register("partnership.Membership", exclude=["role"])


def test_every_kind_fits_the_column_that_stores_it():
    width = Notification._meta.get_field("kind").max_length
    assert notification_kinds.codes()
    assert all(len(code) <= width for code in notification_kinds.codes())


def test_a_kind_registered_again_differently_fails_loudly():
    first = notification_kinds.kinds()[0]
    notification_kinds.register(first.code, first.label, position=first.position)
    with pytest.raises(ImproperlyConfigured):
        notification_kinds.register(first.code, "Something else", position=first.position)
    with pytest.raises(ImproperlyConfigured):
        notification_kinds.register("x" * 25, "Too long", position=1)


def test_notify_refuses_a_kind_nobody_registered(world):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipients=[world.bob], kind="made_up", partnership=world.acme_contoso,
               title="Nobody can switch this off", url="/")
    assert not Notification.objects.filter(kind="made_up").exists()
