"""The sponsor's portfolio, the CDMO's view of its own performance and a partnership's
relationship health: ranking and red / amber / green from published values only, who sees
which partnerships (a sponsor never another sponsor's; a CDMO person seated in one
partnership only that one), the CDMO's aggregates checked against the sponsors' own
figures, the API beside the pages, and a fixed number of queries however much data."""

import datetime
import statistics
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Request, SurveyResponse
from metrics.kpis.models import KPIDefinition
from metrics.measurements.models import KPIMeasurement
from metrics.portfolio import selectors
from metrics.portfolio.health import quarters_back
from partnership.models import Membership
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory
from tests.partnership.test_api import api

PORTFOLIO = reverse("metrics:portfolio")
RANKING = reverse("metrics:portfolio_kpi", args=["delivery"])
PARTNERS = reverse("metrics:portfolio_partners")
PERFORMANCE = reverse("metrics:cdmo_performance")
NOV, DEC = datetime.date(2025, 11, 1), datetime.date(2025, 12, 1)


@pytest.fixture
def world(saved_world):
    return saved_world


def kpi(partnership, key="delivery", direction="higher", target=95, amber=90, red=80):
    """The partnership's agreed definition of `key` (the world's on-time delivery, or a
    new one)."""
    found = KPIDefinition.objects.filter(partnership=partnership, key=key,
                                         status="agreed").first()
    if found:
        return found
    return KPIDefinition.objects.create(
        partnership=partnership, author_organization=partnership.sponsor, key=key,
        name=f"{key} of {partnership}", formula="As agreed.", unit="days"
        if direction == "lower" else "%", direction=direction, target=target,
        amber_threshold=amber, red_threshold=red, reporting_party="cdmo", status="agreed")


def publish(definition, period, value, status="published"):
    return KPIMeasurement.objects.create(
        partnership=definition.partnership, author_organization=definition.partnership.cdmo,
        definition=definition, key=definition.key, period=period, value=Decimal(value),
        status=status, published_at=timezone.now() if status == "published" else None)


def table(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</section>")[0]


# --- The sponsor's portfolio -----------------------------------------------------------

def test_partners_are_ranked_best_first_in_each_kpis_direction(world, login):
    contoso, labcorp = kpi(world.acme_contoso), kpi(world.acme_labcorp)
    publish(contoso, NOV, 85), publish(contoso, DEC, 93)  # green, better
    publish(labcorp, NOV, 97), publish(labcorp, DEC, 75)  # red, worse
    closure_c = kpi(world.acme_contoso, "deviation-closure-time", "lower", 30, 45, 60)
    closure_l = kpi(world.acme_labcorp, "deviation-closure-time", "lower", 30, 45, 60)
    publish(closure_c, DEC, 50), publish(closure_l, DEC, 20)
    kpis = {row.key: row for row in selectors.portfolio_kpis(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))}
    delivery = kpis["delivery"].rows
    assert [(r.partnership, r.rank, r.latest.value, r.latest_rag) for r in delivery] == [
        (world.acme_contoso, 1, 93, "green"), (world.acme_labcorp, 2, 75, "red")]
    assert [r.previous.value for r in delivery] == [85, 97]
    closure = kpis["deviation-closure-time"]
    assert closure.name == "Deviation closure time" and closure.direction == "lower"
    assert [(r.partnership, r.rank, r.latest_rag) for r in closure.rows] == [
        (world.acme_labcorp, 1, "green"), (world.acme_contoso, 2, "amber")]
    page = login(world.alice).get(PORTFOLIO).content.decode()
    card = page.split('data-kpi="delivery"')[1].split("</table>")[0]
    assert card.index("Contoso CDMO") < card.index("Labcorp Testing")
    assert 'data-rag="green"' in card and 'data-rag="red"' in card
    assert 'data-trend="better"' in card and 'data-trend="worse"' in card
    assert card.count("<polyline") == 2  # each partner has two published values
    assert "Boston" in card and "Milan" in card  # each partner's sites
    rows = api(world.alice).get("/api/v1/portfolio/").json()["results"]
    best = next(row for row in rows if row["key"] == "delivery" and row["rank"] == 1)
    assert (best["partnership"], best["cdmo"], best["value"], best["previous_value"],
            best["rag"], best["ranked_among"]) == (
        world.acme_contoso.pk, "Contoso CDMO", "93.0000", "85.0000", "green", 2)
    assert api(world.alice).get(f"/api/v1/portfolio/{best['id']}/").json() == best


