"""Reads of batches; each starts from the scoped queryset (DESIGN §2)."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from governance.quality.batches.models import Batch, CertificateOfAnalysis
from governance.quality.selectors import audit_site_choices
from partnership.models import Partnership, Program, Site, User


def batch_list(*, user: User, partnership: Partnership | int | None = None
               ) -> QuerySet[Batch]:
    """Lots the user may see (of one partnership, given it or its id), with their program,
    site, reviewers and certificates: the list page, the detail page and the API in a fixed
    number of queries."""
    batches = Batch.objects.visible_to(user).select_related(
        "program", "site", "cdmo_reviewed_by", "sponsor_reviewed_by", "disposed_by",
        "partnership__sponsor", "partnership__cdmo").prefetch_related(Prefetch(
            "certificates", queryset=certificate_list(user=user)))
    return batches.filter(partnership=partnership) if partnership else batches


def batch_get(*, user: User, partnership: Partnership, pk: int) -> Batch:
    """One lot with its certificates (DoesNotExist when the user may not see it)."""
    return batch_list(user=user, partnership=partnership).get(pk=pk)


def certificate_list(*, user: User, partnership: Partnership | int | None = None
                     ) -> QuerySet[CertificateOfAnalysis]:
    certificates = CertificateOfAnalysis.objects.visible_to(user).select_related("uploaded_by")
    return certificates.filter(partnership=partnership) if partnership else certificates


def batch_site_choices(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    """The CDMO's sites a lot of this partnership is made or tested at."""
    return audit_site_choices(user=user, partnership=partnership)


def batch_program_choices(*, user: User, partnership: Partnership) -> QuerySet[Program]:
    """The partnership's programs both parties see."""
    return Program.objects.visible_to(user).filter(partnership=partnership,
                                                   is_internal=False).order_by("code")


def batch_quality_rates(*, user: User, partnership: Partnership, start: datetime.date,
                        end: datetime.date) -> dict:
    """Right-first-time and lot acceptance of the partnership's lots finally disposed of
    from `start` to `end` (inclusive days, in the server's zone): BatchQuerySet.quality_rates."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=zone)
    return Batch.objects.visible_to(user).filter(partnership=partnership).quality_rates(
        since, until)


# --- The QA desk (governance.quality.desk) ---------------------------------------------

#: Lots whose batch record review is not done: the CDMO's, then the sponsor's.
AWAITING_REVIEW = (Batch.Status.MANUFACTURED, Batch.Status.CDMO_REVIEWED)


def _desk_batches(*, user: User, partnerships, statuses) -> QuerySet[Batch]:
    return Batch.objects.visible_to(user).filter(
        partnership__in=partnerships, status__in=statuses).select_related(
        "program", "site").order_by("manufactured_on", "pk")


def desk_batches_to_dispose(*, user: User, partnerships) -> QuerySet[Batch]:
    """Lots of `partnerships` (ids) reviewed by both parties (or quarantined) that await
    the sponsor's disposition, the oldest first."""
    return _desk_batches(user=user, partnerships=partnerships, statuses=Batch.DISPOSABLE)


def desk_batches_to_review(*, user: User, partnerships) -> QuerySet[Batch]:
    """Lots of `partnerships` (ids) whose batch record awaits review, the oldest first."""
    return _desk_batches(user=user, partnerships=partnerships, statuses=AWAITING_REVIEW)
