"""Writes of the steering pack: asking for one (the job is sent once the request is
committed) and the job's generation, which happens once whatever the number of deliveries."""

import datetime
import logging
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from governance.meetings.models import Meeting
from governance.meetings.selectors import meeting_list
from metrics.steering.models import SteeringPack
from partnership.models import Partnership, User
from partnership.permissions import require

logger = logging.getLogger("lockstep.steering")

#: The longest period a pack covers (two years and a little).
MAX_DAYS = 800


def next_steering_meeting(*, user: User, partnership: Partnership) -> Meeting | None:
    """The partnership's next scheduled steering committee meeting the user sees."""
    return meeting_list(user=user, partnership=partnership).filter(
        kind=Meeting.Kind.STEERING_COMMITTEE, status=Meeting.Status.SCHEDULED,
        starts_at__gte=timezone.now()).order_by("starts_at", "pk").first()


@transaction.atomic
def steering_pack_request(*, actor: User, partnership: Partnership,
                          period_start: datetime.date, period_end: datetime.date,
                          meeting: Meeting | None = None) -> SteeringPack:
    """Record the ask and send the job when the transaction commits. The pack is attached
    to `meeting` (one of this partnership's, which the caller chose from the scoped
    choices) or else to the next steering committee meeting."""
    require(actor, "metrics.steeringpack_request", partnership)
    errors = {}
    if period_start > period_end:
        errors["period_end"] = "The period ends on or after the day it starts."
    elif (period_end - period_start).days > MAX_DAYS:
        errors["period_start"] = "A pack covers at most two years."
    if meeting is not None and meeting.partnership_id != partnership.pk:
        errors["meeting"] = "Choose a meeting of this partnership."
    if errors:
        raise ValidationError(errors)
    pack = SteeringPack.objects.create(
        partnership=partnership, requested_by=actor, period_start=period_start,
        period_end=period_end, size=0,
        meeting=meeting or next_steering_meeting(user=actor, partnership=partnership))
    from metrics.steering.tasks import steering_pack_generate_task

    transaction.on_commit(lambda: steering_pack_generate_task.delay(pack.pk))
    return pack


def steering_pack_generate(pack_id: int) -> bool:
    """Make the pack's PDF, once: the row is locked for the work, and a pack already made
    is left as it is, so a job delivered twice (or run again after a worker died half-way,
    whose transaction then rolled back) makes one file. The figures are read as the person
    who asked, through the selectors, so the pack holds only what they may see. True when
    this call made it."""
    try:
        return _generate(pack_id)
    except Exception:
        # Nothing of the attempt was kept (its transaction rolled back): the pack says so,
        # rather than looking as if it were still being made.
        logger.exception("Steering pack %s could not be made", pack_id)
        SteeringPack.objects.filter(pk=pack_id).exclude(
            status=SteeringPack.Status.READY).update(
            status=SteeringPack.Status.FAILED,
            error="The pack could not be made; ask for it again.")
        raise


def _generate(pack_id: int) -> bool:
    from metrics.steering.pdf import build_pack

    with transaction.atomic():
        pack = SteeringPack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status != SteeringPack.Status.PENDING:
            return False
        requester = User.objects.get(pk=pack.requested_by_id)
        partnership = Partnership.objects.visible_to(requester).select_related(
            "sponsor", "cdmo").filter(pk=pack.partnership_id).first()
        if partnership is None:  # the requester lost the seat since asking
            SteeringPack.objects.filter(pk=pack.pk).update(
                status=SteeringPack.Status.FAILED,
                error="The person who asked no longer sees this partnership.")
            return False
        now = timezone.now()
        content = build_pack(user=requester, partnership=partnership,
                             start=pack.period_start, end=pack.period_end,
                             requested_by=requester.get_full_name() or requester.email,
                             generated_at=now.astimezone(zoneinfo.ZoneInfo(requester.time_zone)))
        name = f"steering-pack-{partnership.pk}-{pack.period_start:%Y%m%d}-" \
               f"{pack.period_end:%Y%m%d}.pdf"
        pack.take(ContentFile(content, name=name))
        pack.status, pack.generated_at, pack.error = SteeringPack.Status.READY, now, ""
        pack.save()
    logger.info("Steering pack %s made (%s bytes)", pack.pk, pack.size)
    return True
