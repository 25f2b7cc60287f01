"""KPI definitions: adopted from the library or drafted by a lead, signed off by a lead of
each party (agreed only once both have), revised into version n+1 that needs signing again
while the agreed version stays in force, then superseded; thresholds validated against the
direction; red / amber / green of a value; who may do what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from metrics.kpis import library, services
from metrics.kpis.models import KPIDefinition
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD
from tests.metrics.helpers import add_cast, agreed_kpi, sign_off


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


TERMS = {"key": "yield", "name": "Process yield", "formula": "Output ÷ input × 100.",
         "unit": "%", "direction": "higher", "target": Decimal(90),
         "amber_threshold": Decimal(85), "red_threshold": Decimal(80),
         "frequency": "monthly", "data_source": "entered", "reporting_party": "cdmo",
         "review_window_days": 7, "due_day": 10}


def test_the_library_adopts_drafts_once(world):
    drafts = services.kpi_definitions_adopt(actor=world.alice, partnership=world.acme_contoso,
                                            keys=[s.key for s in library.STANDARD])
    assert len(drafts) == len(library.STANDARD) == 16
    assert {d.key for d in drafts if d.data_source == "computed"} == \
        {s.key for s in library.STANDARD if s.computable}
    assert {d.status for d in drafts} == {"draft"} and {d.version for d in drafts} == {1}
    again = services.kpi_definitions_adopt(actor=world.alice, partnership=world.acme_contoso,
                                           keys=["on-time-delivery"])
    assert again == []
    for standard in library.STANDARD:  # every standard's thresholds are in a valid order
        KPIDefinition(partnership=world.acme_contoso, author_organization=world.acme,
                      **library.terms_of(standard)).clean()


def test_agreed_only_once_both_leads_signed(world):
    [definition] = services.kpi_definitions_adopt(
        actor=world.alice, partnership=world.acme_contoso, keys=["on-time-delivery"])
    with pytest.raises(ValidationError):  # a draft is not signed
        sign(actor=world.alice, record=definition, event="agreed", meaning="approval",
             password=PASSWORD)
    definition = services.kpi_definition_step(actor=world.alice, definition=definition,
                                              step="submit")
    assert Notification.objects.filter(recipient=world.cole, kind="kpi_definition").exists()
    definition = sign_off(definition, world.alice)
    assert definition.status == "awaiting_signoff"
    with pytest.raises(PermissionDenied):  # a member does not sign
        sign(actor=world.bob, record=definition, event="agreed", meaning="approval",
             password=PASSWORD)
    with pytest.raises(ValidationError):  # Acme has signed this content already
        sign(actor=world.alice, record=definition, event="agreed", meaning="approval",
             password=PASSWORD)
    definition = sign_off(definition, world.cole)
    assert definition.status == "agreed"


def test_revise_keeps_the_agreed_version_in_force_until_the_new_one_is_agreed(world):
    v1 = agreed_kpi(world)
    v2 = services.kpi_definition_revise(actor=world.cole, definition=v1)
    assert (v2.version, v2.status, v2.key, v2.supersedes_id) == (2, "draft", v1.key, v1.pk)
    with pytest.raises(ValidationError):  # one open revision at a time
        services.kpi_definition_revise(actor=world.alice, definition=v1)
    v2 = services.kpi_definition_update(actor=world.cole, definition=v2, target=Decimal(97),
                                        amber_threshold=Decimal(93))
    v2 = services.kpi_definition_step(actor=world.cole, definition=v2, step="submit")
    sign_off(v2, world.cole)
    v1.refresh_from_db()
    assert v1.status == "agreed"  # still in force: Acme has not signed v2
    v2 = sign_off(v2, world.alice)
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.target) == ("superseded", "agreed", Decimal(97))


def test_editing_after_a_signature_needs_going_back_to_draft_with_a_reason(world):
    [definition] = services.kpi_definitions_adopt(
        actor=world.alice, partnership=world.acme_contoso, keys=["capa-on-time"])
    definition = services.kpi_definition_step(actor=world.alice, definition=definition,
                                              step="submit")
    sign_off(definition, world.alice)
    with pytest.raises(ValidationError) as error:  # not a draft
        services.kpi_definition_update(actor=world.alice, definition=definition,
                                       target=Decimal(95))
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.kpi_definition_step(actor=world.cole, definition=definition, step="reopen")
    assert "reason" in error.value.message_dict
    definition = services.kpi_definition_step(actor=world.cole, definition=definition,
                                              step="reopen", reason="Target too low.")
    assert definition.status == "draft"


@pytest.mark.parametrize("direction, target, amber, red", [
    ("higher", 90, 95, 80),  # amber above the target
    ("higher", 90, 80, 85),  # red above amber
    ("lower", 10, 5, 20),  # amber below the target
    ("lower", 10, 20, 15),  # red below amber
])
def test_thresholds_follow_the_direction_and_nothing_is_saved(world, direction, target,
                                                              amber, red):
    before = KPIDefinition.objects.count()
    with pytest.raises(ValidationError) as error:
        services.kpi_definition_create(
            actor=world.alice, partnership=world.acme_contoso,
            **{**TERMS, "direction": direction, "target": Decimal(target),
               "amber_threshold": Decimal(amber), "red_threshold": Decimal(red)})
    assert "amber_threshold" in error.value.message_dict
    assert KPIDefinition.objects.count() == before


def test_rag(world):
    higher = KPIDefinition(direction="higher", target=Decimal(95), amber_threshold=Decimal(90),
                           red_threshold=Decimal(80))
    assert [higher.rag(Decimal(v)) for v in (96, 95, 90, 89, 80, 79)] == [
        "green", "green", "green", "amber", "amber", "red"]
    lower = KPIDefinition(direction="lower", target=Decimal(30), amber_threshold=Decimal(45),
                          red_threshold=Decimal(60))
    assert [lower.rag(Decimal(v)) for v in (10, 45, 46, 60, 61)] == [
        "green", "green", "amber", "amber", "red"]
    assert higher.rag(None) is None


def test_only_leads_draft_and_viewers_write_nothing(world):
    for person in (world.bob, world.vera):
        with pytest.raises(PermissionDenied):
            services.kpi_definition_create(actor=person, partnership=world.acme_contoso,
                                           **TERMS)
    definition = services.kpi_definition_create(actor=world.cole,
                                                partnership=world.acme_contoso, **TERMS)
    assert (definition.key, definition.version, definition.author_party) == ("yield", 1, "cdmo")
    with pytest.raises(ValidationError) as error:  # a key is one series
        services.kpi_definition_create(actor=world.alice, partnership=world.acme_contoso,
                                       **TERMS)
    assert "key" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # a foreign lead: not of this partnership
        services.kpi_definition_step(actor=world.dave, definition=definition, step="submit")
