"""Quarterly two-way feedback: one answer per person and quarter, results only in aggregate,
comments only from MIN_FOR_DETAIL respondents on, and nobody's answer tied to their name."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance.models import SurveyInvitation, SurveyResponse
from governance.relationship.selectors import survey_answer_pool, survey_results
from governance.relationship.services import survey_answer, survey_invitations_send
from governance.relationship.tasks import open_quarterly_survey
from partnership.models import Membership, Partnership, User
from partnership.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py); the
    tests that need a committed world (a real worker) take world_committed, and run after
    the module's others."""
    return saved_world

SCORES = {"communication": 4, "responsiveness": 3, "quality": 5, "respect": 4,
          "alignment": 2}


@pytest.fixture
def raters(world):
    """Three Acme people with seats in Acme–Contoso (Alice, viewer Vera and steering Sid),
    who all rate Contoso; none of them has answered yet (the world's own answer is gone)."""
    SurveyResponse.objects.filter(partnership=world.acme_contoso).delete()
    sid = UserFactory(email="sid@acme.test", first_name="Sid", last_name="Steerson",
                      organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=sid,
                      role=Membership.Role.STEERING)
    return [world.alice, world.vera, sid]


def answer(world, person, comments="", **scores):
    return survey_answer(actor=person, partnership=world.acme_contoso,
                         comments=comments, **{**SCORES, **scores})


def test_quarters_are_calendar_quarters():
    assert SurveyResponse.quarter_of(datetime.date(2026, 11, 22)) == datetime.date(2026, 10, 1)
    assert SurveyResponse.quarter_of(datetime.date(2026, 3, 31)) == datetime.date(2026, 1, 1)
    assert SurveyResponse.previous_quarter(datetime.date(2026, 1, 1)) == \
        datetime.date(2025, 10, 1)
    assert SurveyResponse.quarter_label(datetime.date(2026, 7, 1)) == "2026 Q3"


def test_answer_rates_the_other_party_once_per_quarter(world, raters):
    response = answer(world, world.bob)
    assert response.rated_party == "sponsor"
    assert response.quarter == SurveyResponse.current_quarter()
    assert answer(world, world.vera).rated_party == "cdmo"  # viewers have a say too
    with pytest.raises(ValidationError, match="already answered"):
        answer(world, world.bob)
    with pytest.raises(ValidationError) as error:
        answer(world, world.alice, quality=6)
    assert "quality" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        answer(world, world.olga)  # an org admin without a seat is not a member
    with pytest.raises(PermissionDenied):
        answer(world, world.carol)


def close_the_quarter(monkeypatch):
    """Move the clock into the next quarter: the one answered so far has closed."""
    following = SurveyResponse.quarter_end(SurveyResponse.current_quarter()) + \
        datetime.timedelta(days=1)
    monkeypatch.setattr(SurveyResponse, "current_quarter", classmethod(lambda cls: following))


def rate(world, quarter, people, rated_party="cdmo", **scores):
    """Answers of a past quarter, straight into the table (the service dates them today)."""
    for person in people:
        SurveyResponse.objects.create(partnership=world.acme_contoso, quarter=quarter,
                                      respondent=person, rated_party=rated_party,
                                      **{**SCORES, **scores})


def api_results(world, user) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/survey/results/", {"partnership": world.acme_contoso.pk})
    assert response.status_code == 200
    return response.json()


def results_section(client, world) -> str:
    page = client.get(reverse("governance:survey", args=[world.acme_contoso.pk]))
    html = page.content.decode()
    return html[html.index('id="results-h"'):]


