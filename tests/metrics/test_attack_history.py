"""Attack: a KPI value's History tells nothing of the time it was its reporting party's own
work (a draft, or submitted but not yet shared): the other party reads it from the moment it
was shared for review, on the History page, its API and the auditor's export; a steering
seat, which reads published values only, reads it from then on whichever party it is."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.measurements import services
from partnership.history.export import partnership_entries
from partnership.models import Membership
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def drafted_then_shared(world):
    """Bob (Contoso reports) drafts 61.5, changes his mind to 92, then shares it."""
    definition = agreed_kpi(world)
    value = services.kpi_measurement_create(
        actor=world.bob, definition=definition, period=LAST_MONTH, value=Decimal("61.5"),
        comment="Draft: lots 3 and 9 not counted yet.")
    value = services.kpi_measurement_update(actor=world.bob, measurement=value,
                                            value=Decimal("92"), comment="Final.")
    value = services.kpi_measurement_submit(actor=world.bob, measurement=value)
    return services.kpi_measurement_share(actor=world.bob, measurement=value)


def test_history_page_and_api_hide_the_draft_from_the_other_party(world, login):
    value = drafted_then_shared(world)
    page = reverse("partnership:record_history",
                   args=[world.acme_contoso.pk, "kpimeasurement", value.pk])
    api = f"/api/v1/kpi-measurements/{value.pk}/history/"
    for url in (page, api):
        seen = login(world.alice).get(url)
        assert seen.status_code == 200, url
        text = seen.content.decode()
        assert "61.5" not in text and "not counted yet" not in text, url
        own = login(world.cole).get(url).content.decode()
        assert "61.5" in own, url  # the reporting party reads its own drafts' history


def test_audit_export_hides_the_draft_from_the_other_party(world):
    value = drafted_then_shared(world)
    today = datetime.date.today()
    rows = partnership_entries(user=world.alice, partnership=world.acme_contoso,
                               start=today - datetime.timedelta(days=1), end=today)
    words = " ".join(str(vars(entry)) for entry in rows if entry.record_id == value.pk)
    assert "61.5" not in words and "not counted yet" not in words


def test_a_steering_seat_reads_a_published_values_history_from_its_sharing(world, login):
    """Stan sits on the steering committee for Contoso, the reporting party: he reads the
    published value, not the drafts his colleagues worked on before sharing it."""
    stan = UserFactory(email="stan@contoso.test", first_name="Stan", last_name="Contososon",
                       organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=stan,
                      role=Membership.Role.STEERING)
    value = services.kpi_measurement_accept(actor=world.alice,
                                            measurement=drafted_then_shared(world))
    sign(actor=world.alice, record=value, event="published", meaning="approval",
         password=PASSWORD)
    url = f"/api/v1/kpi-measurements/{value.pk}/history/"
    seen = login(stan).get(url)
    assert seen.status_code == 200 and "92" in seen.content.decode()
    assert "61.5" not in seen.content.decode()
    assert "61.5" in login(world.cole).get(url).content.decode()