def test_equal_values_share_a_rank_and_a_partner_without_one_comes_last(world):
    publish(kpi(world.acme_contoso), DEC, 91)
    publish(kpi(world.acme_labcorp), DEC, 91)
    third = PartnershipFactory(sponsor=world.acme, cdmo=OrganizationFactory(
        name="Third CDMO", kind="cdmo"))
    MembershipFactory(partnership=third, user=world.alice, role=Membership.Role.LEAD)
    kpi(third)
    [delivery] = selectors.portfolio_kpis(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))
    assert [(row.partnership, row.rank) for row in delivery.rows] == [
        (world.acme_contoso, 1), (world.acme_labcorp, 1), (third, None)]


def test_partners_are_ranked_on_the_values_of_one_common_period(world, login):
    """Contoso has published December, Labcorp not yet: both are ranked on November (the
    latest period both published), never Contoso's December beside Labcorp's November;
    values read rounded."""
    contoso, labcorp = kpi(world.acme_contoso), kpi(world.acme_labcorp)
    publish(contoso, NOV, "80.5"), publish(contoso, DEC, "99.1234")
    publish(labcorp, NOV, "91.6667")
    [delivery] = selectors.portfolio_kpis(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))
    assert (delivery.period, delivery.label, delivery.ranked_count) == (NOV, "Nov 2025", 2)
    assert [(r.partnership, r.rank, r.ranked.value, r.latest.period) for r in delivery.rows] \
        == [(world.acme_labcorp, 1, Decimal("91.6667"), NOV),
            (world.acme_contoso, 2, Decimal("80.5"), DEC)]
    page = login(world.alice).get(PORTFOLIO).content.decode()
    card = page.split('data-kpi="delivery"')[1].split("</table>")[0]
    assert "Ranked on the values of <strong>Nov 2025</strong>" in card
    assert "91.67 %" in card and "99.12 %" in card and "91.6667" not in card
    # The red / amber / green beside the ranked value is that value's (Contoso's November,
    # amber), not the latest's (December, green): the summary counts the same.
    contoso_row = card.split(f'data-partnership="{world.acme_contoso.pk}"')[1].split("</tr>")[0]
    assert 'data-rag="amber"' in contoso_row and 'data-rag="green"' not in contoso_row
    rows = api(world.alice).get("/api/v1/portfolio/").json()["results"]
    assert {(row["partnership"], row["ranked_period"], row["ranked_value"], row["rank"])
            for row in rows if row["key"] == "delivery"} == {
        (world.acme_labcorp.pk, "2025-11-01", "91.6667", 1),
        (world.acme_contoso.pk, "2025-11-01", "80.5000", 2)}


def test_a_partner_without_a_value_of_the_ranked_period_is_not_ranked(world):
    third = PartnershipFactory(sponsor=world.acme, cdmo=OrganizationFactory(
        name="Third CDMO", kind="cdmo"))
    MembershipFactory(partnership=third, user=world.alice, role=Membership.Role.LEAD)
    publish(kpi(world.acme_contoso), DEC, 90), publish(kpi(world.acme_labcorp), DEC, 95)
    publish(kpi(third), NOV, 99)
    [delivery] = selectors.portfolio_kpis(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))
    assert delivery.period == DEC and delivery.ranked_count == 2
    assert [(row.partnership, row.rank) for row in delivery.rows] == [
        (world.acme_labcorp, 1), (world.acme_contoso, 2), (third, None)]


def test_each_series_reads_its_newest_published_values_only(world):
    """kpi_tiles' `last`: the newest SPARK_POINTS published values of each series (an index
    read per series), oldest first; a newer value not yet published, and another series'
    values, are not among them."""
    contoso, labcorp = kpi(world.acme_contoso), kpi(world.acme_labcorp)
    months = [datetime.date(2025, month, 1) for month in range(1, 11)]
    for number, month in enumerate(months):
        publish(contoso, month, 80 + number)
    publish(contoso, datetime.date(2025, 11, 1), 99, status="shared")
    publish(labcorp, NOV, 70)
    rows = {row.partnership_id: row for row in selectors.kpis_with_history(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))}
    contoso_row = rows[world.acme_contoso.pk]
    assert [point.period for point in contoso_row.history] == months[-selectors.SPARK_POINTS:]
    assert (contoso_row.latest.value, contoso_row.previous.value) == (89, 88)
    assert [point.value for point in rows[world.acme_labcorp.pk].history] == [70]


