"""The scale data set's KPIs (run by seed_scale_governance, in seed_scale's transaction and
with its loader; partnership.scale says how).

Each partnership has adopted the standard set (metrics.kpis.library) and as many KPIs of its
own (entered monthly, "custom-NN") as the size's measurement count needs, every one agreed
and e-signed by both leads two weeks after the partnership began. The entered KPIs have a
value for every month (quarter) since: published and signed by the sponsor's lead (in two
INSERT … SELECT statements, HISTORY_SQL and SIGNATURES_SQL: a million values in seconds),
the last ended period's spread over the workflow (draft, submitted, shared for review,
disputed, published). The computed KPIs' values are the portal's own: earlier periods
(`computed_periods` of the size) worked out by the same `compute` the nightly job calls and
published with their source links, as seed_demo_metrics does; the last ended period by the
nightly job itself (computed_kpis_compute: a draft and its claim per KPI) at the sizes that
say `nightly_job` — not at `large`, where it would take minutes and where the benchmark of
the sweeps (make bench) wants that night's work still to do. So the scorecard and the
steering pages read values provably equal to the records (tests/perf/test_seed_scale.py).
"""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from metrics import periods
from metrics.computed.compute import compute
from metrics.computed.models import MeasurementSource
from metrics.computed.services import computed_kpis_compute
from metrics.kpis import library
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement, MeasurementReview
from partnership import scale
from partnership.models import Membership, Partnership, Signature, User
from partnership.signatures.declarations import canonical_json, content_hash, record_label

CUSTOM = [("Batch yield against the process description", "%", "higher", 95, 90, 85),
          ("Schedule adherence", "%", "higher", 95, 90, 80),
          ("Invoice accuracy", "%", "higher", 98, 95, 90),
          ("Document turnaround", "days", "lower", 5, 8, 12),
          ("Environmental monitoring excursions", "count", "lower", 2, 4, 8),
          ("Sample shipments on time", "%", "higher", 95, 90, 85)]
MOODS = {"green": 75, "amber": 15, "red": 10}
HUNDRED = Decimal(100)
FOUR = Decimal("0.0001")  # the places KPIMeasurement's decimals are stored with
LAST_PERIOD = ["draft", "submitted", "shared", "disputed", "shared", "published"]


def level(r, d: KPIDefinition, mood: str) -> float:
    """A value on the green, amber or red side of the definition's thresholds."""
    target, amber, red = float(d.target), float(d.amber_threshold), float(d.red_threshold)
    if d.direction == "higher":
        bands = {"green": (target, max(target, min(100.0, target * 1.05))),
                 "amber": (amber, target), "red": (red * 0.9, amber)}
    else:
        bands = {"green": (target * 0.5, target), "amber": (target, amber),
                 "red": (amber, red * 1.2)}
    low, high = bands[mood]
    return r.uniform(low, high)


def value_of(r, d: KPIDefinition) -> dict:
    x = level(r, d, scale.weighted(r, MOODS))
    if d.unit.strip() == "%":
        denominator = r.randint(12, 30)
        numerator = max(0, min(denominator, round(x / 100 * denominator)))
        return {"value": (Decimal(numerator) / denominator * HUNDRED).quantize(FOUR),
                "numerator": Decimal(numerator).quantize(FOUR),
                "denominator": Decimal(denominator).quantize(FOUR)}
    return {"value": Decimal(str(max(0.0, x))).quantize(Decimal("0.1")).quantize(FOUR),
            "numerator": None, "denominator": None}


def as_stored(record):
    """The record with its decimals as the database returns them (to their places), so a
    signature's content hash is the one a later check recomputes from the row."""
    for field in type(record)._meta.concrete_fields:
        if not isinstance(field, models.DecimalField):
            continue
        value = getattr(record, field.attname)
        if value is not None:
            setattr(record, field.attname, Decimal(value).quantize(
                Decimal(10) ** -field.decimal_places))
    return record


