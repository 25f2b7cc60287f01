"""What follows a signature: the other party is told its signature is awaited, everyone who
signs is told once the record is signed, a contract whose executed terms changed is signed
again by both parties (and stays executed), and the signers are told when a change leaves
their signature no longer valid. A signed record changes only with a reason."""

import pytest
from django.core.exceptions import ValidationError

from partnership.contracts import services as contracts
from partnership.contracts.services import EXECUTED_REASON
from partnership.history.tracking import event_model
from partnership.models import Contract, Notification, Signature
from partnership.signatures.services import sign
from tests.factories import PASSWORD


def kinds_of(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user, kind__startswith="signature_")
                .order_by("pk").values_list("kind", "title"))


def execute(world, contract, lead):
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    sign(actor=lead, record=contract, event="executed", meaning="responsibility",
         password=PASSWORD)
    contract.refresh_from_db()
    return contract


def test_the_other_party_is_told_its_signature_is_awaited(world, contract, contoso_lead):
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    assert kinds_of(contoso_lead) == [
        ("signature_awaited",
         "Your signature is awaited: contract executed, MSA-S Signed agreement")]
    assert kinds_of(world.alice) == []  # never told of one's own act
    assert kinds_of(world.bob) == []  # a member does not sign a contract
    assert kinds_of(world.carol) == [] and kinds_of(world.dave) == []  # other tenant


def test_both_parties_are_told_once_executed(world, contract, contoso_lead):
    execute(world, contract, contoso_lead)
    assert contract.status == "executed"
    assert ("signature_complete", "Contract executed: MSA-S Signed agreement") in \
        kinds_of(world.alice)
    assert [kind for kind, _ in kinds_of(contoso_lead)] == ["signature_awaited"]  # own act
    # Having signed, the lead has done what it asked: it no longer waits in the bell.
    assert not Notification.objects.filter(recipient=contoso_lead, read_at__isnull=True,
                                           kind="signature_awaited").exists()
    # The step to executed is recorded with the signatures as its reason.
    last = event_model(Contract).objects.filter(pgh_obj_id=contract.pk).order_by(
        "-pgh_id").first()
    assert last.status == "executed" and last.pgh_context["reason"] == EXECUTED_REASON


def test_a_signed_record_changes_only_with_a_reason(world, contract):
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    with pytest.raises(ValidationError, match="say why you change it"):
        contracts.contract_update(actor=world.alice, contract=contract, title="Other")
    saved = Contract.objects.get(pk=contract.pk)
    saved.title = "Changed by code that is no service"
    with pytest.raises(ValidationError, match="say why you change it"):
        saved.save()  # any door, not only the services


def test_changed_executed_terms_are_signed_again_by_both(world, login, contract,
                                                        contoso_lead):
    execute(world, contract, contoso_lead)
    contracts.contract_update(actor=world.alice, contract=contract, title="Amended terms",
                              reason="Amendment 1 renamed the product")
    contract.refresh_from_db()
    assert contract.status == "executed"
    told = [(kind, title) for kind, title in kinds_of(contoso_lead)
            if kind == "signature_invalidated"]
    assert told == [("signature_invalidated", "Changed after signing: MSA-S Amended terms")]
    body = Notification.objects.get(recipient=contoso_lead, kind="signature_invalidated").body
    assert "Reason given: Amendment 1 renamed the product" in body
    page = login(contoso_lead).get(contract.get_absolute_url()).content.decode()
    assert "Sign: contract executed" in page
    sign(actor=world.alice, record=contract, event="executed", meaning="approval",
         password=PASSWORD)
    with pytest.raises(ValidationError, match="already signed"):
        sign(actor=world.alice, record=contract, event="executed", meaning="approval",
             password=PASSWORD)
    sign(actor=contoso_lead, record=contract, event="executed", meaning="responsibility",
         password=PASSWORD)
    contract.refresh_from_db()
    assert contract.status == "executed"
    assert Signature.objects.of(contract).count() == 4
    # Signed by both for the content it has now: nothing more to sign.
    with pytest.raises(ValidationError, match="signed by both parties for its current"):
        sign(actor=contoso_lead, record=contract, event="executed",
             meaning="responsibility", password=PASSWORD)
    # A change of the signed content tells them again; a save that changes none of it
    # (the title as it is) tells nobody.
    count = Notification.objects.filter(kind="signature_invalidated").count()
    contracts.contract_update(actor=world.alice, contract=contract, renewal_notice_days=45,
                              reason="Notice period agreed in amendment 1")
    after = Notification.objects.filter(kind="signature_invalidated").count()
    assert after > count
    contracts.contract_update(actor=world.alice, contract=contract, title="Amended terms",
                              reason="Saved again")
    assert Notification.objects.filter(kind="signature_invalidated").count() == after
