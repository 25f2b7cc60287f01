"""The steering committee's page and pack: published values only, escalations at levels 2
and 3 with their age, emergency requests over budget with the justification for those who
may read it, what awaits the committee, top risks; who sees which partnerships; the landing
page and My work of a steering member; the minutes' KPI summary; a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.escalation.models import ActionItemEscalation
from governance.models import ActionItem, Meeting, Request, Risk
from metrics.portfolio.health import quarters_back
from metrics.steering import selectors, services
from metrics.steering.models import SteeringPack
from metrics.steering.summary import kpi_summary
from partnership.models import Membership
from tests.factories import MembershipFactory, UserFactory
from tests.metrics.test_portfolio import DEC, NOV, _grow, _survey, kpi, publish, table
from tests.partnership.test_api import api

ACROSS = reverse("metrics:steering_all")


def page_of(partnership) -> str:
    return reverse("metrics:steering", args=[partnership.pk])


@pytest.fixture
def world(saved_world):
    return saved_world


def add_stan(world):
    """Stan sits on Acme–Contoso's steering committee only."""
    world.stan = UserFactory(email="stan@acme.test", first_name="Stan", last_name="Acmeson",
                             organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=world.stan,
                      role=Membership.Role.STEERING)
    return world.stan


def escalate(item, level: int, days_ago: int):
    return ActionItemEscalation.objects.create(
        partnership=item.partnership, action=item, level=level,
        level_name=f"Level {level}", days_allowed=5, due_date=item.due_date,
        reached_at=timezone.now() - datetime.timedelta(days=days_ago))


def over_budget(partnership, author, title="Rush pull", justification="Patient supply"):
    sent = timezone.now() - datetime.timedelta(days=1)
    return Request.objects.create(
        partnership=partnership, author_organization=partnership.sponsor, created_by=author,
        title=title, description="Now", kind="sample_pull", requested_by_party="sponsor",
        urgency="emergency", emergency_justification=justification,
        over_emergency_budget=True, sent_at=sent,
        acknowledge_by=sent + datetime.timedelta(hours=48))


def steering_meeting(partnership, days=20, title="Steering committee"):
    return Meeting.objects.create(
        partnership=partnership, author_organization=partnership.sponsor, title=title,
        kind="steering_committee", agenda="1. Scorecard",
        starts_at=timezone.now() + datetime.timedelta(days=days), status="scheduled")


def test_the_page_shows_what_the_committee_reads(world, login):
    stan = add_stan(world)
    delivery = kpi(world.acme_contoso)
    publish(delivery, NOV, 85), publish(delivery, DEC, 93)
    publish(kpi(world.acme_contoso, "complaint-rate"), DEC, 3, status="submitted")
    late = ActionItem.objects.create(
        partnership=world.acme_contoso, title="Escalated one", owner=world.alice,
        author_organization=world.acme, due_date=datetime.date(2026, 1, 5))
    escalate(late, 1, 9), escalate(late, 2, 4)
    level_one = ActionItem.objects.create(
        partnership=world.acme_contoso, title="Only level one", owner=world.alice,
        author_organization=world.acme, due_date=datetime.date(2026, 1, 5))
    escalate(level_one, 1, 2)
    over_budget(world.acme_contoso, world.alice)
    meeting = steering_meeting(world.acme_contoso)
    ActionItem.objects.create(
        partnership=world.acme_contoso, title="Committee follow-up", owner=world.alice,
        author_organization=world.acme, due_date=datetime.date(2026, 9, 1),
        meeting=Meeting.objects.create(
            partnership=world.acme_contoso, author_organization=world.acme,
            title="Past committee", kind="steering_committee", status="held",
            starts_at=timezone.now() - datetime.timedelta(days=60)))
    Risk.objects.create(partnership=world.acme_contoso, author_organization=world.acme,
                        title="Top one", category="supply", likelihood=5, impact=5,
                        owner=world.alice, mitigation="Second source")
    page = login(stan).get(page_of(world.acme_contoso)).content.decode()
    scorecard = table(page, "steering-scorecard")
    assert "93 %" in scorecard and 'data-rag="green"' in scorecard and "<polyline" in scorecard
    assert ">3 %</a>" not in scorecard  # submitted, not published
    escalations = table(page, "steering-escalations")
    assert "Escalated one" in escalations and "4\xa0days" in escalations
    assert "Only level one" not in escalations
    assert "Patient supply" in table(page, "steering-over-budget")  # stan may read it
    awaiting = table(page, "steering-awaiting")
    assert meeting.title in awaiting and "Committee follow-up" in awaiting
    assert "Prepare its pack" in awaiting
    risks = table(page, "steering-risks")
    assert risks.index("Top one") < risks.index("Second source")
    assert "steering-health" in page
    # The CDMO's member, of the receiving party, reads the sponsor's justification over budget.
    bob = login(world.bob).get(page_of(world.acme_contoso)).content.decode()
    assert "Patient supply" in bob and "Rush pull" in bob


