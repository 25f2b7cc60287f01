"""Reads of notices, thank-yous and the feedback survey; each starts from the scoped
queryset (DESIGN §2), and no one's survey answer is ever read back but their own."""

import datetime

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from governance.relationship.models import Notice, Recognition, SurveyResponse
from partnership.models import Partnership, User


def notice_list(*, user: User, partnership: Partnership | int | None = None
                ) -> QuerySet[Notice]:
    """Notices the user may see (of one partnership, given it or its id): the list page and
    the API."""
    notices = Notice.objects.visible_to(user).select_related(
        "author_organization", "created_by", "acknowledged_by", "site",
        "partnership__sponsor", "partnership__cdmo")
    return notices.filter(partnership=partnership) if partnership else notices


def notices_awaiting(*, user: User, partnership: Partnership | None = None
                     ) -> QuerySet[Notice]:
    """Notices the user's party must still acknowledge: posted by the other party and not
    yet acknowledged by anyone of the user's."""
    return notice_list(user=user, partnership=partnership).filter(
        acknowledged_at__isnull=True).exclude(author_organization_id=user.organization_id)


def recognition_list(*, user: User, partnership: Partnership | int | None = None
                     ) -> QuerySet[Recognition]:
    """Thank-yous the user may see (of one partnership, given it or its id), newest first:
    the list page, the cockpit card and the API."""
    recognitions = Recognition.objects.visible_to(user).select_related(
        "partnership", "created_by", "author_organization").prefetch_related(
        Prefetch("recipients", queryset=User.objects.order_by("first_name", "last_name")))
    return recognitions.filter(partnership=partnership) if partnership else recognitions


def survey_answer_list(*, user: User, partnership: Partnership | int | None = None
                       ) -> QuerySet[SurveyResponse]:
    """The user's own survey answers (of one partnership, given it or its id): the only
    ones `visible_to` gives anyone, listed by the API."""
    answers = SurveyResponse.objects.visible_to(user)
    return answers.filter(partnership=partnership) if partnership else answers


def survey_answer_of(*, user: User, partnership: Partnership,
                     quarter: datetime.date | None = None) -> SurveyResponse | None:
    """The user's own answer for the quarter (the current one by default), if any: the only
    answers `visible_to` gives anyone are their own."""
    return SurveyResponse.objects.visible_to(user).filter(
        partnership=partnership, quarter=quarter or SurveyResponse.current_quarter()).first()


def survey_answer_pool(*, user: User, partnership: Partnership) -> QuerySet[SurveyResponse]:
    """Everyone's answers in a partnership the user may see, read anonymously: the input of
    survey_results' figures, which name no respondent. Nothing else reads them, and nothing
    lists them: an answer's own page or API record is its respondent's alone."""
    return SurveyResponse.objects.for_aggregates(user).filter(partnership=partnership)


def survey_results(*, user: User, partnership: Partnership, quarters: int = 6) -> dict:
    """Results per rated party for the closed quarters among the last `quarters` (the open
    one included in the count), computed in the database (two queries whatever the number
    of answers); no respondent is ever part of the result.

    A quarter's figures are published only once it has closed, and only from
    MIN_FOR_DETAIL respondents on. While a quarter is open, each new answer would show as a
    step in its average (4 × new − 3 × old is the newcomer's answer); below the minimum an
    average is one person's answer, or a colleague's once you subtract your own. So an
    unpublished quarter gives neither averages, overall, change, comments nor its exact
    count, and the open quarter gives at most how many have answered so far. "Change" is
    against the calendar quarter just before, and only when that one is published too."""
    answers = survey_answer_pool(user=user, partnership=partnership)
    current = oldest = SurveyResponse.current_quarter()
    for _ in range(quarters - 1):
        oldest = SurveyResponse.previous_quarter(oldest)
    dimensions, minimum = SurveyResponse.DIMENSIONS, SurveyResponse.MIN_FOR_DETAIL
    rows = list(answers.filter(quarter__gte=oldest).values("rated_party", "quarter").annotate(
        respondents=Count("pk"), **{name: Avg(name) for name in dimensions}).order_by(
        "rated_party", "-quarter"))
    published_rows = [row for row in rows
                      if row["quarter"] < current and row["respondents"] >= minimum]
    comments: dict[tuple, list[str]] = {}
    if published_rows:
        which = Q()
        for row in published_rows:
            which |= Q(rated_party=row["rated_party"], quarter=row["quarter"])
        for party, quarter, text in answers.filter(which).exclude(comments="").order_by(
                "comments").values_list("rated_party", "quarter", "comments"):
            comments.setdefault((party, quarter), []).append(text)
    figures = {}  # (party, quarter) -> (averages, overall) of the published quarters
    for row in published_rows:
        averages = {name: round(float(row[name]), 1) for name in dimensions}
        figures[row["rated_party"], row["quarter"]] = (
            averages, round(sum(averages.values()) / len(dimensions), 1))
    parties = []
    for code, rated, rating in (("cdmo", partnership.cdmo, partnership.sponsor),
                                ("sponsor", partnership.sponsor, partnership.cdmo)):
        so_far = next((row["respondents"] for row in rows
                       if row["rated_party"] == code and row["quarter"] == current), 0)
        results = []
        for row in rows:
            if row["rated_party"] != code or row["quarter"] == current:
                continue
            quarter = row["quarter"]
            averages, overall = figures.get((code, quarter), (None, None))
            before = figures.get((code, SurveyResponse.previous_quarter(quarter)))
            published = averages is not None
            results.append({
                "quarter": quarter, "label": SurveyResponse.quarter_label(quarter),
                "published": published,
                "respondents": row["respondents"] if published else None,
                "averages": averages, "overall": overall,
                "change": round(overall - before[1], 1) if published and before else None,
                "comments": comments.get((code, quarter), []),
            })
        parties.append({"party": code, "rated": rated, "rated_by": rating,
                        "answers_so_far": so_far if so_far >= minimum else None,
                        "quarters": results})
    return {"current_quarter": current, "current_label": SurveyResponse.quarter_label(current),
            "current_ends": SurveyResponse.quarter_end(current), "dimensions": dimensions,
            "min_for_detail": minimum, "parties": parties}