def published_hash(pk: int, row: dict) -> str:
    """content_hash(value, "published") of the value loaded as `row` (a generated value has
    no evidence), without an instance or its query for the evidence: the same canonical
    content (the test compares the two)."""
    content = {"record": record_label(KPIMeasurement), "id": pk, "event": "published",
               "fields": {"definition": row["definition_id"],
                          "period": row["period"].isoformat(),
                          **{name: None if row[name] is None else str(row[name])
                             for name in ("value", "numerator", "denominator")}},
               "children": {"evidence": []}}
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)

#: Each entered KPI's published history (every period since it was agreed but the last
#: ended one, which `values` spreads over the workflow), in one statement: a million rows
#: a few seconds instead of minutes of Python. The same bands as `level` and `value_of`,
#: drawn from hashes of (definition, period) rather than a random stream, so the rows are
#: the same whatever the plan's order.
HISTORY_SQL = """
WITH leads AS (
    SELECT DISTINCT ON (s.partnership_id, u.organization_id) s.partnership_id,
           u.organization_id, u.id AS user_id
    FROM partnership_membership s JOIN partnership_user u ON u.id = s.user_id
    WHERE s.role = 'lead' ORDER BY s.partnership_id, u.organization_id, s.id),
defs AS (
    SELECT d.*, rl.user_id AS reporter, rl.organization_id AS reporter_org,
           d.target::float8 AS t, d.amber_threshold::float8 AS a,
           d.red_threshold::float8 AS r, trim(d.unit) = '%%' AS pct,
           CASE d.frequency WHEN 'monthly' THEN interval '1 month'
                ELSE interval '3 months' END AS step,
           date_trunc(CASE d.frequency WHEN 'monthly' THEN 'month' ELSE 'quarter' END,
                      d.created_at AT TIME ZONE 'UTC')::date AS agreed_start,
           date_trunc(CASE d.frequency WHEN 'monthly' THEN 'month' ELSE 'quarter' END,
                      %(today)s::timestamp)::date AS this_start
    FROM metrics_kpidefinition d JOIN partnership_partnership p ON p.id = d.partnership_id
    JOIN leads rl ON rl.partnership_id = d.partnership_id AND rl.organization_id =
         CASE d.reporting_party WHEN 'sponsor' THEN p.sponsor_id ELSE p.cdmo_id END
    WHERE d.id >= %(first_definition)s AND d.data_source = 'entered'),
drawn AS (
    SELECT defs.*, g::date AS period,
           ('x' || substr(md5(defs.id || ':' || g::date || ':mood'), 1, 7))::bit(28)::int
               %% 100 AS mood,
           (('x' || substr(md5(defs.id || ':' || g::date || ':band'), 1, 7))::bit(28)::int
               %% 1000) / 1000.0 AS frac,
           12 + ('x' || substr(md5(defs.id || ':' || g::date || ':of'), 1, 7))::bit(28)::int
               %% 19 AS den
    FROM defs, generate_series(agreed_start + step, this_start - 2 * step, step) g),
levelled AS (
    SELECT drawn.*, CASE WHEN direction = 'higher' THEN CASE
               WHEN mood < 75 THEN t + (greatest(t, least(100, t * 1.05)) - t) * frac
               WHEN mood < 90 THEN a + (t - a) * frac
               ELSE r * 0.9 + (a - r * 0.9) * frac END
           ELSE CASE
               WHEN mood < 75 THEN t * 0.5 + (t - t * 0.5) * frac
               WHEN mood < 90 THEN t + (a - t) * frac
               ELSE a + (r * 1.2 - a) * frac END END AS lvl
    FROM drawn),
valued AS (
    SELECT levelled.*,
           CASE WHEN pct THEN greatest(0, least(den, round(lvl / 100 * den)))::numeric END
               AS num,
           ((period + step)::date + (due_day - 1))::timestamp AT TIME ZONE 'UTC'
               + interval '10 hours' AS shared
    FROM levelled)
INSERT INTO metrics_kpimeasurement (id, partnership_id, is_internal, author_organization_id,
    created_by_id, created_at, updated_at, definition_id, key, period, value, numerator,
    denominator, comment, status, shared_at, review_until, accepted_at, accepted_by_id,
    published_at)
SELECT %(first_id)s - 1 + row_number() OVER (ORDER BY id, period), partnership_id, false,
       reporter_org, reporter,
       least((period + step)::date::timestamp AT TIME ZONE 'UTC' + interval '3 days 10 hours',
             %(now)s - interval '3 hours'),
       shared + review_window_days * interval '1 day' + interval '1 day', id, key, period,
       CASE WHEN pct THEN round(num / den * 100, 4)
            ELSE round(greatest(0, lvl)::numeric, 1) END,
       num, CASE WHEN pct THEN den END, '', 'published', shared,
       shared + review_window_days * interval '1 day', NULL, NULL,
       shared + review_window_days * interval '1 day' + interval '1 day'
FROM valued
"""

