"""The range of dates the portal accepts (portal.validation), and that nothing forgets it."""

import datetime
import importlib
import pkgutil
import sys
import zoneinfo

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.test.utils import isolate_apps
from rest_framework import serializers

from governance.actions.services import action_item_create
from governance.models import ActionItem
from portal.validation import (
    EARLIEST_DATE,
    LATEST_DATE,
    check_date_fields,
    check_dates_in_range,
    unbounded_date_fields,
    validate_date_in_range,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize("value", [
    EARLIEST_DATE, LATEST_DATE, None,
    datetime.datetime(1990, 1, 1, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2100, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2101, 1, 1, 7, 0, tzinfo=SHANGHAI),  # 2100-12-31 23:00 in UTC
    datetime.datetime(2026, 6, 1, 9, 30),
])
def test_dates_inside_the_range_pass(value):
    validate_date_in_range(value)


@pytest.mark.parametrize("value", [
    datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(1989, 12, 31),
    datetime.date(2101, 1, 1),
    datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),
    # Their UTC instant is out of Python's range: refused, not an OverflowError.
    datetime.datetime(1, 1, 1, 0, 0, tzinfo=SHANGHAI),
    datetime.datetime(9999, 12, 31, 23, 0, tzinfo=NEW_YORK),
    # Counted by the UTC day, as stored: the same bound for every viewer.
    datetime.datetime(2100, 12, 31, 20, 0, tzinfo=NEW_YORK),
    datetime.datetime(9999, 1, 1, 0, 0),
])
def test_dates_outside_the_range_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_date_in_range(value)
    assert error.value.code == "date_out_of_range"
    assert "1 Jan 1990" in error.value.messages[0] and "31 Dec 2100" in error.value.messages[0]


def test_check_dates_in_range_names_each_field():
    with pytest.raises(ValidationError) as error:
        check_dates_in_range(starts_at=datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC),
                             repeat_until=datetime.date(2030, 1, 1),
                             ends_on=datetime.date(1, 1, 1))
    assert set(error.value.message_dict) == {"starts_at", "ends_on"}


def test_every_date_of_the_project_models_is_bounded():
    assert unbounded_date_fields() == []
    assert check_date_fields() == []


@isolate_apps("portal")
def test_the_system_check_fails_for_a_model_date_without_the_bound():
    class Forgetful(models.Model):
        bounded = models.DateField(validators=[validate_date_in_range])
        forgotten = models.DateTimeField(null=True)
        stamped = models.DateTimeField(auto_now_add=True)  # the server's clock: exempt

        class Meta:
            app_label = "portal"

        def __str__(self) -> str:
            return "forgetful"

    class Config:
        label = "portal"

        @staticmethod
        def get_models():
            return [Forgetful]

    errors = check_date_fields([Config()])
    assert [(error.id, error.obj.name) for error in errors] == [("portal.E001", "forgotten")]


def _project_classes(base) -> list[type]:
    """Every subclass of `base` defined in the project's own packages."""
    packages = ["portal", *settings.LOCKSTEP_APPS]
    for package in packages:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    found, queue = [], [base]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in packages:
            found.append(cls)
    return found


def test_every_date_a_form_or_serializer_declares_is_bounded():
    """Fields of ModelForms and ModelSerializers built from the model carry the model
    field's bound; fields a form or serializer declares itself must carry it too."""
    unbounded = []
    for form in _project_classes(forms.BaseForm):
        for name, field in form.declared_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField) and \
                    validate_date_in_range not in field.validators:
                unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
    for serializer in _project_classes(serializers.Serializer):
        for name, field in serializer._declared_fields.items():
            if isinstance(field, serializers.DateField | serializers.DateTimeField) and \
                    not field.read_only and validate_date_in_range not in field.validators:
                unbounded.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert unbounded == []


def test_a_service_refuses_a_date_out_of_range_and_saves_nothing(world):
    before = ActionItem.objects.count()
    with pytest.raises(ValidationError) as error:
        action_item_create(
            actor=world.alice, partnership=world.acme_contoso, title="Far", owner=world.alice,
            due_date=datetime.date(9999, 12, 31))
    assert set(error.value.message_dict) == {"due_date"}
    assert ActionItem.objects.count() == before


def test_no_module_of_the_portal_imports_locust():
    """Importing Locust patches the whole process for gevent (a pytest worker's queue then
    blocks forever): the load test's people live in tests/perf/locustfile.py, which only
    Locust's own process reads."""
    _project_classes(forms.Form)  # imports every module of the portal
    assert "locust" not in sys.modules and "gevent.monkey" not in sys.modules
