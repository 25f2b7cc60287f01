"""KPI values: the reporting party enters, submits and shares a value; the other party
comments, disputes or accepts it within the review window; a dispute keeps it from
publication until the reporting party corrects it (with a reason) or the disputing party
withdraws it (with words); a lead publishes it under an e-signature once the window has
ended or the value was accepted. Bad input is refused with field errors and nothing saved;
only published values are read by `published()`; the due reminder runs once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.overview.selectors import coming_up
from metrics.kpis import services as kpi_services
from metrics.measurements import selectors, services
from metrics.measurements.models import KPIMeasurement, KPISubmissionReminder
from partnership.models import Membership
from partnership.notifications.models import Notification
from partnership.signatures.services import sign
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.metrics.helpers import LAST_MONTH, add_cast, agreed_kpi, shared_value


@pytest.fixture
def world(saved_world):
    return add_cast(saved_world)


def publish(measurement, signer):
    sign(actor=signer, record=measurement, event="published", meaning="approval",
         password=PASSWORD)
    measurement.refresh_from_db()
    return measurement


def end_window(measurement):
    KPIMeasurement.objects.filter(pk=measurement.pk).update(
        review_until=timezone.now() - datetime.timedelta(minutes=1))
    measurement.refresh_from_db()
    return measurement


def test_dispute_correction_and_publication(world):
    definition = agreed_kpi(world)
    value = shared_value(world, definition)
    assert value.status == "shared" and value.review_until > timezone.now()
    assert Notification.objects.filter(recipient=world.alice, kind="kpi_review").exists()
    with pytest.raises(ValidationError) as error:  # in the window, not accepted
        publish(value, world.cole)
    assert "window" in str(error.value) or "until" in str(error.value)
    with pytest.raises(ValidationError):  # the reporting party does not dispute its own
        services.kpi_measurement_dispute(actor=world.bob, measurement=value, text="No.")
    value = services.kpi_measurement_dispute(
        actor=world.alice, measurement=value, text="Lot 7 was late too: 22 of 25.")
    assert value.status == "disputed"
    assert Notification.objects.filter(recipient=world.cole, kind="kpi_disputed").exists()
    with pytest.raises(ValidationError) as error:
        publish(end_window(value), world.alice)
    assert "disputed" in str(error.value)
    value = services.kpi_measurement_correct(
        actor=world.bob, measurement=value, value=Decimal(88), numerator=Decimal(22),
        denominator=Decimal(25), reason="Lot 7 shipped a day late: agreed.")
    assert (value.status, value.value) == ("shared", Decimal(88))
    assert value.review_until > timezone.now()  # a new window for the corrected value
    value = services.kpi_measurement_accept(actor=world.alice, measurement=value)
    value = publish(value, world.alice)
    assert value.status == "published" and value.published_at
    thread = [(r.kind, r.party) for r in value.reviews.order_by("pk")]
    assert thread == [("dispute", "sponsor"), ("correction", "cdmo"), ("acceptance", "sponsor")]
    assert value.reviews.get(kind="correction").value_before == Decimal(92)
    # One notice of the publication per lead, not the signature's "complete" besides.
    told = Notification.objects.filter(record_id=value.pk, created_at__gte=value.published_at,
                                       recipient=world.cole)
    assert [notice.kind for notice in told] == ["kpi_published"]
    assert list(selectors.published(user=world.alice, partnership=world.acme_contoso)) == [value]


def test_a_withdrawn_dispute_lets_the_value_stand(world):
    value = shared_value(world, agreed_kpi(world))
    value = services.kpi_measurement_dispute(actor=world.alice, measurement=value,
                                             text="Lot 7 late?")
    with pytest.raises(ValidationError) as error:  # words are required
        services.kpi_measurement_withdraw_dispute(actor=world.alice, measurement=value, text=" ")
    assert "text" in error.value.message_dict
    value = services.kpi_measurement_withdraw_dispute(
        actor=world.alice, measurement=value, text="Lot 7 was on time after all.")
    assert (value.status, value.value) == ("shared", Decimal(92))
    value = publish(end_window(value), world.cole)  # a lead of either party publishes
    assert value.status == "published"
    assert selectors.published(user=world.bob, partnership=world.acme_contoso).count() == 1


def test_no_dispute_after_the_window_and_only_published_values_are_read(world):
    value = end_window(shared_value(world, agreed_kpi(world)))
    with pytest.raises(ValidationError):
        services.kpi_measurement_dispute(actor=world.alice, measurement=value, text="Late.")
    assert selectors.published(user=world.alice, partnership=world.acme_contoso).count() == 0


def test_one_value_per_kpi_and_period_across_versions(world):
    v1 = agreed_kpi(world)
    shared_value(world, v1)
    v2 = kpi_services.kpi_definition_revise(actor=world.alice, definition=v1)
    v2 = kpi_services.kpi_definition_step(actor=world.alice, definition=v2, step="submit")
    for lead in (world.alice, world.cole):
        sign(actor=lead, record=v2, event="agreed", meaning="approval", password=PASSWORD)
    v2.refresh_from_db()
    assert v2.status == "agreed"
    with pytest.raises(ValidationError) as error:
        services.kpi_measurement_create(actor=world.bob, definition=v2, period=LAST_MONTH,
                                        value=Decimal(90))
    assert "period" in error.value.message_dict
    with pytest.raises(ValidationError):  # values go under the version in force
        services.kpi_measurement_create(
            actor=world.bob, definition=v1.__class__.objects.get(pk=v1.pk),
            period=LAST_MONTH.replace(year=LAST_MONTH.year - 1), value=Decimal(90))
    assert KPIMeasurement.objects.get(key=v1.key).definition_id == v1.pk  # stays tied to v1


@pytest.mark.parametrize("fields, field", [
    ({"value": Decimal(50), "numerator": Decimal(23), "denominator": Decimal(25)}, "value"),
    ({"value": Decimal(92), "numerator": Decimal(23), "denominator": None}, "denominator"),
    ({"value": Decimal(0), "numerator": Decimal(0), "denominator": Decimal(0)}, "denominator"),
    ({"value": Decimal(92), "period": LAST_MONTH.replace(day=2)}, "period"),
    ({"value": Decimal(92), "period": datetime.date.today().replace(day=1)}, "period"),
])
def test_bad_values_are_refused_and_nothing_is_saved(world, fields, field):
    definition = agreed_kpi(world)
    before = KPIMeasurement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.kpi_measurement_create(actor=world.bob, definition=definition,
                                        **{"period": LAST_MONTH, **fields})
    assert field in error.value.message_dict
    assert KPIMeasurement.objects.count() == before


def test_who_may_do_what(world):
    definition = agreed_kpi(world)
    for person in (world.alice, world.vera):  # not the reporting party; read-only
        with pytest.raises(PermissionDenied):
            services.kpi_measurement_create(actor=person, definition=definition,
                                            period=LAST_MONTH, value=Decimal(90))
    with pytest.raises(PermissionDenied):
        services.kpi_measurement_create(actor=world.dave, definition=definition,
                                        period=LAST_MONTH, value=Decimal(90))
    value = shared_value(world, definition)
    with pytest.raises(PermissionDenied):  # a viewer neither comments nor disputes
        services.kpi_measurement_dispute(actor=world.vera, measurement=value, text="No.")
    with pytest.raises(PermissionDenied):
        services.kpi_measurement_comment(actor=world.vera, measurement=value, text="Hm.")
    services.kpi_measurement_comment(actor=world.alice, measurement=value, text="Thanks.")
    with pytest.raises(PermissionDenied):  # a member does not publish
        publish(end_window(value), world.bob)
    with pytest.raises(ValidationError):  # a shared value is not edited
        services.kpi_measurement_update(actor=world.bob, measurement=value, value=Decimal(1))


def test_the_due_reminder_tells_once(world):
    definition = agreed_kpi(world)
    after_due = timezone.now() + datetime.timedelta(days=40)
    told = services.kpi_due_reminders_send(now=after_due)
    assert told >= 1
    assert services.kpi_due_reminders_send(now=after_due) == 0
    assert KPISubmissionReminder.objects.filter(key=definition.key).count() == 1
    assert Notification.objects.filter(recipient=world.cole, kind="kpi_due",
                                       title__contains=definition.name).count() == 1


def test_the_other_party_reads_a_value_once_shared_and_the_committee_once_published(world):
    """A draft or submitted value is its reporting party's own work; a steering seat reads
    published values only — the value, and its evidence and review thread with it."""
    from partnership.models import Membership
    from tests.factories import MembershipFactory, UserFactory

    stan = UserFactory(email="stan@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=stan,
                      role=Membership.Role.STEERING)
    definition = agreed_kpi(world)

    def readers(measurement) -> set:
        return {person.email for person in (world.alice, world.bob, world.cole, stan)
                if KPIMeasurement.objects.visible_to(person).filter(pk=measurement.pk)}

    value = services.kpi_measurement_create(
        actor=world.bob, definition=definition, period=LAST_MONTH, value=Decimal(92),
        numerator=Decimal(23), denominator=Decimal(25), comment="Two late lots.")
    contoso = {world.bob.email, world.cole.email}
    assert readers(value) == contoso
    value = services.kpi_measurement_submit(actor=world.bob, measurement=value)
    assert readers(value) == contoso
    value = services.kpi_measurement_share(actor=world.bob, measurement=value)
    assert readers(value) == contoso | {world.alice.email}
    value = services.kpi_measurement_dispute(actor=world.alice, measurement=value,
                                             text="Lot 7 was late too.")
    assert readers(value) == contoso | {world.alice.email}
    assert not type(value.reviews.first()).objects.visible_to(stan).exists()
    value = services.kpi_measurement_withdraw_dispute(actor=world.alice, measurement=value,
                                                      text="Our error.")
    value = publish(end_window(value), world.alice)
    assert readers(value) == contoso | {world.alice.email, stan.email}
    assert type(value.reviews.first()).objects.visible_to(stan).count() == 2


def test_a_review_deadline_is_coming_up_for_the_reviewers_not_for_the_steering_seat(world):
    """A value shared for review is the parties' business until it is published: its
    window's end is in Alice's "Coming up", never in a steering member's."""
    steering = UserFactory(email="stella@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=steering,
                      role=Membership.Role.STEERING)
    value = shared_value(world, agreed_kpi(world))

    def dated(user):
        return [item["record"] for item in coming_up(user=user, partnership=world.acme_contoso,
                                                     shown=set())]

    assert value in dated(world.alice)
    assert value not in dated(steering)


