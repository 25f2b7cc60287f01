"""The dates of negotiation rounds run forward and stop today: otherwise whoever records a
draft decides the other party's turnaround (DESIGN §3's early warnings)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partnership.contracts import selectors, services
from partnership.models import NegotiationRound

DAY = datetime.timedelta(days=1)


def utc_today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def contract(world):
    contract = services.contract_create(actor=world.alice, partnership=world.acme_contoso,
                                        kind="msa", reference="MSA-D", title="Master")
    return services.contract_transition(actor=world.alice, contract=contract,
                                        status="negotiation")


@pytest.fixture
def answered(world, contract):
    """Acme's draft 20 days ago, Contoso's redline 10 days ago, which Acme answered (by
    signing it, say) 5 days ago."""
    today = utc_today()
    services.negotiation_round_add(actor=world.alice, contract=contract,
                                   sent_on=today - 20 * DAY, summary="First draft")
    redline = services.negotiation_round_add(actor=world.bob, contract=contract,
                                             sent_on=today - 10 * DAY, summary="Redline")
    return services.negotiation_round_answer(actor=world.alice, round_=redline,
                                             answered_on=today - 5 * DAY)


def test_a_new_draft_cannot_be_dated_before_the_last_answer(world, login, contract, answered):
    """Backdated to 1990, Acme's draft would make Contoso's answer to it 36 years late."""
    answered_on = utc_today() - 5 * DAY
    for sent_on in (datetime.date(1990, 1, 1), answered_on - DAY, utc_today() - 15 * DAY):
        with pytest.raises(ValidationError) as error:
            services.negotiation_round_add(actor=world.alice, contract=contract,
                                           sent_on=sent_on, summary="Backdated")
        assert error.value.message_dict == {"sent_on": [
            f"A new draft cannot be dated before {answered_on.day} "
            f"{answered_on:%b %Y}, when round 2 was answered."]}
    answer = api(world.alice).post("/api/v1/negotiation-rounds/", {
        "contract": contract.pk, "sent_on": "1990-01-01", "summary": "Backdated"},
        format="json")
    assert answer.status_code == 400 and "sent_on" in answer.json()
    page = login(world.alice).post(
        reverse("partnership:negotiationround_create", args=[contract.partnership_id,
                                                             contract.pk]),
        {"sent_on": "1990-01-01", "summary": "Backdated"})
    assert page.status_code == 200 and "sent_on" in page.context["form"].errors
    assert contract.rounds.count() == 2
    services.negotiation_round_add(actor=world.alice, contract=contract,
                                   sent_on=answered_on, summary="Same day as the answer")
    assert contract.rounds.count() == 3


def test_a_draft_answering_the_other_partys_cannot_come_before_it(world, contract):
    today = utc_today()
    services.negotiation_round_add(actor=world.alice, contract=contract,
                                   sent_on=today - 3 * DAY, summary="First draft")
    with pytest.raises(ValidationError) as error:
        services.negotiation_round_add(actor=world.bob, contract=contract,
                                       sent_on=today - 4 * DAY, summary="Redline")
    assert "sent_on" in error.value.message_dict
    first = contract.rounds.get()
    assert first.answered_on is None


def test_drafts_and_answers_cannot_be_dated_in_the_future(world, login, contract):
    """A draft dated 2100 would also answer the other party's last draft in 2100, block its
    next one and show an early warning of a 27,000-day turnaround."""
    today = utc_today()
    first = services.negotiation_round_add(actor=world.alice, contract=contract,
                                           sent_on=today - 2 * DAY, summary="First draft")
    for sent_on in (datetime.date(2100, 12, 31), today + 2 * DAY):
        with pytest.raises(ValidationError) as error:
            services.negotiation_round_add(actor=world.bob, contract=contract,
                                           sent_on=sent_on, summary="From the future")
        assert error.value.message_dict == {"sent_on": [
            "A draft cannot be dated in the future."]}
    answer = api(world.bob).post("/api/v1/negotiation-rounds/", {
        "contract": contract.pk, "sent_on": "2100-12-31", "summary": "From the future"},
        format="json")
    assert answer.status_code == 400 and "sent_on" in answer.json()
    page = login(world.bob).post(
        reverse("partnership:negotiationround_create", args=[contract.partnership_id,
                                                             contract.pk]),
        {"sent_on": "2100-12-31", "summary": "From the future"})
    assert page.status_code == 200 and "sent_on" in page.context["form"].errors
    first.refresh_from_db()
    assert first.answered_on is None and contract.rounds.count() == 1
    # Contoso dates its answer (without a new draft): not in the future either.
    for answered_on in (datetime.date(2100, 12, 31), today + 2 * DAY):
        with pytest.raises(ValidationError) as error:
            services.negotiation_round_answer(actor=world.bob, round_=first,
                                              answered_on=answered_on)
        assert error.value.message_dict == {"answered_on": [
            "An answer cannot be dated in the future."]}
    patched = api(world.bob).patch(f"/api/v1/negotiation-rounds/{first.pk}/",
                                   {"answered_on": "2100-12-31"}, format="json")
    assert patched.status_code == 400 and "answered_on" in patched.json()
    page = login(world.bob).post(
        reverse("partnership:negotiationround_answer", args=[contract.partnership_id,
                                                             contract.pk, first.pk]),
        {"answered_on": "2100-12-31"})
    assert page.status_code == 200 and "answered_on" in page.context["form"].errors
    first.refresh_from_db()
    assert first.answered_on is None
    # A day of slack: east of UTC, someone's today is already tomorrow in UTC.
    services.negotiation_round_add(actor=world.bob, contract=contract, sent_on=today + DAY,
                                   summary="Redline, sent from Tokyo")
    first.refresh_from_db()
    assert first.answered_on == today + DAY


def test_an_answer_cannot_come_after_the_next_draft(world, contract, answered):
    first = NegotiationRound.objects.get(contract=contract, number=1)
    sent_on = utc_today() - 10 * DAY  # Contoso's redline, which answered the first draft
    with pytest.raises(ValidationError) as error:
        services.negotiation_round_answer(actor=world.bob, round_=first,
                                          answered_on=sent_on + DAY)
    assert error.value.message_dict == {"answered_on": [
        f"The answer cannot come after the next draft, round 2, sent on "
        f"{sent_on.day} {sent_on:%b %Y}."]}
    corrected = services.negotiation_round_answer(actor=world.bob, round_=first,
                                                  answered_on=sent_on - DAY)
    assert corrected.turnaround_days == 9
    with pytest.raises(ValidationError, match="before the draft"):
        services.negotiation_round_answer(actor=world.bob, round_=first,
                                          answered_on=first.sent_on - DAY)
    stats = selectors.negotiation_stats(list(contract.rounds.all()))
    assert stats.median_days == {"cdmo": 9, "sponsor": 5}