#: Their signatures: the sponsor's lead published each (its hash that of
#: partnership.signatures.declarations.content_hash, as `published_hash` makes it).
SIGNATURES_SQL = """
WITH leads AS (
    SELECT DISTINCT ON (s.partnership_id) s.partnership_id, u.id,
           trim(u.first_name || ' ' || u.last_name) AS name
    FROM partnership_membership s JOIN partnership_user u ON u.id = s.user_id
    JOIN partnership_partnership p ON p.id = s.partnership_id
    WHERE s.role = 'lead' AND u.organization_id = p.sponsor_id
    ORDER BY s.partnership_id, s.id)
INSERT INTO partnership_signature (id, partnership_id, content_type_id, object_id, event,
    meaning, signer_id, printed_name, party, organization_name, signed_at, content_hash)
SELECT %(first_id)s - 1 + row_number() OVER (ORDER BY m.id), m.partnership_id,
       %(content_type)s, m.id, 'published', 'approval', l.id, l.name, 'sponsor', o.name,
       m.published_at, encode(sha256(convert_to(
           '{"children":{"evidence":[]},"event":"published","fields":{"definition":'
           || m.definition_id || ',"denominator":'
           || coalesce('"' || m.denominator::text || '"', 'null') || ',"numerator":'
           || coalesce('"' || m.numerator::text || '"', 'null') || ',"period":"'
           || m.period::text || '","value":"' || m.value::text || '"},"id":' || m.id
           || ',"record":"metrics.kpimeasurement"}', 'UTF8')), 'hex')
FROM metrics_kpimeasurement m JOIN leads l ON l.partnership_id = m.partnership_id
JOIN partnership_partnership p ON p.id = m.partnership_id
JOIN partnership_organization o ON o.id = p.sponsor_id
WHERE m.id BETWEEN %(first)s AND %(last)s
"""