def test_only_published_values_reach_the_portfolio(world, login):
    """The world's January value is shared for review: not in the portfolio."""
    publish(kpi(world.acme_contoso), DEC, 88)
    [delivery] = selectors.portfolio_kpis(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))
    contoso = next(r for r in delivery.rows if r.partnership == world.acme_contoso)
    assert contoso.latest.value == 88 and contoso.latest.period == DEC
    assert next(r for r in delivery.rows if r.partnership == world.acme_labcorp).latest is None


def test_a_sponsor_never_sees_another_sponsors_partnership(world, login):
    publish(kpi(world.globex_contoso), DEC, 70)
    publish(kpi(world.acme_contoso), DEC, 99)
    assert selectors.portfolio_partnerships(user=world.dave) == [world.globex_contoso]
    dave = login(world.dave).get(PORTFOLIO).content.decode()
    alice = login(world.alice).get(PORTFOLIO).content.decode()
    for name in ("Acme", "Labcorp", "Acmezumab"):
        assert name not in dave
    for name in ("Globex", "Globexumab"):
        assert name not in alice
    rows = api(world.dave).get("/api/v1/portfolio/").json()["results"]
    assert {row["partnership"] for row in rows} == {world.globex_contoso.pk}
    foreign = kpi(world.acme_contoso).pk
    assert api(world.dave).get(f"/api/v1/portfolio/{foreign}/").status_code == 404


def test_who_sees_which_partnerships_in_the_portfolio(world, login):
    admin = UserFactory(email="ada@acme.test", organization=world.acme, is_org_admin=True)
    steering = UserFactory(email="sam@acme.test", organization=world.acme)
    MembershipFactory(partnership=world.acme_labcorp, user=steering,
                      role=Membership.Role.STEERING)
    assert selectors.portfolio_partnerships(user=admin) == [world.acme_contoso,
                                                            world.acme_labcorp]
    assert selectors.portfolio_partnerships(user=steering) == [world.acme_labcorp]
    assert selectors.portfolio_partnerships(user=world.vera) == [world.acme_contoso]
    assert "Labcorp" not in login(world.vera).get(PORTFOLIO).content.decode()
    for person in (world.bob, world.olga, world.oscar):
        response = login(person).get(PORTFOLIO)
        assert response.status_code == 403
        assert api(person).get("/api/v1/portfolio/").json()["count"] == 0
    assert login(world.alice).get(PORTFOLIO).status_code == 200


def _partners(world, values: list, period=DEC) -> list:
    """Acme's partnerships with CDMOs "Partner 01", "Partner 02" …, Alice leading each,
    each publishing its value of `values` (None: none) for on-time delivery."""
    found = []
    for number, value in enumerate(values, start=1):
        partnership = PartnershipFactory(sponsor=world.acme, cdmo=OrganizationFactory(
            name=f"Partner {number:02d}", kind="cdmo"))
        MembershipFactory(partnership=partnership, user=world.alice, role=Membership.Role.LEAD)
        definition = kpi(partnership)
        if value is not None:
            publish(definition, period, value)
        found.append(partnership)
    return found