def test_nobody_sees_another_partnerships_steering_page(world, login):
    publish(kpi(world.acme_labcorp), DEC, 91)
    over_budget(world.acme_labcorp, world.alice, title="Labcorp rush")
    steering_meeting(world.globex_contoso, title="Globex committee")
    for person, foreign in ((world.bob, world.acme_labcorp), (world.dave, world.acme_contoso),
                            (world.carol, world.acme_contoso), (world.oscar, world.acme_labcorp)):
        assert login(person).get(page_of(foreign)).status_code == 404
    dave = login(world.dave).get(ACROSS).content.decode()
    for name in ("Acme", "Labcorp"):
        assert name not in dave
    bob = login(world.bob).get(ACROSS).content.decode()
    for name in ("Labcorp", "Globex"):
        assert name not in bob
    alice = login(world.alice).get(ACROSS).content.decode()
    assert "Labcorp rush" in alice and "Globex" not in alice
    assert login(world.oscar).get(ACROSS).status_code == 403
    foreign = SteeringPack.objects.get(partnership=world.acme_labcorp)
    url = reverse("metrics:steeringpack_download", args=[world.acme_labcorp.pk, foreign.pk])
    assert login(world.bob).get(url).status_code == 404
    assert login(world.alice).get(url).status_code == 200
    assert api(world.dave).get(f"/api/v1/steering-packs/{foreign.pk}/").status_code == 404
    ids = {row["id"] for row in api(world.alice).get("/api/v1/steering-packs/").json()[
        "results"]}
    assert ids == set(SteeringPack.objects.filter(partnership__sponsor=world.acme)
                      .values_list("pk", flat=True))
    # A pack holds its requester's side's internal records: the other party never sees it.
    own = SteeringPack.objects.get(partnership=world.acme_contoso)
    assert api(world.bob).get("/api/v1/steering-packs/").json()["count"] == 0
    assert login(world.bob).get(own.get_absolute_url()).status_code == 404
    assert login(world.olga).get(own.get_absolute_url()).status_code == 404
    assert login(world.vera).get(own.get_absolute_url()).status_code == 200


def test_a_steering_member_asks_for_a_pack_and_a_viewer_may_not(world, login):
    stan = add_stan(world)
    meeting = steering_meeting(world.acme_contoso)
    create = reverse("metrics:steeringpack_create", args=[world.acme_contoso.pk])
    assert login(world.vera).get(create).status_code == 403
    response = api(world.vera).post("/api/v1/steering-packs/", {
        "partnership": world.acme_contoso.pk, "period_start": "2026-01-01",
        "period_end": "2026-06-30"}, format="json")
    assert response.status_code == 403
    response = api(stan).post("/api/v1/steering-packs/", {
        "partnership": world.acme_contoso.pk, "period_start": "2026-06-30",
        "period_end": "2026-01-01"}, format="json")
    assert response.status_code == 400 and "period_end" in response.json()
    response = login(stan).post(create, {"period_start": "2026-01-01",
                                         "period_end": "2026-06-30"})
    assert response.status_code == 302
    pack = SteeringPack.objects.filter(requested_by=stan).get()
    assert pack.meeting == meeting and pack.status == "pending"  # the next meeting's
    status = api(stan).get(f"/api/v1/steering-packs/{pack.pk}/").json()
    assert status["status"] == "pending" and status["download"] is None
    # The meeting's page lists the pack attached to it, for Acme's people only.
    page = login(world.alice).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-packs"' in page and f'data-pack="{pack.pk}"' in page
    page = login(world.bob).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-packs"' not in page


def test_a_steering_member_lands_on_his_page_and_finds_his_work(world, login):
    stan = add_stan(world)
    over_budget(world.acme_contoso, world.alice)
    steering_meeting(world.acme_contoso)
    landing = reverse("landing")
    assert login(stan).get(landing)["Location"] == ACROSS
    assert login(world.alice).get(landing)["Location"] == \
        reverse("partnership:partnership_list")
    my_work = login(stan).get(reverse("governance:my_work")).content.decode()
    section = table(my_work, "my-work")
    assert "Prepare its pack" in section and "Read the justification" in section
    assert 'data-kind="Steering meeting"' in section
    assert 'data-kind="Steering meeting"' not in login(world.alice).get(
        reverse("governance:my_work")).content.decode()
    # The home's "Awaiting me" card lists no request he has no button for.
    home = login(stan).get(reverse("partnership:partnership_detail",
                                   args=[world.acme_contoso.pk])).content.decode()
    bob_home = login(world.bob).get(reverse("partnership:partnership_detail",
                                            args=[world.acme_contoso.pk])).content.decode()
    assert "Rush pull" in bob_home  # the CDMO's member acknowledges it
    awaiting = home.split("Awaiting me")[1].split("</section>")[0] \
        if "Awaiting me" in home else ""
    assert "Rush pull" not in awaiting
    nav = login(stan).get(ACROSS).content.decode()
    assert f'href="{ACROSS}">Steering' in nav


