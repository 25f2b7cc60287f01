"""The Django admin is for operators, who belong to neither party: every record of a
partnership is read there and changed only through its service (DESIGN §5: who may change
what is a rule). Walks the admin's registry, so a new model's admin is covered as soon as it
is registered."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory


def belongs_to_a_partnership(model) -> bool:
    return any(field.name == "partnership" and field.many_to_one
               for field in model._meta.get_fields())


SCOPED = [(model, model_admin) for model, model_admin in admin.site._registry.items()
          if belongs_to_a_partnership(model)]


@pytest.fixture
def operator(db):
    return UserFactory(email="operator@lockstep.test", is_staff=True, is_superuser=True)


def test_the_registry_holds_the_records_of_partnerships():
    assert len(SCOPED) >= 20


@pytest.mark.parametrize(("model", "model_admin"), SCOPED,
                         ids=[model._meta.label for model, _admin in SCOPED])
def test_a_partnerships_record_is_read_only_in_the_admin(operator, model, model_admin):
    """Not even a superuser may add, change or delete it here, nor through its inlines."""
    request = RequestFactory().get("/admin/")
    request.user = operator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None), inline
        assert not inline.has_change_permission(request), inline
        assert not inline.has_delete_permission(request), inline


@pytest.mark.parametrize("model", list(admin.site._registry),
                         ids=[model._meta.label for model in admin.site._registry])
def test_every_admin_list_opens_for_an_operator(module_world, operator, client, model):
    """Read-only does not mean unreadable: each list, and a record's page, still opens."""
    client.force_login(operator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    row = model._default_manager.order_by("pk").first()
    if row is not None:
        assert client.get(reverse(f"{prefix}_change", args=[row.pk])).status_code == 200


def test_an_operator_reads_a_records_audit_trail_in_the_admin(module_world, operator, client):
    """Django's own History of a record says it is not the trail, and links to its events
    (django-pghistory's admin): what the portal recorded, through every door."""
    from partnership.models import Contract

    contract = Contract.objects.order_by("pk").first()
    client.force_login(operator)
    page = client.get(reverse("admin:partnership_contract_history", args=[contract.pk]))
    text = page.content.decode()
    assert "This is not the audit trail" in text
    events = reverse("admin:pghistory_events_changelist") + \
        f"?method=tracks&obj=partnership.Contract:{contract.pk}"
    assert events.replace("&", "&amp;") in text
    listing = client.get(events)
    assert listing.status_code == 200 and "insert" in listing.content.decode()


def test_the_log_in_logs_are_read_only_for_operators(operator):
    """django-axes's logs of log-ins and failures are a security log: read, never thinned."""
    from axes.models import AccessFailureLog, AccessLog

    request = RequestFactory().get("/admin/")
    request.user = operator
    for model in (AccessLog, AccessFailureLog):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_change_permission(request)


@pytest.mark.parametrize("query", ["?_facets=True", "?event_model=foo.bar",
                                   "?event_model=partnership.user",
                                   "?obj=partnership.contract:abc"])
def test_the_events_admin_answers_odd_filters_without_a_500(module_world, operator, client, query):
    """Attack, issue 11: its own 'Show counts' link and filters naming nothing were 500s."""
    client.force_login(operator)
    response = client.get(reverse("admin:pghistory_events_changelist") + query)
    assert response.status_code in (200, 302, 400), response.status_code
