"""Every sort a main list offers is served by an index, as the list's query is scoped.

For each main list (the page's and the API's selector, narrowed to one partnership as the
page is, and across the caller's partnerships as the API is without ?partnership=) and each
ordering its filter set offers, ascending and descending, the first page's query is
EXPLAINed with sequential scans and explicit sorts disabled: the small tables of a test
make PostgreSQL prefer both, and what we ask is whether an index *can* serve the top-N
("Limit -> Index Scan", or an Incremental Sort over an index's order). A plan that still
holds a full Sort means no index gives that order: a new sort without its index fails here.

The (list, ordering) pairs come from the filter sets' OrderingFilter, so they follow what the
pages and the API offer. Across partnerships (the API without ?partnership=) only the
default order is checked: that is the order clients page through; another sort across all
of a caller's partnerships sorts the caller's rows (an index per sort and scope would double
the indexes of every list for a rare request).
"""

import re
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django_filters import OrderingFilter

from governance.actions.filters import ActionItemFilter
from governance.actions.selectors import action_item_list
from governance.meetings.filters import MeetingFilter
from governance.meetings.selectors import meeting_list
from governance.quality.batches.filters import BatchFilter
from governance.quality.batches.selectors import batch_list
from governance.quality.deviations.filters import CapaFilter, DeviationFilter
from governance.quality.deviations.selectors import capa_list, deviation_list
from governance.quality.filters import AuditFilter, FindingFilter
from governance.quality.selectors import audit_list, finding_list
from governance.requests.filters import RequestFilter
from governance.requests.selectors import request_list
from governance.risks.filters import RiskFilter
from governance.risks.selectors import risk_list
from metrics.measurements.filters import KPIMeasurementFilter
from metrics.measurements.selectors import kpi_measurement_list
from partnership.notifications.api import NotificationFilter
from partnership.notifications.selectors import notification_list
from portal.registries import activity as activity_registry

pytestmark = pytest.mark.django_db

# (name, selector, filter set) of the main lists: the pages' and the API's.
LISTS = [
    ("actions", action_item_list, ActionItemFilter),
    ("requests", request_list, RequestFilter),
    ("meetings", meeting_list, MeetingFilter),
    ("risks", risk_list, RiskFilter),
    ("audits", audit_list, AuditFilter),
    ("findings", finding_list, FindingFilter),
    ("deviations", deviation_list, DeviationFilter),
    ("capas", capa_list, CapaFilter),
    ("batches", batch_list, BatchFilter),
    ("kpi measurements", kpi_measurement_list, KPIMeasurementFilter),
    ("notifications", notification_list, NotificationFilter),
]

# Sorts on a joined row's column (the site's name): no index of the list's table can give
# that order. A partnership audits and makes lots at a handful of sites, so the sort is of
# one partnership's audits or lots, never of a table.
JOINED = {("audits", "site"), ("batches", "site")}


def orderings(filterset_class) -> list[str]:
    """The ?ordering= values a filter set offers, each ascending and descending, and ""
    (its default order)."""
    offered = [""]
    for declared in filterset_class.base_filters.values():
        if isinstance(declared, OrderingFilter):
            for param in declared.param_map:
                offered += [param, f"-{param}"]
    return offered


CASES = [pytest.param(name, selector, filterset, ordering, scope,
                      id=f"{name}-{ordering or 'default'}-{scope}")
         for name, selector, filterset in LISTS
         for ordering in orderings(filterset)
         for scope in ("partnership", "all")
         if (name, ordering.lstrip("-")) not in JOINED
         and (scope == "partnership" or not ordering)]


def first_page(selector, filterset_class, *, user, partnership, ordering: str):
    request = RequestFactory().get("/", {"ordering": ordering} if ordering else {})
    request.user = user
    request.resolver_match = SimpleNamespace(
        kwargs={"partnership_pk": partnership.pk} if partnership else {})
    queryset = selector(user=user, partnership=partnership) if partnership else \
        selector(user=user)
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    assert not filterset.is_bound or filterset.is_valid(), filterset.errors
    return filterset.qs[:25]


def plan_of(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


FULL_SORT = re.compile(r"^(?:\s*->)?\s*Sort  \(", re.MULTILINE)  # not "Incremental Sort"


@pytest.mark.parametrize(("name", "selector", "filterset", "ordering", "scope"), CASES)
def test_the_first_page_of_each_sort_reads_an_index(world, name, selector, filterset,
                                                   ordering, scope):
    partnership = world.acme_contoso if scope == "partnership" else None
    plan = plan_of(first_page(selector, filterset, user=world.alice,
                              partnership=partnership, ordering=ordering))
    main = plan.split("SubPlan")[0]
    assert "Index" in main, plan
    assert not FULL_SORT.search(main), plan


@pytest.mark.parametrize("kind", [kind.kind for kind in activity_registry.kinds()])
def test_each_kind_of_recent_activity_reads_its_newest_from_an_index(world, kind):
    """The partnership home's recent activity and the History pages read each registered
    kind newest first in one partnership: (partnership, created_at) serves it."""
    (registered,) = [each for each in activity_registry.kinds() if each.kind == kind]
    newest = registered.records(world.alice).filter(partnership=world.acme_contoso).order_by(
        "-created_at")[:8]
    plan = plan_of(newest)
    assert "Index" in plan and not FULL_SORT.search(plan), plan
