"""Writes of notices, thank-yous and the feedback survey, and the survey's invitation job."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from governance.relationship.models import Notice, Recognition, SurveyInvitation, SurveyResponse
from partnership.models import Membership, Partnership, User
from partnership.notifications.services import notify
from partnership.parties.selectors import party_people
from partnership.permissions import require
from partnership.records import are_seated, shared_record_create, shared_record_update
from portal.locking import locked

NOTICE_FIELDS = ("kind", "title", "body", "effective_date", "site", "is_internal")


@transaction.atomic
def notice_post(*, actor: User, partnership: Partnership, **fields) -> Notice:
    """Post a strategic notice to the other party. Never internal: its point is that the
    other party reads and acknowledges it. Their members are told."""
    require(actor, "governance.notice_post", partnership)
    fields = {**fields, "is_internal": False}
    notice = shared_record_create(Notice, NOTICE_FIELDS, actor=actor, partnership=partnership,
                                  fields=fields)
    notify(recipients=party_people(partnership=partnership, party=notice.receiving_party),
           kind="notice_posted",
           partnership=partnership, title=f"Notice to acknowledge: {notice.title}",
           url=notice.get_absolute_url(), body=notice.get_kind_display(), actor=actor,
           record=notice)
    return notice


@transaction.atomic
def notice_update(*, actor: User, notice: Notice, **fields) -> Notice:
    """Correct a notice in the fields given (the others stay as they are): only its
    poster's party, and only until it is acknowledged (the other party acknowledged what it
    read, and that must stay what it read). The locked row is what changes, never the
    caller's copy."""
    notice = locked(notice, "partnership")
    require(actor, "governance.notice_edit", notice)
    fields = {**fields, "is_internal": False}
    return shared_record_update(notice, NOTICE_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def notice_acknowledge(*, actor: User, notice: Notice) -> Notice:
    """The other party confirms it has read the notice, once. The conditional UPDATE claims
    the acknowledgement, so two people clicking at once record only the first."""
    require(actor, "governance.notice_acknowledge", notice)
    now = timezone.now()
    claimed = Notice.objects.filter(pk=notice.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=actor, acknowledged_at=now, updated_at=now)
    if not claimed:
        raise ValidationError("This notice has already been acknowledged.")
    notice.refresh_from_db()
    notify(recipients=[notice.created_by], kind="notice_acknowledged",
           partnership=notice.partnership, title=f"Notice acknowledged: {notice.title}",
           url=notice.get_absolute_url(), body=f"By {actor}.", actor=actor, record=notice)
    return notice


@transaction.atomic
def recognition_create(*, actor: User, partnership: Partnership, message: str,
                       recipients=(), team: str = "") -> Recognition:
    """Thank people (members of the OTHER party) and/or a team of the other party: anyone
    with a seat may (governance.recognition_create)."""
    require(actor, "governance.recognition_create", partnership)
    party = partnership.party_of(actor)
    recipients = list(recipients or ())
    others = party_people(partnership=partnership, party=Partnership.other_party(party))
    if not are_seated(partnership, recipients, party=Partnership.other_party(party)):
        raise ValidationError({"recipients": "Thank people of the other party who work in "
                                             "this partnership."})
    if not recipients and not team.strip():
        raise ValidationError({"recipients": "Name the people or the team you thank."})
    recognition = Recognition(partnership=partnership, created_by=actor, message=message,
                              author_organization_id=actor.organization_id,
                              team=team.strip(), is_internal=False)
    recognition.full_clean()
    recognition.save()
    recognition.recipients.set(recipients)
    if recipients:
        told, title = recipients, f"{actor} thanked you"
    else:  # a team: tell the people of that party who work in the partnership
        told = others
        title = f"{actor} thanked {recognition.team}"
    notify(recipients=told, kind="recognition", partnership=partnership, title=title,
           url=recognition.get_absolute_url(), body=message[:300], actor=actor,
           record=recognition)
    return recognition


def _already_answered(response: SurveyResponse) -> ValidationError:
    return ValidationError(f"You already answered the survey for "
                           f"{SurveyResponse.quarter_label(response.quarter)}.")


@transaction.atomic
def survey_answer(*, actor: User, partnership: Partnership, comments: str = "",
                  **scores) -> SurveyResponse:
    """Rate the other party for the current calendar quarter (UTC), once. The rated party
    follows from the actor's; the unique constraint answers a double submit with a friendly
    error, not a 500. Anyone with a seat answers (governance.survey_answer)."""
    require(actor, "governance.survey_answer", partnership)
    party = partnership.party_of(actor)
    response = SurveyResponse(
        partnership=partnership, quarter=SurveyResponse.current_quarter(), respondent=actor,
        rated_party="cdmo" if party == "sponsor" else "sponsor", comments=comments.strip(),
        **{name: scores.get(name) for name in SurveyResponse.DIMENSIONS})
    if SurveyResponse.objects.filter(partnership=partnership, quarter=response.quarter,
                                     respondent=actor).exists():
        raise _already_answered(response)
    response.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:  # a second submit that raced past the check above
        raise _already_answered(response) from error
    return response


def survey_invitations_send(*, today: datetime.date | None = None) -> int:
    """Tell every seated person once per quarter, in the quarter's first days, that the
    survey is open. Each invitation's unique key is claimed in the same savepoint as its
    notification, so a second run (or one after a crash) notifies nobody twice."""
    today = today or timezone.now().astimezone(datetime.UTC).date()
    quarter = SurveyResponse.quarter_of(today)
    if (today - quarter).days >= SurveyResponse.INVITATION_DAYS:
        return 0
    answered = set(SurveyResponse.objects.filter(quarter=quarter).values_list(
        "partnership_id", "respondent_id"))
    invited = set(SurveyInvitation.objects.filter(quarter=quarter).values_list(
        "partnership_id", "user_id"))
    sent = 0
    seats = Membership.objects.filter(user__is_active=True).select_related(
        "partnership", "user").order_by("pk")
    for seat in seats:
        key = (seat.partnership_id, seat.user_id)
        if key in answered or key in invited:
            continue
        with transaction.atomic():
            _, created = SurveyInvitation.objects.get_or_create(
                partnership=seat.partnership, quarter=quarter, user=seat.user)
            if created:
                notify(recipients=[seat.user], kind="survey_open",
                       partnership=seat.partnership,
                       title=f"Feedback survey {SurveyResponse.quarter_label(quarter)} is open",
                       url=reverse("governance:survey", args=[seat.partnership_id]),
                       body="Rate the other party on five points; it takes two minutes.")
                sent += 1
    return sent
