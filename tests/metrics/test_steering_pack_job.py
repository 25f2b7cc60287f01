"""The steering pack made by a real Celery worker: once, however often the job is
delivered, and its PDF holds the period's published figures (text in uncompressed page
streams: no PDF library needed to read them)."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest

from metrics.steering import services
from metrics.steering.tasks import steering_pack_generate_task
from tests.metrics.test_portfolio import kpi, publish
from tests.partnership.test_api import api


@pytest.mark.django_db(transaction=True)
def test_the_pack_is_made_once_by_the_worker_and_holds_the_figures(celery_worker,
                                                                    world_committed):
    world = world_committed
    delivery = kpi(world.acme_contoso)
    publish(delivery, datetime.date(2026, 2, 1), Decimal("88.5"))
    publish(delivery, datetime.date(2026, 3, 1), Decimal("96.25"))
    publish(delivery, datetime.date(2026, 4, 1), Decimal("41"), status="submitted")
    pack = services.steering_pack_request(
        actor=world.alice, partnership=world.acme_contoso,
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30))
    # The job sent on commit, and the same job delivered twice more.
    steering_pack_generate_task.delay(pack.pk).get(timeout=30)
    assert steering_pack_generate_task.delay(pack.pk).get(timeout=30) is False
    pack.refresh_from_db()
    assert pack.status == "ready" and pack.generated_at and pack.size > 0
    with pack.open_verified() as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = b" ".join(re.findall(rb"\((.*?)\) Tj", content)).decode("latin-1").replace(
        "\\(", "(").replace("\\)", ")")
    assert "96.25 %" in text and "GREEN" in text and "41 %" not in text
    assert "Alice" in text
    # When it was made, in its requester's zone (the page's), and in UTC.
    made = pack.generated_at.astimezone(zoneinfo.ZoneInfo(world.alice.time_zone))
    assert f"{made:%H:%M %Z} ({pack.generated_at.astimezone(datetime.UTC):%H:%M} UTC)" in text
    response = api(world.alice).get(f"/api/v1/steering-packs/{pack.pk}/").json()
    assert response["status"] == "ready" and response["download"].endswith(
        f"/api/v1/steering-packs/{pack.pk}/download/")
