"""The KPI cast and shortcuts shared by the metrics tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from metrics.kpis import services as kpi_services
from metrics.kpis.models import KPIDefinition
from metrics.measurements import services
from metrics.measurements.models import KPIMeasurement
from metrics.scorecard.selectors import add_months
from partnership.models import Membership
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory


def add_cast(world):
    """Cole, Contoso's lead in Acme–Contoso (Alice is Acme's lead, Bob a Contoso member,
    Vera Acme's viewer)."""
    world.cole = UserFactory(email="cole@contoso.test", first_name="Cole",
                             last_name="Contososon", organization=world.contoso)
    MembershipFactory(partnership=world.acme_contoso, user=world.cole,
                      role=Membership.Role.LEAD)
    return world


def sign_off(definition, *signers):
    for signer in signers:
        sign(actor=signer, record=definition, event="agreed", meaning="approval",
             password=PASSWORD)
    definition.refresh_from_db()
    return definition


def agreed_kpi(world, key="on-time-delivery"):
    """A standard KPI adopted, submitted and signed off by Alice and Cole."""
    [definition] = kpi_services.kpi_definitions_adopt(
        actor=world.alice, partnership=world.acme_contoso, keys=[key])
    definition = kpi_services.kpi_definition_step(actor=world.alice, definition=definition,
                                                  step="submit")
    return sign_off(definition, world.alice, world.cole)


LAST_MONTH = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def shared_value(world, definition, period=LAST_MONTH, value="92", numerator="23",
                 denominator="25"):
    """Bob (Contoso, the reporting party) enters a value, submits and shares it."""
    measurement = services.kpi_measurement_create(
        actor=world.bob, definition=definition, period=period, value=Decimal(value),
        numerator=Decimal(numerator) if numerator else None,
        denominator=Decimal(denominator) if denominator else None, comment="Two late lots.")
    measurement = services.kpi_measurement_submit(actor=world.bob, measurement=measurement)
    return services.kpi_measurement_share(actor=world.bob, measurement=measurement)


def month(offset: int) -> datetime.date:
    """The first day of the month `offset` months before the last ended one."""
    return add_months(LAST_MONTH, -offset)


def publish(world, definition, values: dict[int, str], partnership=None):
    """Published values of `definition`, {months before the last ended one: value}, written
    directly (set-up only)."""
    KPIMeasurement.objects.bulk_create([KPIMeasurement(
        partnership=partnership or world.acme_contoso, author_organization=world.contoso,
        created_by=world.bob, definition=definition, key=definition.key, period=month(offset),
        value=Decimal(value), status="published", published_at=timezone.now())
        for offset, value in values.items()])


def agreed(world, standard, partnership=None) -> KPIDefinition:
    """A standard KPI agreed, written directly (set-up only: the flow has its own tests)."""
    partnership = partnership or world.acme_contoso
    return KPIDefinition.objects.create(
        partnership=partnership, author_organization=partnership.sponsor,
        created_by=world.alice, key=standard.key, name=standard.name,
        formula=standard.formula, unit=standard.unit, direction=standard.direction,
        target=standard.target, amber_threshold=standard.amber, red_threshold=standard.red,
        frequency=standard.frequency, reporting_party=standard.reporting_party,
        status="agreed")
