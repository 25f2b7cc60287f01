"""Reads of KPI values; each starts from the scoped queryset (DESIGN §2). Steering views
read `published()` only: a value under review or disputed never reaches them."""

import datetime
from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement, MeasurementEvidence, MeasurementReview
from partnership.models import Membership, Partnership, User
from partnership.parties.selectors import hold_partnerships
from portal.registries.coming_up import DAYS as COMING_UP_DAYS
from portal.registries.coming_up import Dated
from portal.registries.my_work import Item


def kpi_measurement_list(*, user: User, partnership: Partnership | int | None = None
                         ) -> QuerySet[KPIMeasurement]:
    """KPI values the user may see (of one partnership), with their definition."""
    measurements = KPIMeasurement.objects.visible_to(user).select_related(
        "definition", "partnership__sponsor", "partnership__cdmo", "accepted_by",
        "created_by").defer("definition__search_document")
    return measurements.filter(partnership=partnership) if partnership else measurements


#: The deepest row that newest_first reads per partnership (page 4 of 50): past it, a
#: page reads the list in order as any other does.
NEWEST_FIRST_DEPTH = 200


def newest_first(*, user: User, rows: QuerySet[KPIMeasurement], bottom: int, top: int
                 ) -> list[KPIMeasurement] | None:
    """Rows `bottom`..`top` of `rows` (a kpi_measurement_list, filtered) in the default order,
    newest period first, read partnership by partnership; None past NEWEST_FIRST_DEPTH.

    Why: a large sponsor's lead sees a million values over sixty partnerships, and the
    newest periods overall may be other partnerships' (none of the newest 12,000 values
    of the large set are that lead's): sorting or walking every value took 0.5-2.7 s. The
    first `top` of each visible partnership come from its (partnership, period, id) index
    (one query, a LIMIT per partnership, the same filters as `rows`), the page is sorted
    out of those few ids, and only its rows are read with their joins."""
    if top > NEWEST_FIRST_DEPTH:
        return None
    order = ("-period", "-pk")
    per_partnership = Partnership.objects.visible_to(user).annotate(first=ArraySubquery(
        rows.filter(partnership=OuterRef("pk")).order_by(*order).values("pk")[:top]))
    candidates = [pk for ids in per_partnership.values_list("first", flat=True)
                  for pk in ids or ()]  # NULL when `rows` is empty (a foreign ?partnership=)
    # Sorting the candidates needs no scope (they come from `rows`, the scoped list) nor
    # joins; the page is then read through `rows` again.
    page = list(KPIMeasurement.objects.filter(pk__in=candidates).order_by(*order)
                .values_list("pk", flat=True)[bottom:top])
    return list(rows.filter(pk__in=page).order_by(*order))


def published(*, user: User, partnership: Partnership | int | None = None
              ) -> QuerySet[KPIMeasurement]:
    """Only the published values: what steering views, scorecards and packs read."""
    return kpi_measurement_list(user=user, partnership=partnership).published()


def newest_published(values: QuerySet[KPIMeasurement], *, series: Iterable[tuple[int, str]],
                     last: int) -> QuerySet[KPIMeasurement]:
    """`values` (published values as a user sees them, filtered) narrowed to the newest
    `last` published values of each (partnership id, key) series of `series`.

    Why: numbering every published value of every series with a window function read all of
    them (about 100,000 rows for a sponsor of sixty partnerships) to keep six per series.
    Here each series reads its newest `last` ids from the (partnership, key, status, period)
    index, backwards, a LIMIT per series; the ids only narrow the scoped `values`."""
    series = list(series)
    return values.filter(pk__in=RawSQL(
        "SELECT newest.id FROM unnest(%s::bigint[], %s::text[]) AS series(partnership_id, key)"
        " CROSS JOIN LATERAL (SELECT value.id FROM " + KPIMeasurement._meta.db_table +
        " AS value WHERE value.partnership_id = series.partnership_id"
        " AND value.key = series.key AND value.status = %s"
        " ORDER BY value.period DESC LIMIT %s) AS newest",
        ([partnership for partnership, _ in series], [key for _, key in series],
         KPIMeasurement.Status.PUBLISHED, last)))


def published_of(values: QuerySet[KPIMeasurement], *,
                 periods: Iterable[tuple[int, str, datetime.date]]) -> QuerySet[KPIMeasurement]:
    """`values` (published values as a user sees them, filtered) narrowed to the published
    value of each (partnership id, key, period) of `periods`: one lookup each in the
    (partnership, key, period) unique index, where filtering the values of many partnerships
    by pairs of key and period read all of them."""
    periods = list(periods)
    return values.filter(pk__in=RawSQL(
        "SELECT value.id FROM unnest(%s::bigint[], %s::text[], %s::date[])"
        " AS wanted(partnership_id, key, period) JOIN " + KPIMeasurement._meta.db_table +
        " AS value ON value.partnership_id = wanted.partnership_id"
        " AND value.key = wanted.key AND value.period = wanted.period AND value.status = %s",
        ([partnership for partnership, _, _ in periods], [key for _, key, _ in periods],
         [period for _, _, period in periods], KPIMeasurement.Status.PUBLISHED)))


def kpi_measurement_get(*, user: User, partnership: Partnership, pk: int) -> KPIMeasurement:
    return kpi_measurement_list(user=user, partnership=partnership).get(pk=pk)


