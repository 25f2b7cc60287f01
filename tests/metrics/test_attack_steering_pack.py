"""Attack: a steering pack is its requester's organization's (every one of its people in
the partnership opens it), so it holds only what each of them may read, and quotes no
justification but its own party's: the other party's is read on the request's page, under
the rule asked of each reader there."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Request
from metrics.steering import services
from tests.metrics.test_steering import add_stan

SECRET = "Contoso line 3 down, Globex batch bumped"


@pytest.fixture
def world(saved_world):
    return saved_world


def cdmo_over_budget(world):
    sent = timezone.now() - datetime.timedelta(days=1)
    return Request.objects.create(
        partnership=world.acme_contoso, author_organization=world.contoso,
        created_by=world.bob, title="Rush reagent", description="Now", kind="sample_pull",
        requested_by_party="cdmo", urgency="emergency", emergency_justification=SECRET,
        over_emergency_budget=True, sent_at=sent,
        acknowledge_by=sent + datetime.timedelta(hours=48))


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    return b" ".join(re.findall(rb"\((.*?)\) Tj", content)).decode("latin-1")


def test_a_pack_asked_for_by_a_steering_member_keeps_the_other_partys_justification(
        world, login):
    stan = add_stan(world)  # Acme's steering seat: he reads Contoso's justification
    request = cdmo_over_budget(world)
    page = login(stan).get(reverse("governance:request_detail",
                                   args=[world.acme_contoso.pk, request.pk]))
    assert SECRET in page.content.decode()
    alice = login(world.alice)  # Acme's lead reads it on the request's page, not in a pack
    page = alice.get(reverse("governance:request_detail", args=[world.acme_contoso.pk,
                                                               request.pk]))
    assert page.status_code == 200 and SECRET in page.content.decode()
    pack = services.steering_pack_request(
        actor=stan, partnership=world.acme_contoso,
        period_start=datetime.date.today() - datetime.timedelta(days=30),
        period_end=datetime.date.today())
    services.steering_pack_generate(pack.pk)
    pack.refresh_from_db()
    assert pack.status == "ready"
    url = reverse("metrics:steeringpack_download", args=[world.acme_contoso.pk, pack.pk])
    text = pdf_text(alice.get(url))
    assert "Rush reagent" in text
    assert "line 3 down" not in text


def test_a_pack_keeps_the_justification_of_its_requesters_own_party(world, login):
    request = cdmo_over_budget(world)
    pack = services.steering_pack_request(
        actor=world.bob, partnership=world.acme_contoso,
        period_start=datetime.date.today() - datetime.timedelta(days=30),
        period_end=datetime.date.today())
    services.steering_pack_generate(pack.pk)
    url = reverse("metrics:steeringpack_download", args=[world.acme_contoso.pk, pack.pk])
    assert request.title in pdf_text(login(world.bob).get(url))
    assert "line 3 down" in pdf_text(login(world.olga).get(url))