def test_the_minutes_quote_the_published_values(world):
    delivery = kpi(world.acme_contoso)
    publish(delivery, NOV, 91.5), publish(delivery, DEC, 97)
    text = kpi_summary(user=world.alice, partnership=world.acme_contoso,
                       before=datetime.date(2026, 2, 10))  # January's value is shared only
    assert "on-time delivery 97 % (Dec 2025)" in text
    assert kpi_summary(user=world.alice, partnership=world.acme_contoso,
                       before=datetime.date(2025, 12, 5)).endswith("91.5 % (Nov 2025)")


def test_the_minutes_form_inserts_the_kpi_summary(world, login):
    delivery = kpi(world.acme_contoso)
    publish(delivery, NOV, 91.5), publish(delivery, DEC, 97)
    meeting = Meeting.objects.get(partnership=world.acme_contoso, kind="weekly_check_in")
    url = reverse("governance:meeting_detail", args=[world.acme_contoso.pk, meeting.pk])
    page = login(world.alice).get(url).content.decode()
    assert 'data-testid="insert-kpi-summary"' in page and "KPI summary (published" not in page
    page = login(world.alice).get(f"{url}?kpi_summary=1").content.decode()
    textarea = page.split('name="minutes"')[1].split("</textarea>")[0]
    assert meeting.minutes in textarea
    assert "KPI summary (published values): " in textarea and "97 % (Dec 2025)" in textarea
    assert "insert-kpi-summary" not in login(world.vera).get(url).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_pages_keep_their_number_of_queries(world, login, django_assert_max_num_queries):
    stan = add_stan(world)
    _survey(world, quarters_back(5)[4], 4)  # a published quarter reads its comments too
    pages = [(login(world.alice), ACROSS), (login(stan), page_of(world.acme_contoso)),
             (login(stan), reverse("governance:my_work")),
             (api(world.alice), "/api/v1/steering-packs/")]
    for client, url in pages:
        _queries(client, url)
    small = [_queries(client, url) for client, url in pages]
    _grow(world, partners=3, months=20)
    for number in range(12):
        item = ActionItem.objects.create(
            partnership=world.acme_contoso, title=f"Late {number}", owner=world.alice,
            author_organization=world.acme, due_date=datetime.date(2026, 1, 5))
        escalate(item, 2, number)
        over_budget(world.acme_contoso, world.alice, title=f"Rush {number}")
        steering_meeting(world.acme_contoso, days=number + 1, title=f"Committee {number}")
        Risk.objects.create(partnership=world.acme_contoso, author_organization=world.acme,
                            title=f"Risk {number}", category="supply", likelihood=3,
                            impact=3, owner=world.alice)
    large = [_queries(client, url) for client, url in pages]
    assert large == small, (small, large)
    for (client, url), count in zip(pages, small, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
    page = login(stan).get(page_of(world.acme_contoso)).content.decode()
    assert table(page, "steering-risks").count("<tr>") <= selectors.SHOWN + 1


def test_a_pack_that_cannot_be_made_says_so(world, monkeypatch):
    pack = SteeringPack.objects.create(
        partnership=world.acme_contoso, requested_by=world.alice, size=0,
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("metrics.steering.pdf.build_pack", broken)
    with pytest.raises(RuntimeError):
        services.steering_pack_generate(pack.pk)
    pack.refresh_from_db()
    assert pack.status == "failed" and "ask for it again" in pack.error and not pack.file
    assert services.steering_pack_generate(pack.pk) is False  # a re-delivery leaves it


def test_the_across_page_links_to_the_comparison_its_reader_may_open(world, login):
    """The portfolio is a sponsor's: a CDMO's lead is sent to his own performance instead,
    a CDMO member to neither (each link opened answers 200, never a 403)."""
    portfolio = f'<a href="{reverse("metrics:portfolio")}">Compare the partners'
    performance = f'<a href="{reverse("metrics:cdmo_performance")}">Your performance'
    expected = {world.alice: (portfolio, "metrics:portfolio"),
                world.carol: (performance, "metrics:cdmo_performance"), world.bob: (None, None)}
    for person, (shown, url_name) in expected.items():
        client = login(person)
        page = client.get(ACROSS).content.decode()
        for link in (portfolio, performance):
            assert (link in page) == (link == shown), (person, link)
        if url_name:
            assert client.get(reverse(url_name)).status_code == 200


def test_the_top_bars_lockstep_leads_each_person_home_where_log_in_led_him(world, login):
    """A steering member who clicks "Lockstep" is back on his steering page, not on a list
    of partnerships he was never sent to; everyone else on that list as before."""
    stan = add_stan(world)
    brand = f'class="navbar-brand fw-semibold" href="{reverse("landing")}"'
    for person, home in ((stan, ACROSS), (world.alice, reverse("partnership:partnership_list"))):
        client = login(person)
        assert brand in client.get(reverse("governance:my_work")).content.decode()
        assert client.get(reverse("landing"))["Location"] == home