class Command(scale.PartCommand):
    help = "The scale data set's KPIs (run by seed_scale_governance)."

    def handle(self, *args, size, loader, timer, **options):
        self.c, self.loader = scale.SIZES[size], loader
        with timer.part("KPI definitions and entered values"):
            self.entered()
            loader.flush()
        with timer.part("computed KPI history (compute)"):
            self.computed_history()
            loader.flush()
        if self.c["nightly_job"]:
            with timer.part("computed KPIs: the nightly job"):
                # Its writes take ids from the sequences, after the loaded ones.
                computed_kpis_compute(now=scale.anchor())

    def entered(self) -> None:
        r = scale.rng("kpis")
        self.types = {"agreed": ContentType.objects.get_for_model(KPIDefinition).pk,
                      "published": ContentType.objects.get_for_model(KPIMeasurement).pk}
        partnerships = list(Partnership.objects.order_by("pk").select_related("sponsor",
                                                                              "cdmo"))
        leads = {}
        for seat in Membership.objects.filter(role="lead").select_related("user").order_by(
                "pk"):
            leads.setdefault(seat.partnership_id, {})[
                "sponsor" if seat.user.organization_id == next(
                    p.sponsor_id for p in partnerships if p.pk == seat.partnership_id)
                else "cdmo"] = seat.user
        months = 12 * scale.YEARS
        standard_entered = [s for s in library.STANDARD if not s.computable]
        per_partnership = self.c["measurements"] / len(partnerships)
        custom = max(0, round(per_partnership / months) - len(standard_entered))
        self.definitions = []
        first_definition = self.loader[KPIDefinition].next
        for p in partnerships:
            lead = leads[p.pk]
            agreed_on = p.created_at + datetime.timedelta(days=14)
            terms = [library.terms_of(s) for s in library.STANDARD] + [
                {"key": f"custom-{k + 1:02d}", "name": f"{name} ({k + 1})",
                 "formula": "As agreed in the quality agreement's annex.", "unit": unit,
                 "direction": direction, "target": Decimal(t), "amber_threshold": Decimal(a),
                 "red_threshold": Decimal(red), "frequency": "monthly",
                 "data_source": "entered", "reporting_party": "cdmo"}
                for k, (name, unit, direction, t, a, red) in
                ((k, CUSTOM[k % len(CUSTOM)]) for k in range(custom))]
            for fields in terms:
                d = KPIDefinition(partnership_id=p.pk, author_organization_id=p.sponsor_id,
                                  created_by_id=lead["sponsor"].pk, created_at=agreed_on,
                                  updated_at=agreed_on, status="agreed", version=1,
                                  **fields)
                as_stored(d)
                d.pk = self.loader[KPIDefinition].add(**self.columns(d))
                for party, meaning in (("sponsor", "approval"), ("cdmo", "approval")):
                    self.sign(p, d.pk, "agreed", lead[party], party, agreed_on
                              + datetime.timedelta(days=1 if party == "sponsor" else 2),
                              content=content_hash(d, "agreed"), meaning=meaning)
                self.definitions.append((p, d, lead))
        self.history(first_definition)
        for p, d, lead in self.definitions:
            if d.data_source == "entered":
                self.values(r, p, d, lead[d.reporting_party], lead)

    def history(self, first_definition: int) -> None:
        """The entered KPIs' published values and their signatures (HISTORY_SQL)."""
        self.loader.flush()
        values, signatures = self.loader[KPIMeasurement], self.loader[Signature]
        with connection.cursor() as cursor:
            first = values.next
            cursor.execute(HISTORY_SQL, {"today": scale.today(), "now": scale.anchor(),
                                         "first_definition": first_definition,
                                         "first_id": first})
            values.reserve(cursor.rowcount)
            values.written()
            cursor.execute(SIGNATURES_SQL, {"first_id": signatures.next, "first": first,
                                            "last": values.next - 1,
                                            "content_type": self.types["published"]})
            signatures.reserve(cursor.rowcount)
            signatures.written()

    def values(self, r, p, d, reporter, lead) -> None:
        """The last ended period's value, somewhere in its workflow."""
        period = periods.previous_period(periods.period_start(scale.today(), d.frequency),
                                         d.frequency)
        if period <= d.created_at.date():
            return  # agreed after it began
        shared = at(periods.due_date(period, d.frequency, d.due_day))
        # In turn (every status even in a small set): drafts, submitted, shared, disputed.
        self.turn = getattr(self, "turn", -1) + 1
        status = LAST_PERIOD[self.turn % len(LAST_PERIOD)]
        if status == "published" and shared + datetime.timedelta(
                days=d.review_window_days + 1) > scale.anchor():
            status = "shared"  # its review window is still open
        f = {"shared_at": None, "review_until": None, "published_at": None}
        if status in ("shared", "disputed", "published"):
            f["shared_at"] = min(shared, scale.anchor() - datetime.timedelta(hours=6))
            f["review_until"] = f["shared_at"] + datetime.timedelta(days=d.review_window_days)
        if status == "published":
            f["published_at"] = f["review_until"] + datetime.timedelta(days=1)
        created = min(at(periods.next_period(period, d.frequency)) + datetime.timedelta(
            days=3), scale.anchor() - datetime.timedelta(hours=8))
        row = {"partnership_id": p.pk, "author_organization_id": reporter.organization_id,
               "created_by_id": reporter.pk, "created_at": created,
               "updated_at": f["published_at"] or f["shared_at"] or created,
               "definition_id": d.pk, "key": d.key, "period": period, "status": status,
               **f, **value_of(r, d)}
        pk = self.loader[KPIMeasurement].add(**row)
        if status == "published":
            self.sign(p, pk, "published", lead["sponsor"], "sponsor", f["published_at"],
                      content=published_hash(pk, row))
        if status == "disputed":
            other = "sponsor" if d.reporting_party == "cdmo" else "cdmo"
            self.loader[MeasurementReview].add(
                partnership_id=p.pk, measurement_id=pk, kind="dispute",
                text="The figure does not match our records for the period.",
                author_id=lead[other].pk, party=other,
                created_at=min(f["shared_at"] + datetime.timedelta(days=2),
                               scale.anchor() - datetime.timedelta(hours=1)))

    @staticmethod
    def columns(m) -> dict:
        return {f.column: getattr(m, f.attname) for f in type(m)._meta.concrete_fields
                if f.attname != "id" and not f.generated}

    def sign(self, p, pk, event, signer: User, party, when, *, content: str,
             meaning="approval"):
        """The signature of `signer` on the record `pk` (its content hash `content`)."""
        self.loader[Signature].add(
            partnership_id=p.pk, content_type_id=self.types[event], object_id=pk,
            event=event, meaning=meaning, signer_id=signer.pk,
            printed_name=signer.get_full_name(), party=party,
            organization_name=p.sponsor.name if party == "sponsor" else p.cdmo.name,
            signed_at=when, content_hash=content)

    def computed_history(self) -> None:
        """The computed KPIs' earlier periods, from the records (as seed_demo_metrics)."""
        self.loader.flush()  # compute reads the loaded records
        types = {}
        for p, d, lead in self.definitions:
            if d.data_source != "computed":
                continue
            last = periods.previous_period(periods.period_start(scale.today(), d.frequency),
                                           d.frequency)
            period = last
            for _back in range(self.c["computed_periods"]):
                period = periods.previous_period(period, d.frequency)
                result = compute(p, d.key, period, d.frequency)
                if result.value is None:
                    continue
                shared = at(periods.due_date(period, d.frequency, d.due_day))
                review_until = shared + datetime.timedelta(days=d.review_window_days)
                published = review_until + datetime.timedelta(days=1)
                reporter = lead[d.reporting_party]
                row = {"partnership_id": p.pk,
                       "author_organization_id": reporter.organization_id,
                       "created_by_id": None, "created_at": shared, "updated_at": published,
                       "definition_id": d.pk, "key": d.key, "period": period,
                       "status": "published", "shared_at": shared,
                       "review_until": review_until, "published_at": published,
                       "comment": f"Computed from the portal's records. {result.summary}",
                       **{name: None if getattr(result, name) is None else
                          Decimal(getattr(result, name)).quantize(FOUR)
                          for name in ("value", "numerator", "denominator")}}
                pk = self.loader[KPIMeasurement].add(**row)
                self.sign(p, pk, "published", lead["sponsor"], "sponsor", published,
                          content=published_hash(pk, row))
                for record, counted_as in result.sources:
                    kind = types.setdefault(type(record),
                                            ContentType.objects.get_for_model(record).pk)
                    self.loader[MeasurementSource].add(
                        partnership_id=p.pk, measurement_id=pk, content_type_id=kind,
                        object_id=record.pk, counted_as=counted_as[:60])
