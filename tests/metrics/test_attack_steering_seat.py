"""Attack: a steering committee seat reads published KPI values only (DESIGN §3), through
every door — also through its own organization's spreadsheet imports of values, whose file,
errors and values are drafts the committee must not read before publication."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from metrics.imports import selectors, services
from partnership.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi

CSV = "KPI key,Period,Value,Numerator,Denominator,Comment\n" \
      f"on-time-delivery,{LAST_MONTH:%Y-%m},71.25,,,Draft before the steering meeting\n"


@pytest.fixture
def world(saved_world):
    world = add_cast(saved_world)
    world.stan = UserFactory(email="stan@contoso.test", first_name="Stan",
                             last_name="Contososon", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.stan,
                      role=Membership.Role.STEERING)
    return world


def imported(world):
    agreed_kpi(world)
    kpi_import = services.kpi_import_create(
        actor=world.bob, partnership=world.acme_contoso,
        file=SimpleUploadedFile("values.csv", CSV.encode(), "text/csv"))
    with transaction.atomic():
        services.kpi_import_run(import_id=kpi_import.pk)
    kpi_import.refresh_from_db()
    assert kpi_import.status == "done", kpi_import.errors
    return kpi_import


def test_a_steering_seat_reads_no_import_of_draft_values(world, login):
    kpi_import = imported(world)
    p = world.acme_contoso.pk
    assert not selectors.kpi_import_list(user=world.stan).exists()
    stan = login(world.stan)
    for url in (reverse("metrics:kpiimport_detail", args=[p, kpi_import.pk]),
                reverse("metrics:kpiimport_file", args=[p, kpi_import.pk]),
                f"/api/v1/kpi-imports/{kpi_import.pk}/"):
        assert stan.get(url).status_code == 404, url
    for url in (reverse("metrics:kpiimport_list", args=[p]), "/api/v1/kpi-imports/",
                "/api/v1/kpi-imports/?format=api"):
        response = stan.get(url)
        assert "values.csv" not in response.content.decode(), url
    # the reporting party's working seats still read it
    assert login(world.bob).get(reverse("metrics:kpiimport_file",
                                        args=[p, kpi_import.pk])).status_code == 200