def test_a_comment_longer_than_a_page_is_refused_and_nothing_saved(world):
    value = shared_value(world, agreed_kpi(world))
    with pytest.raises(ValidationError) as error:
        services.kpi_measurement_comment(actor=world.alice, measurement=value,
                                         text="x" * (services.WORDS_MAX_LENGTH + 1))
    assert "under 5000 characters" in str(error.value.message_dict["text"])
    assert not value.reviews.exists()


def test_my_work_lists_values_to_review_and_disputes_to_answer(world, login):
    """Alice (Acme) is to review Contoso's shared value; once she disputes it, Bob and Cole
    (Contoso) are to answer; a steering member has nothing of it."""
    value = shared_value(world, agreed_kpi(world))
    page = login(world.alice).get(reverse("governance:my_work")).content.decode()
    assert 'data-kind="KPI value"' in page and value.get_absolute_url() in page
    assert "Accept or dispute" in page
    assert value.get_absolute_url() not in login(world.cole).get(
        reverse("governance:my_work")).content.decode()
    services.kpi_measurement_dispute(actor=world.alice, measurement=value,
                                     text="Lot 7 was on time.")
    page = login(world.cole).get(reverse("governance:my_work")).content.decode()
    assert "Answer the dispute" in page and value.get_absolute_url() in page
    assert value.get_absolute_url() not in login(world.alice).get(
        reverse("governance:my_work")).content.decode()
    steering = UserFactory(email="stella@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=steering,
                      role=Membership.Role.STEERING)
    assert 'data-kind="KPI value"' not in login(steering).get(
        reverse("governance:my_work")).content.decode()
