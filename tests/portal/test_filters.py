"""Every filter bar's yes/no filter reads "Any / Yes / No" (django-filter's own first choice,
"Unknown", reads as a value of the record, not "not filtered"), looks like the bar's other
selects, and still takes the ?overdue=true / ?late=false links the pages and the API give
out."""

import pytest
from django.apps import apps
from django_filters import BooleanFilter

from portal.filters import ScopedFilterSet
from portal.templatetags.lockstep import with_class


def _every_filter_set():
    for app in apps.get_app_configs():  # import every app's filters, as the URLs do
        try:
            __import__(f"{app.name}.urls")
        except ImportError:
            pass
    found, todo = set(), [ScopedFilterSet]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass)
            todo.append(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


YES_NO = [(cls, name) for cls in _every_filter_set()
          for name, declared in cls.base_filters.items() if isinstance(declared, BooleanFilter)]


def test_yes_no_filters_are_found():
    names = {(cls.__name__, name) for cls, name in YES_NO}
    assert {("ActionItemFilter", "overdue"), ("RequestFilter", "late"),
            ("DeviationFilter", "late")} <= names


@pytest.mark.parametrize("filter_set, name", YES_NO,
                         ids=[f"{cls.__name__}.{name}" for cls, name in YES_NO])
def test_a_yes_no_filter_reads_any_yes_no(filter_set, name):
    form = filter_set(data={name: "true"}, queryset=filter_set._meta.model.objects.none()).form
    assert list(form.fields[name].widget.choices) == [("", "Any"), ("true", "Yes"),
                                                      ("false", "No")]
    assert form.is_valid() and form.cleaned_data[name] is True
    form = filter_set(data={name: "false"}, queryset=filter_set._meta.model.objects.none()).form
    assert form.is_valid() and form.cleaned_data[name] is False
    form = filter_set(data={}, queryset=filter_set._meta.model.objects.none()).form
    assert form.is_valid() and form.cleaned_data[name] is None


@pytest.mark.parametrize("filter_set, name", YES_NO,
                         ids=[f"{cls.__name__}.{name}" for cls, name in YES_NO])
def test_a_yes_no_filter_is_styled_as_a_select(filter_set, name):
    """The walk saw "Overdue only" drawn as a text box (Bootstrap's form-control, no arrow)
    beside the bar's selects."""
    form = filter_set(data={}, queryset=filter_set._meta.model.objects.none()).form
    html = with_class(form[name])
    assert html.startswith("<select") and 'class="form-select"' in html, html
    # In a filter bar, small, as the bar's search box is (the walk saw 31 px beside 38 px).
    assert 'class="form-select form-select-sm"' in with_class(form[name], "sm")
