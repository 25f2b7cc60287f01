"""A contract's reference is unique among the contracts a party sees, and the answer to
"is it taken?" never depends on the other party's internal contracts (DESIGN §2)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.contracts import services
from partnership.models import Contract

TAKEN = "Another contract of this partnership already has this reference."


@pytest.fixture
def secret(world):
    """Acme's internal contract: Contoso must not learn that its reference exists."""
    return services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                    kind="nda", reference="ZZSECRET-C", title="Our own",
                                    is_internal=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_other_partys_internal_reference_answers_like_an_unused_one_in_the_api(
        world, secret):
    client = api(world.bob)
    answers = [client.post("/api/v1/contracts/", {
        "partnership": world.acme_contoso.pk, "kind": "nda", "reference": reference,
        "title": "probe"}, format="json") for reference in ("ZZSECRET-C", "ZZUNUSED-C")]
    assert [answer.status_code for answer in answers] == [201, 201]
    mine = answers[1].json()["id"]
    patched = client.patch(f"/api/v1/contracts/{mine}/", {"reference": "ZZSECRET-X"},
                           format="json")
    assert patched.status_code == 200
    secret.reference = "ZZSECRET-X"
    secret.save()
    patched = client.patch(f"/api/v1/contracts/{mine}/", {"reference": "ZZSECRET-X"},
                           format="json")
    assert patched.status_code == 200  # unchanged, still free as far as Contoso can tell
    # Contoso renames a contract Acme wrote (and shares) onto Acme's internal reference.
    secret.reference = "ZZSECRET-Z"
    secret.save()
    shared = services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                      kind="nda", reference="NDA-SHARED", title="Shared")
    renamed = client.patch(f"/api/v1/contracts/{shared.pk}/", {"reference": "ZZSECRET-Z"},
                           format="json")
    assert renamed.status_code == 200, renamed.json()


def test_the_other_partys_internal_reference_answers_like_an_unused_one_on_the_pages(
        world, login, secret):
    client = login(world.bob)
    create = reverse("partnership:contract_create", args=[world.acme_contoso.pk])
    data = {"kind": "nda", "title": "probe", "renewal_notice_days": 30}
    assert client.post(create, {**data, "reference": "ZZSECRET-C"}).status_code == 302
    assert client.post(create, {**data, "reference": "ZZUNUSED-C"}).status_code == 302
    mine = Contract.objects.get(reference="ZZUNUSED-C")
    edit = reverse("partnership:contract_edit", args=[world.acme_contoso.pk, mine.pk])
    secret.reference = "ZZSECRET-Y"
    secret.save()
    assert client.post(edit, {**data, "reference": "ZZSECRET-Y"}).status_code == 302


def test_references_stay_unique_among_the_contracts_a_party_sees(world, login, secret):
    with pytest.raises(ValidationError) as error:  # its own internal one
        services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                 kind="nda", reference="ZZSECRET-C", title="Again")
    assert error.value.message_dict == {"reference": [TAKEN]}
    shared = services.contract_create(actor=world.bob, partnership=world.acme_contoso,
                                      kind="nda", reference="NDA-77", title="Contoso's")
    for actor, internal in ((world.alice, False), (world.alice, True), (world.bob, True)):
        with pytest.raises(ValidationError) as error:  # a shared one both sides see
            services.contract_create(actor=actor, partnership=world.acme_contoso,
                                     kind="nda", reference="NDA-77", title="Twin",
                                     is_internal=internal)
        assert error.value.message_dict == {"reference": [TAKEN]}
    # Contoso uses Acme's internal reference for a shared contract: Acme, who sees both,
    # can no longer share its own under the same number, and is told why.
    services.contract_create(actor=world.bob, partnership=world.acme_contoso, kind="nda",
                             reference="ZZSECRET-C", title="Contoso's own number")
    with pytest.raises(ValidationError) as error:
        services.contract_update(actor=world.alice, contract=secret, is_internal=False)
    assert error.value.message_dict == {"reference": [TAKEN]}
    page = login(world.alice).post(
        reverse("partnership:contract_edit", args=[world.acme_contoso.pk, shared.pk]),
        {"kind": "nda", "reference": "ZZSECRET-C", "title": "Contoso's",
         "renewal_notice_days": 90})
    assert page.status_code == 200 and page.context["form"].errors["reference"] == [TAKEN]
    answer = api(world.bob).post("/api/v1/contracts/", {
        "partnership": world.acme_contoso.pk, "kind": "nda", "reference": "NDA-77",
        "title": "Twin"}, format="json")
    assert answer.status_code == 400 and answer.json()["reference"] == [TAKEN]
    # A reference is per partnership: the same number elsewhere is no clash.
    services.contract_create(actor=world.alice, partnership=world.acme_labcorp, kind="nda",
                             reference="NDA-77", title="Labcorp's")
