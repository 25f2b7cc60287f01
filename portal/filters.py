"""Filter bars for pages and API: every choice of a record comes from the caller's scope.

A filter that picks a record (a contract, a meeting, an organization, a person) offers, and
accepts, only what the caller may see (DESIGN §2). Without this, django-filter builds the
choices from the model's default manager: the browsable API's filter form then lists every
tenant's records, and `?contract=<foreign id>` answers "Select a valid choice" where a
visible id answers 200 — an existence oracle. Here a foreign id and a missing one get the
same answer, because both are simply not among the choices.

Every FilterSet of the project derives from ScopedFilterSet, and ScopedFilterBackend (the
API's filter backend) refuses any other, so a new filter bar cannot forget the rule. It
also words every yes/no filter "Any / Yes / No" (django-filter says "Unknown" for "any").
"""

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django_filters import BooleanFilter, FilterSet
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField, ModelChoiceIterator
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import BooleanWidget

from portal.validation import parse_id


def _scoped_queryset(declared):
    """The declared choices (a queryset, a callable of the request, or None for the related
    model's default), narrowed to what the request's user may see."""

    def queryset(request):
        choices = declared(request) if callable(declared) else declared
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return choices.none()
        return choices.filter(pk__in=choices.model.objects.visible_to(user).values("pk"))

    return queryset


class BoundedChoiceIterator(ModelChoiceIterator):
    """The options of a BoundedChoiceField: the empty one, the first `field.limit` rows of
    its queryset, and the chosen row wherever it stands."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset
        if self.field.text and self.field.search is not None:
            rows = self.field.search(rows, self.field.text)
        shown = list(rows[: self.field.limit])
        chosen = self.field.chosen_pk
        if chosen is not None and all(row.pk != chosen for row in shown):
            shown = [*self.queryset.filter(pk=chosen), *shown]
        for row in shown:
            yield self.choice(row)

    def __len__(self):
        return self.field.limit + (self.field.empty_label is not None)


class BoundedChoiceField(ModelChoiceField):
    """A record filter whose choices grow with the data (a partnership's 13,000 meetings):
    it accepts any row of its (scoped) queryset, but its select offers only the chosen one
    and the first `limit` — of those matching the text typed in its search box
    (`<name>_q`, components/filter_bar.html), when `search(queryset, text)` is set. With
    JavaScript the box fetches the matching select from the list page as one types
    (`?choices_of=<name>`, portal.views.FilteredListView); without, the Filter button does.
    Before, the page carried every row as an <option> (the action list's meetings: 954 KB
    of a 1 MB page)."""

    iterator = BoundedChoiceIterator
    limit = 20
    search = None
    #: What the search box finds by: its placeholder, and its name after the filter's.
    search_hint = "Name"
    chosen_pk: int | None = None
    text = ""

    @property
    def searchable(self) -> bool:
        """Whether a search box finds its other choices (the filter bar shows one)."""
        return self.search is not None

    def bound_to(self, value, text) -> None:
        """Remember the chosen row (a digit string from the URL; anything else: none) and
        the text typed in the search box."""
        # parse_id: "²" passes str.isdigit() but not int() (a 500 on ?meeting=²); NUL, which
        # PostgreSQL refuses in a text literal, is dropped from the text (a 500 on
        # ?meeting_q=%00).
        self.chosen_pk = parse_id(str(value or ""))
        self.text = str(text or "").replace("\x00", "").strip()[:200]


class YesNoWidget(BooleanWidget):
    """A yes/no filter's choice: "Any" (no filter), "Yes" or "No"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "Any"), ("true", "Yes"), ("false", "No")]


class OrderingFilter(django_filters.OrderingFilter):
    """?ordering= of a list: the chosen column, then the primary key in the same direction.

    Why the key: rows with equal values (two actions due the same day) keep one order, so
    a row never shows on two pages or none; and one index (partnership, column, id) serves
    the sort both ways, as tests/perf/test_indexes.py checks for every offered sort."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "-pk" if ordering[-1].startswith("-") else "pk")


class ScopedFilterSet(FilterSet):
    """A FilterSet whose record choices (ModelChoiceFilter, ModelMultipleChoiceFilter and the
    ones django-filter generates for foreign keys) are limited to the caller's scope."""

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            if isinstance(field, BoundedChoiceField):
                field.bound_to(form[name].value(), (self.data or {}).get(f"{name}_q"))
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for record_filter in self.filters.values():
            if isinstance(record_filter, QuerySetRequestMixin):
                record_filter.queryset = _scoped_queryset(record_filter.queryset)
            if isinstance(record_filter, BooleanFilter):
                record_filter.extra["widget"] = YesNoWidget
                record_filter.__dict__.pop("_field", None)  # a form field built before


def require_scoped(filterset_class) -> None:
    """Fail loudly when a page or viewset declares a filter set that is not scoped."""
    if filterset_class is not None and not issubclass(filterset_class, ScopedFilterSet):
        raise ImproperlyConfigured(
            f"{filterset_class.__name__} must derive from portal.filters.ScopedFilterSet")


class ScopedFilterBackend(DjangoFilterBackend):
    """The API's filter backend: `filterset_fields` build a ScopedFilterSet, and a declared
    `filterset_class` must be one."""

    filterset_base = ScopedFilterSet

    def get_filterset_class(self, view, queryset=None):
        require_scoped(getattr(view, "filterset_class", None))
        return super().get_filterset_class(view, queryset)
