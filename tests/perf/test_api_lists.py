"""Every API list runs as many SQL queries for a page of 12 rows as for a page of 2: no
serializer field, step or permission check, history or signature lookup may cost a query per
row (the benchmark saw it: the requests, audits, deviations and lots lists grew 6 -> 31, 8 -> 34,
7 -> 57 and 9 -> 65 queries from the demo to the large set).

Generic over the router's registry, so a new route or a new per-row field is checked without
a line here. The world (tests/world.py) holds a record or two of each kind; the kinds with
fewer than 12 rows visible to the reader get copies of their own visible rows (only what
makes a copy unique changes), so each page really holds 2 and 12 rows. The same rows back
both pages (?page_size=2 and ?page_size=12), so the count and every per-page query are the
same: any difference is a per-row query.
"""

import copy
import datetime
import itertools
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models.base import ModelState
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from partnership.models import Membership
from portal.api import router
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 12
#: Who reads each list: a sponsor lead and a CDMO lead of Acme–Contoso; the lists only an
#: organization admin reads (tests/isolation/registry.py ORGANIZATION_ADMIN_API) by Olga.
READERS = ("alice", "bob")
ADMIN_LISTS = {"colleague", "partnershipload"}
#: Lists whose rows are not records that can be copied, each with the reason.
NOT_COPIED = {
    "portfolio": "figures worked out per KPI across partnerships, not stored rows",
    "cdmoperformance": "figures worked out per KPI across partnerships, not stored rows",
    "partnershipload": "one row per partnership of the admin's organization",
    "site": "the sites of the reader's partnerships' organizations, not copied into them",
    "organization": "the organizations the reader shares a partnership with",
    "partnership": "the reader's partnerships (a copy would need seats and parties)",
    "person": "the people of the reader's partnerships, one seat each",
    "colleague": "the people of the admin's organization",
    "membership": "one seat per person and partnership",
    "notificationpreference": "one per person and kind of notification",
    "survey": "one answer per person and period",
}

#: Numbers the copies of a whole run, so no two copies ever share a unique value.
_COPY = itertools.count(1)

ROUTES = [(prefix, basename) for prefix, _viewset, basename in router.registry]


@pytest.fixture
def world(saved_world):
    return saved_world


def _unique_field_names(model) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for together in model._meta.unique_together:
        names.update(together)
    for constraint in model._meta.total_unique_constraints + [
            c for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]:
        names.update(constraint.fields)
    return names


def _bumped(field: models.Field, value, serial: int):
    """The value of a copy's field that makes the copy unique: a number past the others, a
    text with a suffix, a date later, a new UUID, a copy of the row a one-to-one names."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        if field.name == "partnership":
            return value
        target = field.related_model._default_manager.get(pk=value)
        return copies([target], 1)[0].pk
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return value + (Decimal(1000 + serial) if isinstance(value, Decimal) else 1000 + serial)
    if isinstance(field, (models.CharField, models.TextField)):
        suffix = f"~{serial}"
        limit = (field.max_length or 10_000) - len(suffix)
        return value[:limit] + suffix
    if isinstance(field, (models.DateField, models.DateTimeField)):
        return value + datetime.timedelta(days=serial)
    return value


def copies(rows: list[models.Model], count: int, partnerships: list | None = None
           ) -> list[models.Model]:
    """`count` copies of the rows, in turn, each in the next of `partnerships` (when the
    record has one): a copy of a workflow record keeps its status."""
    model = type(rows[0])
    unique = _unique_field_names(model)
    moves = partnerships and any(f.name == "partnership" for f in model._meta.concrete_fields)
    made = []
    for n in range(count):
        row = copy.copy(rows[n % len(rows)])
        serial = next(_COPY)
        row._state = ModelState()
        row.pk = None
        if moves:
            row.partnership_id = partnerships[n % len(partnerships)].pk
        for field in model._meta.concrete_fields:
            if field.name in unique and not field.primary_key:
                setattr(row, field.attname, _bumped(field, getattr(row, field.attname), serial))
        made.append(row)
    return model._default_manager.bulk_create(made)


def more_partnerships(world, count: int) -> list:
    """Partnerships of Acme with other CDMOs where Alice leads: a page of a large sponsor's
    lead mixes the rows of many partnerships (a per-partnership query is a per-row one)."""
    made = [PartnershipFactory(sponsor=world.acme) for _ in range(count)]
    for partnership in made:
        MembershipFactory(partnership=partnership, user=world.alice, role=Membership.Role.LEAD)
        MembershipFactory(partnership=partnership, user=UserFactory(
            organization=partnership.cdmo), role=Membership.Role.LEAD)
    return made


def queries(client, prefix: str, size: int) -> tuple[int, list[str], int]:
    url = f"/api/v1/{prefix}/?page_size={size}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:500])
    return len(captured), [q["sql"] for q in captured.captured_queries], len(
        response.json()["results"])


@pytest.mark.parametrize(("prefix", "basename"), ROUTES, ids=[r[0] for r in ROUTES])
def test_an_api_list_runs_as_many_queries_for_12_rows_as_for_2(world, prefix, basename):
    readers = ("olga",) if basename in ADMIN_LISTS else READERS
    seen = 0
    for name in readers:
        client = APIClient()
        # A session, not force_authenticate: the user is read afresh on each request, as
        # in production, so nothing one request keeps on it serves the next.
        client.force_login(getattr(world, name))
        client.get(f"/api/v1/{prefix}/?page_size={MANY}")  # caches of the session warmed
        _, _, rows = queries(client, prefix, MANY)
        if rows < MANY and basename not in NOT_COPIED and rows:
            listed = client.get(f"/api/v1/{prefix}/?page_size={MANY}").json()["results"]
            model = _model_of(prefix)
            found = list(model._default_manager.filter(pk__in=[r["id"] for r in listed]))
            if name == "alice":
                copies(found, MANY - rows, more_partnerships(world, MANY - 1))
            else:  # within the reader's one partnership, when the record allows more
                try:
                    with transaction.atomic():
                        copies(found, MANY - rows, [world.acme_contoso])
                except IntegrityError:
                    continue
        few, few_sql, few_rows = queries(client, prefix, FEW)
        many, many_sql, many_rows = queries(client, prefix, MANY)
        if few_rows < FEW:
            continue
        seen += 1
        assert many == few, _explain(prefix, name, (few, few_rows, few_sql),
                                     (many, many_rows, many_sql))
        if basename not in NOT_COPIED:
            assert many_rows == MANY, (prefix, name, many_rows)
    if basename not in NOT_COPIED:
        assert seen, f"/api/v1/{prefix}/ listed fewer than {FEW} rows to every reader"


def _model_of(prefix: str) -> type[models.Model]:
    viewset = next(v for p, v, _b in router.registry if p == prefix)
    return viewset.model if getattr(viewset, "model", None) else viewset.queryset.model


def _explain(prefix, name, few, many) -> str:
    """The queries of the larger page beyond those of the smaller one: the per-row ones."""
    extra = list(many[2])
    for sql in few[2]:
        if sql in extra:
            extra.remove(sql)
    shown = "\n".join(sorted(set(extra))[:8])
    return (f"/api/v1/{prefix}/ as {name}: {few[0]} queries for {few[1]} rows, {many[0]} "
            f"for {many[1]} rows; queries of the larger page only:\n{shown}")