def measurements_of(*, user: User, definition: KPIDefinition) -> QuerySet[KPIMeasurement]:
    """The values of the definition's series (every version), newest period first."""
    return kpi_measurement_list(user=user, partnership=definition.partnership_id).filter(
        key=definition.key).order_by("-period", "-pk")


def review_thread(*, user: User, measurement: KPIMeasurement) -> QuerySet[MeasurementReview]:
    return MeasurementReview.objects.visible_to(user).filter(
        measurement=measurement).select_related("author").order_by("created_at", "pk")


def evidence_list(*, user: User, partnership: Partnership | int | None = None
                  ) -> QuerySet[MeasurementEvidence]:
    evidence = MeasurementEvidence.objects.visible_to(user).select_related("uploaded_by")
    return evidence.filter(partnership=partnership) if partnership else evidence


def awaiting(*, user: User, partnership: Partnership) -> dict:
    """What awaits the user on the KPIs page: definitions to sign off (leads), values of
    the other party to review, disputes of the user's party's values to answer, and the
    user's party's values still to share. Four bounded queries."""
    party = partnership.party_of(user)
    role = partnership.role_of(user)
    if party is None:
        return {}
    definitions = KPIDefinition.objects.visible_to(user).filter(partnership=partnership)
    to_sign = []
    if role == "lead":
        from partnership.signatures.models import Signature
        waiting = list(definitions.filter(status=KPIDefinition.Status.AWAITING_SIGNOFF)
                       .defer("search_document"))
        signed = set(Signature.objects.of_model(KPIDefinition).filter(
            object_id__in=[d.pk for d in waiting], party=party,
            event="agreed").values_list("object_id", flat=True))
        to_sign = [d for d in waiting if d.pk not in signed]
    values = kpi_measurement_list(user=user, partnership=partnership)
    other = Partnership.other_party(party)
    return {
        "to_sign": to_sign,
        "to_review": list(values.filter(status=KPIMeasurement.Status.SHARED,
                                        definition__reporting_party=other,
                                        accepted_at__isnull=True,
                                        review_until__gt=timezone.now())[:20]),
        "to_answer": list(values.filter(status=KPIMeasurement.Status.DISPUTED,
                                        definition__reporting_party=party)[:20]),
        "to_share": list(values.filter(Q(status=KPIMeasurement.Status.DRAFT) |
                                       Q(status=KPIMeasurement.Status.SUBMITTED),
                                       definition__reporting_party=party)[:20]),
    }


def measurements_coming_up(*, user: User, partnership: Partnership, exclude, limit: int
                           ) -> list[Dated]:
    """Review windows of values shared for review ending in the next days: "Coming up"."""
    now = timezone.now()
    until = now + datetime.timedelta(days=COMING_UP_DAYS)
    values = KPIMeasurement.objects.visible_to(user).filter(
        partnership=partnership, status=KPIMeasurement.Status.SHARED, review_until__gt=now,
        review_until__lte=until).exclude(pk__in=list(exclude)).select_related(
        "definition").only("partnership_id", "period", "review_until", "definition__name",
                           "definition__frequency").order_by("review_until", "pk")
    return [Dated(value, timezone.localtime(value.review_until).date())
            for value in values[:limit]]


#: The most values of each kind My work lists (the KPIs pages list the rest).
MY_WORK_ROWS = 20


def kpi_my_work(*, user: User) -> list[Item]:
    """My work's rows of KPI values (portal.registries.my_work), across the partnerships
    where the user holds a seat that writes: the other party's values shared for review
    whose window is open, and the user's party's values under dispute, to answer. Two
    queries however many partnerships and values, and one for their partnerships."""
    if not user.is_authenticated:
        return []
    seats = Membership.objects.filter(user=user, role__in=Membership.WRITING_ROLES)
    values = KPIMeasurement.objects.visible_to(user).filter(
        partnership__in=seats.values("partnership_id")).select_related("definition").only(
        "partnership_id", "period", "status", "review_until", "definition__name",
        "definition__frequency").order_by("review_until", "period", "pk")
    organization = user.organization_id
    ours = (Q(definition__reporting_party="sponsor", partnership__sponsor_id=organization) |
            Q(definition__reporting_party="cdmo", partnership__cdmo_id=organization))
    to_review = list(values.filter(status=KPIMeasurement.Status.SHARED,
                                   accepted_at__isnull=True,
                                   review_until__gt=timezone.now()).exclude(ours)[:MY_WORK_ROWS])
    to_answer = list(values.filter(ours, status=KPIMeasurement.Status.DISPUTED)[:MY_WORK_ROWS])
    hold_partnerships([*to_review, *to_answer], user=user)
    return [Item(kind="KPI value", title=str(value), url=value.get_absolute_url(),
                 partnership=str(value.partnership),
                 due=timezone.localdate(value.review_until) if value.review_until else None,
                 status=value.get_status_display(), action="Accept or dispute",
                 action_url=value.get_absolute_url(),
                 note="Review window closes " + timezone.localtime(value.review_until)
                 .strftime("%-d %b %Y %H:%M %Z"))
            for value in to_review] + [
        Item(kind="KPI value", title=str(value), url=value.get_absolute_url(),
             partnership=str(value.partnership), due=None,
             status=value.get_status_display(), action="Answer the dispute",
             action_url=value.get_absolute_url(), note="Disputed")
        for value in to_answer]