def test_open_quarter_shows_only_how_many_answered_so_far(world, raters, login):
    """While the quarter is open each new answer would move the average by a step that IS
    that answer (4 × new − 3 × old), so nothing but the number of answers is shown."""
    answer(world, raters[0], "Zebra-clear weekly updates", communication=5)
    answer(world, raters[1], "Answers arrive late", communication=1)
    contoso = survey_results(user=world.bob, partnership=world.acme_contoso
                             )["parties"][0]
    assert contoso["quarters"] == [] and contoso["answers_so_far"] is None  # fewer than 3
    assert "so far: fewer than 3 answers" in results_section(login(world.bob), world)
    answer(world, raters[2], "Appreciated the QBR prep", communication=4)
    contoso = survey_results(user=world.bob, partnership=world.acme_contoso
                             )["parties"][0]
    assert contoso["quarters"] == [] and contoso["answers_so_far"] == 3
    for viewer in (world.bob, world.alice):
        html = results_section(login(viewer), world)
        assert "so far: 3 answers" in html
        assert "Answers arrive late" not in html and "3.3" not in html  # comment, average
    body = api_results(world, world.bob)
    assert body["parties"][0]["answers_so_far"] == 3 and body["parties"][0]["quarters"] == []
    assert "Answers arrive late" not in str(body)


@pytest.mark.parametrize("answers", [1, 2])
def test_a_closed_quarter_with_fewer_than_three_answers_shows_no_figures(
        world, raters, login, monkeypatch, answers):
    """With one answer the average is that answer; with two, either respondent subtracts
    their own to get the other's. Neither the figures nor the exact count are shown."""
    for person, communication in list(zip(raters, (5, 2), strict=False))[:answers]:
        answer(world, person, "Answers arrive late", communication=communication)
    close_the_quarter(monkeypatch)
    row, = survey_results(user=world.bob, partnership=world.acme_contoso
                          )["parties"][0]["quarters"]
    assert row["published"] is False and row["respondents"] is None
    assert row["averages"] is None and row["overall"] is None and row["change"] is None
    assert row["comments"] == []
    for viewer in (world.bob, world.alice):
        html = results_section(login(viewer), world)
        assert "Fewer than 3 answers, so no results are shown" in html
        assert "Answers arrive late" not in html
        assert "survey-bar" not in html and "5.0" not in html and "3.5" not in html
    quarter, = api_results(world, world.alice)["parties"][0]["quarters"]
    assert quarter["published"] is False
    assert all(quarter[key] is None for key in ("respondents", "averages", "overall",
                                                "change"))
    assert quarter["comments"] == []


def test_comments_once_closed_with_three_answers_and_never_with_names(world, raters, login,
                                                                      monkeypatch):
    answer(world, raters[0], "Zebra-clear weekly updates", communication=5)
    answer(world, raters[1], "Answers arrive late", communication=3)
    answer(world, raters[2], "Appreciated the QBR prep", communication=4)
    close_the_quarter(monkeypatch)
    results = survey_results(user=world.bob, partnership=world.acme_contoso)
    current = results["parties"][0]["quarters"][0]
    assert current["published"] and current["respondents"] == 3
    assert current["averages"]["communication"] == 4.0
    # Ordered by text, not by who answered or when.
    assert current["comments"] == ["Answers arrive late", "Appreciated the QBR prep",
                                   "Zebra-clear weekly updates"]
    for viewer in (world.bob, world.alice):
        results_html = results_section(login(viewer), world)
        assert "Answers arrive late" in results_html
        for person in raters:
            assert person.get_full_name() not in results_html
            assert person.email not in results_html
    api = APIClient()
    api.force_authenticate(world.bob)
    body = api.get("/api/v1/survey/results/", {"partnership": world.acme_contoso.pk})
    assert body.status_code == 200
    text = body.content.decode()
    assert "Appreciated the QBR prep" in text
    for person in raters:
        assert person.get_full_name() not in text and person.email not in text
        assert '"respondent"' not in text


