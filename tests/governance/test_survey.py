"""Quarterly two-way feedback: one answer per person and quarter, results only in aggregate,
comments only from MIN_FOR_DETAIL respondents on, and nobody's answer tied to their name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from governance import selectors, services
from governance.models import SurveyInvitation, SurveyResponse
from governance.tasks import open_quarterly_survey
from partnership.models import Membership
from portal.models import Kind, Notification
from tests.factories import MembershipFactory, UserFactory

SCORES = {"communication": 4, "responsiveness": 3, "quality": 5, "respect": 4,
          "alignment": 2}


@pytest.fixture
def raters(world):
    """Three Acme people with seats in Acme–Contoso (Alice, viewer Vera and steering Sid),
    who all rate Contoso."""
    sid = UserFactory(email="sid@acme.test", first_name="Sid", last_name="Steerson",
                      organization=world.acme)
    MembershipFactory(partnership=world.acme_contoso, user=sid,
                      role=Membership.Role.STEERING)
    return [world.alice, world.vera, sid]


def answer(world, person, comments="", **scores):
    return services.survey_answer(actor=person, partnership=world.acme_contoso,
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


def test_comments_only_from_three_answers_and_never_with_names(world, raters, login):
    answer(world, raters[0], "Zebra-clear weekly updates", communication=5)
    answer(world, raters[1], "Answers arrive late", communication=3)
    page_url = reverse("governance:survey", args=[world.acme_contoso.pk])
    results = selectors.survey_results(user=world.bob, partnership=world.acme_contoso)
    contoso = results["parties"][0]
    current = contoso["quarters"][0]
    assert contoso["party"] == "cdmo" and current["respondents"] == 2
    assert current["averages"]["communication"] == 4.0 and current["comments"] == []
    page = login(world.bob).get(page_url).content.decode()
    assert "Answers arrive late" not in page and "fewer than 3 answers" in page

    answer(world, raters[2], "Appreciated the QBR prep", communication=4)
    results = selectors.survey_results(user=world.bob, partnership=world.acme_contoso)
    current = results["parties"][0]["quarters"][0]
    assert current["respondents"] == 3 and current["detailed"]
    # Ordered by text, not by who answered or when.
    assert current["comments"] == ["Answers arrive late", "Appreciated the QBR prep",
                                   "Zebra-clear weekly updates"]
    for viewer in (world.bob, world.alice):
        page = login(viewer).get(page_url).content.decode()
        results_html = page[page.index('id="results-h"'):]
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
    with django_assert_num_queries(2):
        results = selectors.survey_results(user=world.bob, partnership=world.acme_contoso)
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


def test_invitations_go_once_per_person_and_quarter(world):
    day = datetime.date(2026, 10, 2)
    SurveyResponse.objects.create(partnership=world.acme_contoso, quarter=day.replace(day=1),
                                  respondent=world.bob, rated_party="sponsor", **SCORES)
    seats = Membership.objects.count()
    sent = services.survey_invitations_send(today=day)
    assert sent == seats - 1  # Bob already answered this quarter
    assert services.survey_invitations_send(today=day) == 0
    assert services.survey_invitations_send(today=datetime.date(2026, 11, 22)) == 0  # late
    told = Notification.objects.filter(kind=Kind.SURVEY_OPEN)
    assert told.count() == seats - 1 and not told.filter(recipient=world.bob).exists()
    assert told.filter(recipient=world.alice).count() == 2  # her two partnerships, once each
    assert told.filter(recipient=world.alice, partnership=world.globex_contoso).count() == 0


def test_invitation_job_runs_in_the_real_worker_once(celery_worker, world_committed):
    open_quarterly_survey("2027-01-03")  # directly first
    first = SurveyInvitation.objects.count()
    assert first == Membership.objects.count()
    assert open_quarterly_survey.delay(today="2027-01-03").get(timeout=15) == 0
    assert Notification.objects.filter(kind=Kind.SURVEY_OPEN).count() == first


def test_beat_runs_the_survey_and_risk_jobs_daily(settings):
    schedule = {entry["task"]: entry["schedule"]
                for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["governance.tasks.open_quarterly_survey"] == 86400.0
    assert schedule["governance.tasks.remind_risk_reviews"] == 86400.0


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
    # The page shows the current quarter and five before it: five with three answers each
    # about Contoso (comments shown), Bob's lone answers about Acme never in words.
    assert page.count("Remark 0") == 5 and "Remark 3" not in page