def test_the_overview_shows_the_best_and_the_worst_few_and_links_the_whole_ranking(
        world, login, monkeypatch):
    """Ten partners: the overview shows the best three and the worst three, the counts of
    green, amber and red, and links the whole ranking, a page of four partners at a time,
    the one without a value of the ranked period last."""
    monkeypatch.setattr(selectors, "RANKING_PAGE", 4)
    publish(kpi(world.acme_contoso), DEC, 70), publish(kpi(world.acme_labcorp), DEC, 85)
    _partners(world, [99, 98, 97, 96, 95, 94, 93, None])
    client = login(world.alice)
    card = table(client.get(PORTFOLIO).content.decode(), "portfolio-kpis")
    best, worst = (card.split(f'data-testid="{group}"')[1].split("</ol>")[0]
                   for group in ("best", "worst"))
    assert "Best 3" in best and "Worst 3" in worst
    assert [name in best for name in ("Partner 01", "Partner 02", "Partner 03")] == [True] * 3
    assert [name in worst for name in ("Partner 06", "Partner 07", "Contoso", "Labcorp")] \
        == [False, True, True, True]
    assert "Partner 04" not in card and "Partner 08" not in card
    assert "Of the 9 ranked: <span" in card and ">7 green<" in card and ">1 amber<" in card \
        and ">1 red<" in card
    assert f'href="{RANKING}">Full ranking (10 partners)' in card
    pages = [client.get(RANKING, {"page": number}).content.decode() for number in (1, 2, 3)]
    rows = [page.split('<div id="ranking"')[1].count("<tr data-partnership") for page in pages]
    assert rows == [4, 4, 2]
    assert pages[0].index("Partner 01") < pages[0].index("Partner 04")
    last = pages[2].split('<div id="ranking"')[1]
    assert last.index("Contoso CDMO") < last.index("Partner 08") and "no value" in last
    assert "10 partners in all" in last and 'data-trend' not in last.split("Partner 08")[1]
    partial = client.get(RANKING, {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Partner 05" in partial


def test_a_few_partners_are_all_shown_ranked_without_a_link_to_more(world, login):
    publish(kpi(world.acme_contoso), DEC, 93), publish(kpi(world.acme_labcorp), DEC, 75)
    page = login(world.alice).get(PORTFOLIO).content.decode()
    card = table(page, "portfolio-kpis")
    assert card.count("<tr data-partnership") == 2 and "Best" not in card
    assert "Full ranking" not in card and "All 2 partners" not in page
    assert f'href="{RANKING}"' in card  # the KPI's name: its page all the same
    assert login(world.alice).get(RANKING).status_code == 200


def test_the_partners_are_bounded_on_the_overview_and_paged(world, login, monkeypatch):
    monkeypatch.setattr(selectors, "PARTNERS_SHOWN", 2)
    monkeypatch.setattr(selectors, "PARTNERS_PAGE", 2)
    _partners(world, [None, None])
    client = login(world.alice)
    page = client.get(PORTFOLIO).content.decode()
    partners = table(page, "partners")
    assert partners.count("<h3") == 2 and "Contoso CDMO" in partners
    # The KPIs and what is overdue come first: with sixty partners their cards filled screens.
    assert page.index('id="kpis-h"') < page.index('id="overdue-h"') < page.index(
        'id="partners-h"')
    assert f'href="{PARTNERS}">All 4 partners and their sites' in partners
    second = client.get(PARTNERS, {"page": 2}).content.decode().split('<div id="partners"')[1]
    assert "Partner 01" in second and "Partner 02" in second and "Contoso" not in second
    assert "Page 2 of 2" in second and "4 partners in all" in second


def test_a_kpis_ranking_is_scoped(world, login):
    """A key agreed only in another sponsor's partnership answers 404, as an unknown one;
    a CDMO's person gets the portfolio's 403; another sponsor's ranking names only its own
    partners."""
    kpi(world.globex_contoso, "globex-only")
    foreign = reverse("metrics:portfolio_kpi", args=["globex-only"])
    assert login(world.alice).get(foreign).status_code == 404
    assert login(world.alice).get(
        reverse("metrics:portfolio_kpi", args=["no-such-kpi"])).status_code == 404
    assert login(world.dave).get(foreign).status_code == 200
    for person in (world.bob, world.olga):
        assert login(person).get(RANKING).status_code == 403
        assert login(person).get(PARTNERS).status_code == 403
    dave = login(world.dave).get(RANKING).content.decode()
    assert "Globex" in dave and "Acme" not in dave and "Labcorp" not in dave


def test_overdue_items_across_partners_are_counted_and_bounded(world, login):
    from governance.models import ActionItem

    for number in range(12):
        ActionItem.objects.create(partnership=world.acme_labcorp, title=f"Late {number}",
                                  author_organization=world.acme, owner=world.alice,
                                  due_date=datetime.date(2026, 2, 1))
    blocks = {block.key: block for block in selectors.portfolio_overdue(
        user=world.alice, partnerships=selectors.portfolio_partnerships(user=world.alice))}
    actions = blocks["actions"]
    # The world's two actions of each partnership are overdue too.
    assert actions.counts == {world.acme_contoso.pk: 2, world.acme_labcorp.pk: 14}
    assert len(actions.rows) == selectors.OVERDUE_SHOWN
    assert blocks["requests"].total == 2 and blocks["capas"].total == 2
    page = table(login(world.alice).get(PORTFOLIO).content.decode(), "portfolio-overdue")
    assert "10 of 16 shown" in page and "Labcorp Testing: 14" in page


def test_the_top_bar_links_the_pages_for_those_they_are_for(world, login):
    home = reverse("partnership:partnership_list")
    assert PORTFOLIO in login(world.alice).get(home).content.decode()
    assert PORTFOLIO not in login(world.bob).get(home).content.decode()
    assert PERFORMANCE in login(world.olga).get(home).content.decode()
    assert PERFORMANCE in login(world.carol).get(home).content.decode()
    for person in (world.bob, world.alice):
        assert PERFORMANCE not in login(person).get(home).content.decode()


# --- The CDMO's view ------------------------------------------------------------------

def test_the_cdmo_aggregate_equals_the_sponsors_own_figures(world, login):
    """Olga (Contoso's admin) sees Contoso's two partnerships added up; each sponsor's own
    portfolio gives the values they are added up from; Labcorp's is no part of it."""
    publish(kpi(world.acme_contoso), DEC, "93.5")
    publish(kpi(world.globex_contoso), DEC, "81.25")
    publish(kpi(world.acme_labcorp), DEC, 60)
    kpi(world.acme_contoso, "complaint-rate", "lower", "0.5", 1, 2)
    acme = api(world.alice).get("/api/v1/portfolio/", {"partnership": world.acme_contoso.pk})
    globex = api(world.dave).get("/api/v1/portfolio/").json()["results"]
    values = [Decimal(row["value"]) for row in [*acme.json()["results"], *globex]
              if row["key"] == "delivery"]
    assert sorted(values) == [Decimal("81.25"), Decimal("93.5")]
    rows = {row["key"]: row for row in api(world.olga).get(
        "/api/v1/cdmo-performance/").json()["results"]}
    delivery = rows["delivery"]
    assert Decimal(delivery["mean"]) == round(sum(values) / len(values), 2)
    assert Decimal(delivery["median"]) == round(Decimal(statistics.median(values)), 2)
    assert (delivery["partnerships"], delivery["valued"]) == (2, 2)
    assert (delivery["green"], delivery["amber"], delivery["red"]) == (1, 1, 0)
    assert rows["complaint-rate"]["valued"] == 0 and rows["complaint-rate"]["mean"] is None
    page = login(world.olga).get(PERFORMANCE).content.decode()
    body = page.split('data-testid="cdmo-performance"')[1]
    assert "87.38 %" in body  # the mean, and the median, of 93.5 and 81.25
    # No sponsor, program, single value, nor the definitions' own names (the world's
    # name the partnership: "Acme–Contoso supply agreement on-time delivery").
    for text in ("Acme", "Globex", "Acmezumab", "Globexumab", "93.5", "81.25",
                 "supply agreement"):
        assert text not in body, text


def test_a_cdmo_lead_seated_in_one_partnership_sees_only_it(world, login):
    publish(kpi(world.acme_contoso), DEC, 93)
    publish(kpi(world.globex_contoso), DEC, 81)
    assert selectors.cdmo_view_partnerships(user=world.carol) == [world.globex_contoso]
    [row] = api(world.carol).get("/api/v1/cdmo-performance/").json()["results"]
    assert (row["partnerships"], Decimal(row["mean"]), row["amber"]) == (1, 81, 1)
    page = login(world.carol).get(PERFORMANCE).content.decode()
    assert "the one partnership" in page and "81 %" in page and "93" not in page.split(
        'data-testid="cdmo-performance"')[1]
    # Carol narrowing to a partnership she does not lead gets nothing of it.
    narrowed = api(world.carol).get("/api/v1/cdmo-performance/",
                                    {"partnership": world.acme_contoso.pk}).json()
    assert narrowed["count"] == 0
    assert api(world.carol).get("/api/v1/cdmo-performance/delivery/").status_code == 200


def test_only_cdmo_admins_and_leads_get_the_cdmo_view(world, login):
    for person in (world.bob, world.alice, world.dave, world.oscar):
        assert login(person).get(PERFORMANCE).status_code == 403
        assert api(person).get("/api/v1/cdmo-performance/").json()["count"] == 0
    assert login(world.olga).get(PERFORMANCE).status_code == 200
    assert api(world.bob).get("/api/v1/cdmo-performance/delivery/").status_code == 404


# --- Relationship health ---------------------------------------------------------------

def _requests(world, quarter: datetime.date, hours: list[int]):
    sent = datetime.datetime.combine(quarter, datetime.time(9), datetime.UTC) + \
        datetime.timedelta(days=10)
    for number, late in enumerate(hours):
        Request.objects.create(
            partnership=world.acme_contoso, author_organization=world.acme,
            created_by=world.alice, title=f"Ask {quarter} {number}", description="Please.",
            kind="information", requested_by_party="sponsor", sent_at=sent,
            acknowledge_by=sent + datetime.timedelta(hours=48), status="acknowledged",
            acknowledged_at=sent + datetime.timedelta(hours=late))


def _survey(world, quarter: datetime.date, score: int):
    extra = UserFactory(email=f"rater{quarter:%Y%m}@acme.test", organization=world.acme)
    for person in (world.alice, world.vera, extra):
        SurveyResponse.objects.create(
            partnership=world.acme_contoso, quarter=quarter, respondent=person,
            rated_party="cdmo", communication=score, responsiveness=score, quality=score,
            respect=score, alignment=score)


def test_relationship_health_shows_slipping_answers_and_scores(world, login):
    _current, last, before = quarters_back(3)
    _requests(world, before, [10, 10, 10, 10])
    _requests(world, last, [10, 10, 72, 72])
    _survey(world, before, 5)
    _survey(world, last, 3)
    publish(kpi(world.acme_contoso), DEC, 70)  # red
    url = reverse("metrics:relationship_health", args=[world.acme_contoso.pk])
    page = login(world.bob).get(url).content.decode()
    answers = table(page, "responsiveness")
    assert "41.0 h" in answers and "50 %" in answers and "100 %" in answers
    signs = table(page, "warning-signs")
    label = SurveyResponse.quarter_label(last)
    assert f"Contoso CDMO acknowledged 50 % of requests in time in {label}, down from 100 %" \
        in signs
    assert f"Contoso CDMO’s survey score fell by 2.0 in {label}" in signs.replace(
        "&#x27;", "’").replace("'", "’")
    assert "Red KPI" in signs
    assert 'data-rag="red"' in table(page, "health-kpis")
    assert f'href="{url}"' in page  # the side navigation


def test_a_request_inside_its_agreed_time_is_neither_late_nor_in_time_yet(world):
    from metrics.portfolio.health import responsiveness

    sent = timezone.now()
    Request.objects.create(
        partnership=world.acme_contoso, author_organization=world.acme, created_by=world.alice,
        title="Fresh ask", description="Please.", kind="information",
        requested_by_party="sponsor", sent_at=sent,
        acknowledge_by=sent + datetime.timedelta(hours=48))
    current = responsiveness(user=world.alice, partnership=world.acme_contoso,
                             quarters=quarters_back(2))["cdmo"][0]
    assert (current.received, current.due, current.in_time_percent) == (1, 0, None)


def test_a_change_the_cdmo_carries_out_is_not_the_sponsors_fulfilment(world):
    """The sponsor decides on a change the CDMO asked for; the CDMO does the work, so its
    fulfilment does not count as the sponsor's (its acknowledgement does)."""
    from metrics.portfolio.health import responsiveness

    sent = timezone.now() - datetime.timedelta(hours=3)
    for kind, title in (("change", "Move the fill line"), ("information", "Send the SOP")):
        Request.objects.create(
            partnership=world.acme_contoso, author_organization=world.contoso,
            created_by=world.bob, title=title, description="Please.", kind=kind,
            requested_by_party="cdmo", sent_at=sent, acknowledge_by=sent,
            acknowledged_at=sent + datetime.timedelta(hours=1),
            fulfilled_at=sent + datetime.timedelta(hours=2), status="fulfilled")
    quarters = responsiveness(user=world.alice, partnership=world.acme_contoso,
                              quarters=quarters_back(2))["sponsor"]  # sent_at's and before
    assert [sum(getattr(quarter, figure) for quarter in quarters)
            for figure in ("received", "acknowledged", "fulfilled")] == [2, 2, 1]


def test_relationship_health_is_scoped(world, login):
    url = reverse("metrics:relationship_health", args=[world.globex_contoso.pk])
    assert login(world.alice).get(url).status_code == 404
    assert login(world.bob).get(url).status_code == 404


# --- Fixed numbers of queries ----------------------------------------------------------

def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(world, partners: int, months: int):
    """More CDMOs for Acme, each with KPIs, a history of published values, overdue
    actions, requests and survey answers; more values in the world's partnerships."""
    from governance.models import ActionItem

    for number in range(partners):
        cdmo = OrganizationFactory(name=f"Extra CDMO {number}", kind="cdmo")
        partnership = PartnershipFactory(sponsor=world.acme, cdmo=cdmo)
        MembershipFactory(partnership=partnership, user=world.alice, role=Membership.Role.LEAD)
        lead = UserFactory(email=f"lead{number}@extra.test", organization=cdmo)
        MembershipFactory(partnership=partnership, user=lead, role=Membership.Role.LEAD)
        for key in ("delivery", "complaint-rate"):
            definition = kpi(partnership, key)
            KPIMeasurement.objects.bulk_create(
                KPIMeasurement(partnership=partnership, author_organization=cdmo,
                               definition=definition, key=key, status="published",
                               period=datetime.date(2024 + back // 12, back % 12 + 1, 1),
                               value=Decimal(80 + back % 20)) for back in range(months))
        ActionItem.objects.create(partnership=partnership, title="Late", owner=world.alice,
                                  author_organization=world.acme,
                                  due_date=datetime.date(2026, 2, 1))
    for partnership in (world.acme_contoso, world.globex_contoso):
        definition = kpi(partnership)
        KPIMeasurement.objects.bulk_create(
            KPIMeasurement(partnership=partnership, author_organization=partnership.cdmo,
                           definition=definition, key="delivery", status="published",
                           period=datetime.date(2023 + back // 12, back % 12 + 1, 1),
                           value=Decimal(70 + back % 30)) for back in range(months))
    _, last, before = quarters_back(3)
    _requests(world, before, [5] * months)
    _survey(world, last, 4)


def test_pages_and_api_keep_their_number_of_queries(world, login,
                                                    django_assert_max_num_queries):
    """From two partnerships to sixteen (more than the overview shows, of partners and of
    each KPI's): the same queries, and the overview's rows stay bounded."""
    health = reverse("metrics:relationship_health", args=[world.acme_contoso.pk])
    _survey(world, quarters_back(5)[4], 4)  # a published quarter reads its comments too
    publish(kpi(world.acme_labcorp), DEC, 91)  # (with nothing published, one query fewer)
    # A KPI of few partners, in both worlds: its rows are read in full (two queries more
    # than a page of summaries only).
    publish(kpi(world.acme_contoso, "audit-score"), DEC, 96)
    pages = [(login(world.alice), PORTFOLIO), (login(world.alice), RANKING),
             (login(world.alice), PARTNERS), (login(world.olga), PERFORMANCE),
             (login(world.alice), health), (api(world.alice), "/api/v1/portfolio/"),
             (api(world.olga), "/api/v1/cdmo-performance/")]
    for client, url in pages:
        _queries(client, url)  # caches filled once (content types, sessions)
    small = [_queries(client, url) for client, url in pages]
    _grow(world, partners=14, months=20)
    large = [_queries(client, url) for client, url in pages]
    assert large == small, (small, large)
    for (client, url), count in zip(pages, small, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
    assert max(small) < 30, small
    page = login(world.alice).get(PORTFOLIO).content.decode()
    assert table(page, "partners").count("<h3") == selectors.PARTNERS_SHOWN
    assert "All 16 partners and their sites" in page
    kpis = table(page, "portfolio-kpis").split('data-kpi="')[1:]
    assert sorted(card.count("data-partnership=") for card in kpis) == [1, 6, 6]
    overdue = table(page, "portfolio-overdue").split('id="overdue-actions"')[1]
    assert f"The {selectors.OVERDUE_SHOWN} partners with the most" in overdue