def test_change_is_against_the_calendar_quarter_just_before(world, raters):
    """Not against the previous row shown: a quarter with too few answers, or none, in
    between means no change is given."""
    q1 = SurveyResponse.previous_quarter(SurveyResponse.current_quarter())
    q2 = SurveyResponse.previous_quarter(q1)
    q3 = SurveyResponse.previous_quarter(q2)
    q4 = SurveyResponse.previous_quarter(q3)  # the quarter before q4: nobody answered
    rate(world, q1, raters, communication=5)
    rate(world, q2, raters, communication=4)
    rate(world, q3, raters[:2], communication=1)  # too few: not published
    rate(world, q4, raters, communication=2)
    rows = {row["quarter"]: row for row in survey_results(
        user=world.bob, partnership=world.acme_contoso)["parties"][0]["quarters"]}
    assert list(rows) == [q1, q2, q3, q4]
    assert rows[q1]["change"] == 0.2  # communication 4 → 5: the overall moves by 1 / 5
    assert rows[q2]["change"] is None  # q3 is not published: not compared with q4
    assert rows[q3]["change"] is None and rows[q4]["change"] is None
    assert rows[q4]["overall"] == 3.2 and rows[q2]["overall"] == 3.6


def test_results_over_time_use_two_queries(world, raters, django_assert_num_queries):
    SurveyResponse.objects.filter(partnership=world.acme_contoso).delete()
    quarter = SurveyResponse.current_quarter()
    for _ in range(4):
        quarter = SurveyResponse.previous_quarter(quarter)
        for n, person in enumerate(raters):
            SurveyResponse.objects.create(
                partnership=world.acme_contoso, quarter=quarter, respondent=person,
                rated_party="cdmo", comments=f"Comment {quarter} {n}",
                **{**SCORES, "quality": n + 2})
    assert world.acme_contoso.sponsor and world.acme_contoso.cdmo  # loaded, as the page does
    with django_assert_num_queries(2):
        results = survey_results(user=world.bob, partnership=world.acme_contoso)
    quarters = results["parties"][0]["quarters"]
    assert [row["respondents"] for row in quarters][:4] == [3, 3, 3, 3]
    assert all(row["averages"]["quality"] == 3.0 for row in quarters[:4])
    assert quarters[0]["change"] == 0.0
    assert results["parties"][1]["quarters"] == []  # nobody rated Acme


