"""Every status endpoint of the API reads its body with its declared serializer:
a malformed body answers 400 with field errors, never a 500, and changes nothing."""

from rest_framework.test import APIClient

from governance.models import Request
from portal.api import router
from tests.isolation.registry import API_ROUTES

MALFORMED = (["held"], {"status": ["held"]}, {"status": {"to": "held"}}, {"status": None}, {})


def test_transition_endpoints_refuse_malformed_bodies(world):
    """Every route of the router with a `transition` action, whichever app it is in."""
    client = APIClient()
    client.force_authenticate(world.alice)
    checked = []
    for prefix, viewset, basename in router.registry:
        if not any(action.url_path == "transition" for action in viewset.get_extra_actions()):
            continue
        record = viewset.model.objects.get(pk=API_ROUTES[basename](world.acme_contoso)[0])
        url = f"/api/v1/{prefix}/{record.pk}/transition/"
        for body in MALFORMED:
            response = client.post(url, body, format="json")
            assert response.status_code == 400, (url, body, response.content)
        assert "status" in client.post(url, {"status": ["closed"]}, format="json").json()
        before = record.status
        record.refresh_from_db()
        assert record.status == before
        checked.append(prefix)
    assert {"action-items", "meetings", "risks", "contracts", "deliverables"} <= set(checked)


def test_request_steps_refuse_a_body_that_is_not_an_object(world):
    """The request steps with a body (the receiver's and the requester's) do the same."""
    request = Request.objects.get(partnership=world.acme_contoso)
    client = APIClient()
    client.force_authenticate(world.bob)  # Contoso receives Acme's request
    for step in ("acknowledge", "query", "answer", "fulfil", "reopen", "cancel", "relay"):
        response = client.post(f"/api/v1/requests/{request.pk}/{step}/", ["x"], format="json")
        assert response.status_code == 400, (step, response.content)
    request.refresh_from_db()
    assert request.status == "sent"
