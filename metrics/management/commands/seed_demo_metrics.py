"""Demo KPIs (run by seed_demo_governance; idempotent): in Northwind–Meridian,
Northwind–Aurora and Helix–Meridian the standard set adopted and agreed — each submitted
by the sponsor's lead and e-signed by the leads of both parties (Nora and Mei, Nora and
Ari, Hana and Max). The entered KPIs have 24 months of published values up to last month,
some red and some amber. The computed KPIs (metrics.computed) have the values the portal
works out from the demo's own records (actions, requests, findings, CAPAs, deviations,
lots, contract rounds, deliverables), each linked to the records it counted: published for
every earlier period with something to count, and last month's left as the draft the
nightly job stores, for the reporting party to check and share. In Northwind–Meridian the
complaint rate is at version 2 (its first version superseded; the older values stay tied
to it), last month's on-time delivery is shared for Nora's review, an older on-time
delivery value was disputed by Nora and corrected by Mei, and last month's batch record
review time is disputed and open.

The agreements and the story's values go through the services, signed as their people
would; the published history is written in bulk (values, then their publication
signatures, each bound to its content as the sign service binds it), since publishing
hundreds of values one by one would take minutes. A partnership that already has KPIs is
left as it is.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from governance.management.commands.seed_demo_governance import SCORECARD_REVIEWED
from governance.meetings.models import Meeting
from governance.meetings.services import meeting_record_minutes
from metrics import periods
from metrics.computed.compute import compute
from metrics.computed.models import MeasurementSource
from metrics.computed.services import kpi_value_compute, last_ended_period
from metrics.kpis import library
from metrics.kpis import services as kpi_services
from metrics.kpis.models import KPIDefinition
from metrics.measurements import services
from metrics.measurements.models import KPIMeasurement
from metrics.steering.summary import kpi_summary
from partnership.history.context import recording
from partnership.management.commands.seed_demo import DEMO_REASON, demo_password
from partnership.models import Partnership, Signature, User
from partnership.signatures.declarations import content_hash
from partnership.signatures.services import sign

NM = ("Northwind Biologics", "Meridian Biomanufacturing")
NA = ("Northwind Biologics", "Aurora Analytical Labs")
HM = ("Helix Therapeutics", "Meridian Biomanufacturing")
#: Per partnership: its sponsor's lead and its CDMO's lead.
LEADS = {NM: ("nora@northwind.example", "mei@meridian.example"),
         NA: ("nora@northwind.example", "ari@aurora.example"),
         HM: ("hana@helix.example", "max@meridian.example")}
MONTHS, QUARTERS = 24, 8
#: Periods back from the last one where a value is red or amber (the rest mostly green).
OFF_TARGET = {2: "red", 5: "amber", 9: "amber", 14: "red", 19: "amber"}
#: Northwind–Meridian's story: the revised KPI, and the values left for the demo's people.
REVISED = "complaint-rate"
UNDER_REVIEW, DISPUTED_OPEN = "on-time-delivery", "batch-record-review-time"
RESOLVED, RESOLVED_AGO = "on-time-delivery", 4


def _person(email: str) -> User:
    return User.objects.get(email=email)


def _value(definition: KPIDefinition, back: int, salt: int) -> Decimal:
    """A plausible value: on the good side of the target, or between the thresholds."""
    mood = OFF_TARGET.get((back + salt) % 24)
    target, amber, red = definition.target, definition.amber_threshold, definition.red_threshold
    if mood == "red":
        bound, step = red, red - amber
    elif mood == "amber":
        bound, step = amber, amber - target
    else:
        bound, step = target, target - amber
    wiggle = Decimal((back * 7 + salt * 3) % 5) / 10
    value = bound + step * (Decimal("0.2") + wiggle)
    if definition.is_percentage:
        value = min(value, Decimal(100))
    return max(value, Decimal(0)).quantize(Decimal("0.1"))


def _fractions(definition: KPIDefinition, value: Decimal, back: int) -> dict:
    """Numerator and denominator of a percentage, and the value they give."""
    if not definition.is_percentage:
        return {"value": value}
    denominator = Decimal(18 + back % 9)
    numerator = (value * denominator / 100).quantize(Decimal(1))
    return {"value": (numerator / denominator * 100).quantize(Decimal("0.0001")),
            "numerator": numerator, "denominator": denominator}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _agree(partnership: Partnership, sponsor_lead: User, cdmo_lead: User, keys) -> list:
    password = demo_password()
    drafts = kpi_services.kpi_definitions_adopt(actor=sponsor_lead, partnership=partnership,
                                                keys=keys)
    agreed = []
    for draft in drafts:
        draft = kpi_services.kpi_definition_step(actor=sponsor_lead, definition=draft,
                                                 step="submit")
        for lead in (sponsor_lead, cdmo_lead):
            sign(actor=lead, record=draft, event="agreed", meaning="approval",
                 password=password)
        draft.refresh_from_db()
        agreed.append(draft)
    return agreed


def _revise(definition: KPIDefinition, sponsor_lead: User, cdmo_lead: User) -> KPIDefinition:
    """Version 2 with a tighter target, agreed by both: version 1 is superseded."""
    revision = kpi_services.kpi_definition_revise(actor=cdmo_lead, definition=definition)
    revision = kpi_services.kpi_definition_update(
        actor=cdmo_lead, definition=revision, target=Decimal("0.4"),
        amber_threshold=Decimal("0.8"), red_threshold=Decimal("1.5"))
    revision = kpi_services.kpi_definition_step(actor=cdmo_lead, definition=revision,
                                                step="submit")
    for lead in (cdmo_lead, sponsor_lead):
        sign(actor=lead, record=revision, event="agreed", meaning="approval",
             password=demo_password())
    revision.refresh_from_db()
    return revision


def _history(partnership: Partnership, definitions, leads: dict, *, skip: set,
             versions: dict, salt: int) -> None:
    """Published values of every period up to the last one ended, in bulk, each with the
    signature of the sponsor's lead who published it. Each KPI's off-target periods are
    shifted by its place in the list, so the latest values (the scorecard's tiles) are a mix
    of red, amber and green in every partnership."""
    today = timezone.localdate()
    rows = []
    for position, definition in enumerate(definitions):
        last = periods.previous_period(periods.period_start(today, definition.frequency),
                                       definition.frequency)
        count = MONTHS if definition.frequency == periods.MONTHLY else QUARTERS
        period = last
        for back in range(count):
            if (definition.key, back) not in skip:
                under = versions[definition.key](back) if definition.key in versions \
                    else definition
                reporter = leads[definition.reporting_party]
                rows.append(KPIMeasurement(
                    partnership=partnership, author_organization_id=reporter.organization_id,
                    created_by=reporter, definition=under, key=definition.key, period=period,
                    status=KPIMeasurement.Status.PUBLISHED, **_review_dates(under, period),
                    **_fractions(under, _value(under, back, salt + position), back)))
            period = periods.previous_period(period, definition.frequency)
    _publish(partnership, rows, leads)


def _review_dates(definition: KPIDefinition, period: datetime.date) -> dict:
    """When a value of `period` was shared, its review window, and its publication."""
    shared = periods.due_date(period, definition.frequency, definition.due_day)
    review_until = _at(shared) + datetime.timedelta(days=definition.review_window_days)
    return {"shared_at": _at(shared), "review_until": review_until,
            "published_at": review_until + datetime.timedelta(days=1)}


def _publish(partnership: Partnership, rows: list, leads: dict) -> list:
    """The values `rows` saved, each with the signature of the sponsor's lead who
    published it."""
    created = KPIMeasurement.objects.bulk_create(rows)
    publisher = leads["sponsor"]
    kind = ContentType.objects.get_for_model(KPIMeasurement)
    Signature.objects.bulk_create([Signature(
        partnership=partnership, content_type=kind, object_id=row.pk, event="published",
        meaning="approval", signer=publisher, printed_name=publisher.get_full_name(),
        party="sponsor", organization_name=publisher.organization.name,
        signed_at=row.published_at, content_hash=content_hash(row, "published"))
        for row in created])
    KPIMeasurement.objects.filter(pk__in=[row.pk for row in created]).update(
        created_at=timezone.now() - datetime.timedelta(days=1))
    return created


def _computed(partnership: Partnership, definitions, leads: dict) -> None:
    """The computed KPIs' values from the demo's own records: each earlier period with
    something to count published (with its source links), last month's stored by the
    nightly job's service as a draft of the reporting party."""
    today = timezone.localdate()
    rows, sources = [], []
    for definition in definitions:
        last = last_ended_period(definition, today)
        count = MONTHS if definition.frequency == periods.MONTHLY else QUARTERS
        period = periods.previous_period(last, definition.frequency)
        for _back in range(1, count):
            result = compute(partnership, definition.key, period, definition.frequency)
            if result.value is not None:
                reporter = leads[definition.reporting_party]
                rows.append(KPIMeasurement(
                    partnership=partnership, author_organization_id=reporter.organization_id,
                    definition=definition, key=definition.key, period=period,
                    status=KPIMeasurement.Status.PUBLISHED, value=result.value,
                    numerator=result.numerator, denominator=result.denominator,
                    comment=f"Computed from the portal's records. {result.summary}",
                    **_review_dates(definition, period)))
                sources.append(result.sources)
            period = periods.previous_period(period, definition.frequency)
        try:
            kpi_value_compute(actor=None, definition=definition, period=last)
        except ValidationError:
            pass  # nothing to count last period: no draft
    created = _publish(partnership, rows, leads)
    types = ContentType.objects.get_for_models(*{type(record) for counted in sources
                                                 for record, _label in counted})
    MeasurementSource.objects.bulk_create([
        MeasurementSource(partnership=partnership, measurement=value,
                          content_type=types[type(record)], object_id=record.pk,
                          counted_as=label[:60])
        for value, counted in zip(created, sources, strict=True)
        for record, label in counted])


def _entered(definition: KPIDefinition, reporter: User, period: datetime.date, back: int,
             salt: int = 0) -> KPIMeasurement:
    value = services.kpi_measurement_create(
        actor=reporter, definition=definition, period=period,
        **_fractions(definition, _value(definition, back, salt), back))
    value = services.kpi_measurement_submit(actor=reporter, measurement=value)
    return services.kpi_measurement_share(actor=reporter, measurement=value)


def _story(definitions: dict, nora: User, mei: User) -> None:
    """Northwind–Meridian's values left for the demo's people to act on, and the one whose
    dispute was settled."""
    today = timezone.localdate()
    last = periods.previous_period(periods.period_start(today, periods.MONTHLY),
                                   periods.MONTHLY)
    _entered(definitions[UNDER_REVIEW], mei, last, 0, salt=1)
    disputed = _entered(definitions[DISPUTED_OPEN], mei, last, 0, salt=2)
    services.kpi_measurement_dispute(
        actor=nora, measurement=disputed,
        text="Three of last month's batch records (VLM-DS-24051 to 24053) came to us after "
             "28 days, not 19: the review clock should start at the end of manufacture, not "
             "at QA's receipt.")
    period = last
    for _ in range(RESOLVED_AGO):
        period = periods.previous_period(period, periods.MONTHLY)
    resolved = _entered(definitions[RESOLVED], mei, period, RESOLVED_AGO, salt=3)
    services.kpi_measurement_dispute(
        actor=nora, measurement=resolved,
        text="VLM-DS-24031 left Boston three days after the agreed date (the cold-chain "
             "carrier's slot was missed): it was not on time.")
    resolved = services.kpi_measurement_correct(
        actor=mei, measurement=resolved, value=Decimal("85"), numerator=Decimal(17),
        denominator=Decimal(20),
        reason="Agreed: VLM-DS-24031 was late. 17 of 20 lots were delivered on time.")
    services.kpi_measurement_accept(actor=nora, measurement=resolved,
                                    text="Thank you, accepted as corrected.")
    sign(actor=nora, record=resolved, event="published", meaning="approval",
         password=demo_password())


def seed_metrics() -> None:
    keys = [standard.key for standard in library.STANDARD]
    for salt, (pair, (sponsor_email, cdmo_email)) in enumerate(LEADS.items()):
        partnership = Partnership.objects.get(sponsor__name=pair[0], cdmo__name=pair[1])
        if KPIDefinition.objects.filter(partnership=partnership).exists():
            continue
        sponsor_lead, cdmo_lead = _person(sponsor_email), _person(cdmo_email)
        definitions = {d.key: d for d in _agree(partnership, sponsor_lead, cdmo_lead, keys)}
        leads = {"sponsor": sponsor_lead, "cdmo": cdmo_lead}
        skip, versions = set(), {}
        if pair == NM:
            first = definitions[REVISED]
            definitions[REVISED] = _revise(first, sponsor_lead, cdmo_lead)
            second = definitions[REVISED]
            versions[REVISED] = lambda back, first=first, second=second: \
                second if back < 3 else first
            skip = {(UNDER_REVIEW, 0), (DISPUTED_OPEN, 0), (RESOLVED, RESOLVED_AGO)}
        entered = [d for d in definitions.values()
                   if d.data_source == KPIDefinition.Source.ENTERED]
        _history(partnership, entered, leads, skip=skip, versions=versions, salt=salt)
        _computed(partnership, [d for d in definitions.values() if d not in entered], leads)
        if pair == NM:
            _story(definitions, sponsor_lead, cdmo_lead)


def quote_published_figures() -> None:
    """The held business reviews' minutes quote the portal's own published values of the
    periods before each meeting (metrics.steering.summary), minuted by the sponsor's lead:
    "Scorecard reviewed." becomes "Scorecard reviewed on the published values: …". A rerun
    that finds the same text changes nothing."""
    for pair, (sponsor_email, _cdmo_email) in LEADS.items():
        partnership = Partnership.objects.select_related("sponsor", "cdmo").get(
            sponsor__name=pair[0], cdmo__name=pair[1])
        lead = _person(sponsor_email)
        for meeting in Meeting.objects.filter(
                partnership=partnership, kind=Meeting.Kind.BUSINESS_REVIEW,
                status=Meeting.Status.HELD, minutes__startswith=SCORECARD_REVIEWED):
            summary = kpi_summary(user=lead, partnership=partnership,
                                  before=timezone.localdate(meeting.starts_at))
            if not summary:
                continue
            rest = meeting.minutes.split(". ", 1)[1] if ". " in meeting.minutes else ""
            if rest.startswith("Published values quoted"):
                rest = rest.split(". ", 1)[1] if ". " in rest else ""
            text = f"{SCORECARD_REVIEWED} Published values quoted: {summary}. {rest}".strip()
            if text != meeting.minutes:
                meeting_record_minutes(actor=lead, meeting=meeting, minutes=text,
                                       reason="The scorecard quotes the published values.")


def backdate_creation() -> None:
    """Give the KPIs the creation times they would have had, as seed_demo_governance does
    for its records, so the cockpit's recent activity reads like months of work, not a
    screen of KPIs all made at the seeding: a value some days after its period ended, a
    definition (each version) two weeks before the first period measured under it."""
    now = timezone.now()
    noon = datetime.time(12, 0, tzinfo=datetime.UTC)
    first_period = {}
    for value in KPIMeasurement.objects.select_related("definition").only(
            "pk", "period", "definition__id", "definition__frequency"):
        after = periods.next_period(value.period, value.definition.frequency)
        moment = datetime.datetime.combine(after + datetime.timedelta(days=3 + value.pk % 5),
                                           noon)
        KPIMeasurement.objects.filter(pk=value.pk).update(
            created_at=min(moment, now - datetime.timedelta(hours=3 + value.pk % 20)))
        known = first_period.get(value.definition.pk)
        first_period[value.definition.pk] = min(known or value.period, value.period)
    for definition in KPIDefinition.objects.only("pk"):
        start = first_period.get(definition.pk, (now - datetime.timedelta(days=45)).date())
        moment = datetime.datetime.combine(start - datetime.timedelta(days=14), noon)
        KPIDefinition.objects.filter(pk=definition.pk).update(
            created_at=min(moment, now - datetime.timedelta(days=1)))


class Command(BaseCommand):
    help = "Seed the demo KPIs (idempotent; run by seed_demo_governance)."

    @transaction.atomic
    def handle(self, *args, **options):
        with recording(reason=DEMO_REASON):
            seed_metrics()
            quote_published_figures()
            backdate_creation()