def test_page_form_and_friendly_double_submit(world, login):
    client = login(world.bob)
    page = client.get(reverse("governance:survey", args=[world.acme_contoso.pk])
                      ).content.decode()
    assert 'type="radio"' in page and "<legend" in page and "Rate Acme Pharma" in page
    url = reverse("governance:survey_answer", args=[world.acme_contoso.pk])
    data = {**SCORES, "comments": "Good quarter"}
    missing = client.post(url, {"communication": 4}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 200 and "quality" in missing.context["form"].errors
    assert "<html" not in missing.content.decode()
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and "already answered" in again.content.decode()
    page = client.get(reverse("governance:survey", args=[world.acme_contoso.pk])
                      ).content.decode()
    assert "You answered on" in page and 'type="radio"' not in page


def test_api_serves_only_ones_own_answers(world, raters):
    bob, alice = APIClient(), APIClient()
    bob.force_authenticate(world.bob)
    alice.force_authenticate(world.alice)
    created = bob.post("/api/v1/survey/", {"partnership": world.acme_contoso.pk, **SCORES,
                                           "comments": "fine", "quarter": "2020-01-01"},
                       format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["rated_party"] == "sponsor"
    assert created.json()["quarter"] == SurveyResponse.current_quarter().isoformat()
    again = bob.post("/api/v1/survey/", {"partnership": world.acme_contoso.pk, **SCORES},
                     format="json")
    assert again.status_code == 400
    answer(world, world.alice)
    bobs = bob.get("/api/v1/survey/").json()["results"]
    assert [row["id"] for row in bobs] == [created.json()["id"]]
    assert alice.get(f"/api/v1/survey/{created.json()['id']}/").status_code == 404
    foreign = APIClient()
    foreign.force_authenticate(world.dave)
    assert foreign.get("/api/v1/survey/results/",
                       {"partnership": world.acme_contoso.pk}).status_code == 404
    assert bob.get("/api/v1/survey/results/").status_code == 400


def test_visible_to_never_gives_anyone_another_persons_answer(world, raters):
    """The scoped queryset every door starts from holds one's own answers only, not even a
    colleague's of the same party and partnership; the results read everyone's answers
    through survey_answer_pool, in aggregate only."""
    quarter = SurveyResponse.previous_quarter(SurveyResponse.current_quarter())
    rate(world, quarter, raters)  # three Acme people rate Contoso
    rate(world, quarter, [world.bob], rated_party="sponsor")
    answer(world, world.alice)  # and Alice this quarter too
    for user in User.objects.all():
        mine = SurveyResponse.objects.visible_to(user)
        assert set(mine.values_list("respondent_id", flat=True)) <= {user.pk}, user
        assert mine.count() == SurveyResponse.objects.filter(
            respondent=user, partnership__in=Partnership.objects.visible_to(user)).count()
    assert SurveyResponse.objects.visible_to(world.alice).filter(
        partnership=world.acme_contoso).count() == 2
    assert not SurveyResponse.objects.visible_to(world.olga).exists()  # admin, no answer
    assert not SurveyResponse.objects.visible_to(AnonymousUser()).exists()
    pool = survey_answer_pool(user=world.alice, partnership=world.acme_contoso)
    assert pool.count() == 5
    assert not survey_answer_pool(user=world.dave, partnership=world.acme_contoso).exists()


def test_invitations_go_once_per_person_and_quarter(world):
    day = datetime.date(2026, 10, 2)
    SurveyResponse.objects.create(partnership=world.acme_contoso, quarter=day.replace(day=1),
                                  respondent=world.bob, rated_party="sponsor", **SCORES)
    seats = Membership.objects.count()
    sent = survey_invitations_send(today=day)
    assert sent == seats - 1  # Bob already answered this quarter
    assert survey_invitations_send(today=day) == 0
    assert survey_invitations_send(today=datetime.date(2026, 11, 22)) == 0  # late
    told = Notification.objects.filter(kind="survey_open")
    assert told.count() == seats - 1 and not told.filter(recipient=world.bob).exists()
    assert told.filter(recipient=world.alice).count() == 2  # her two partnerships, once each
    assert told.filter(recipient=world.alice, partnership=world.globex_contoso).count() == 0


def test_invitation_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    open_quarterly_survey("2027-01-03")  # directly first
    first = SurveyInvitation.objects.count()
    assert first == Membership.objects.count()
    assert open_quarterly_survey.delay(today="2027-01-03").get(timeout=15) == 0
    assert Notification.objects.filter(kind="survey_open").count() == first


def test_beat_runs_the_survey_and_risk_jobs_daily(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["governance.relationship.tasks.open_quarterly_survey"] == 86400.0
    assert schedule["governance.risks.tasks.remind_risk_reviews"] == 86400.0


def test_survey_page_queries_stay_bounded(world, raters, login, django_assert_max_num_queries):
    SurveyResponse.objects.all().delete()
    quarter = SurveyResponse.current_quarter()
    for _ in range(6):
        quarter = SurveyResponse.previous_quarter(quarter)
        for n, person in enumerate([*raters, world.bob]):
            SurveyResponse.objects.create(
                partnership=world.acme_contoso, quarter=quarter, respondent=person,
                rated_party="sponsor" if person == world.bob else "cdmo",
                comments=f"Remark {n}", **SCORES)
    client = login(world.alice)
    url = reverse("governance:survey", args=[world.acme_contoso.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    # The page covers the current quarter and five before it: five with three answers each
    # about Contoso (figures and comments shown); Bob's lone answers about Acme are never
    # shown, neither in words nor as averages.
    assert page.count("Remark 0") == 5 and "Remark 3" not in page
    acme = page[page.index('id="party-sponsor"'):]
    assert acme.count("Fewer than 3 answers, so no results are shown") == 5
    assert "survey-bar" not in acme
