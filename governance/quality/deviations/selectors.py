"""Reads of deviations and CAPAs; each starts from the scoped queryset (DESIGN §2)."""

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Value, When, Window
from django.utils import timezone

from governance.quality.batches.models import Batch
from governance.quality.deviations.models import Capa, Deviation
from governance.quality.models import Finding
from partnership.models import Membership, Partnership, Site, User
from partnership.parties.selectors import partnership_sites, seated_people
from portal.queries import SubqueryCount


def deviation_list(*, user: User, partnership: Partnership | int | None = None
                   ) -> QuerySet[Deviation]:
    """Deviations the user may see (the CDMO's not yet notified only to the CDMO), with
    their site, the agreement they are held to and their CAPAs counted."""
    capas = Capa.objects.filter(deviation=OuterRef("pk"))
    deviations = Deviation.objects.visible_to(user).select_related(
        "site", "batch", "agreement__contract", "closed_by", "partnership__sponsor",
        "partnership__cdmo").annotate(
        capa_count=SubqueryCount(capas),
        open_capa_count=SubqueryCount(capas.filter(status__in=Capa.OPEN))).order_by(
        "-detected_at", "-pk")
    return deviations.filter(partnership=partnership) if partnership else deviations


def deviation_batch_choices(*, user: User, partnership: Partnership) -> QuerySet[Batch]:
    """The partnership's lots a deviation may name (every lot is seen by both parties)."""
    return Batch.objects.visible_to(user).filter(partnership=partnership).select_related(
        "site").order_by("-manufactured_on", "-pk")


def batch_deviations(*, user: User, batch: Batch, limit: int = 20) -> list[Deviation]:
    """The deviations naming a lot that the user may see, newest first: at most `limit`
    and one more (so the page says there are more and links to the filtered list), in
    one query whatever their number."""
    return list(deviation_list(user=user).filter(batch=batch)[:limit + 1])


def deviation_site_choices(*, user: User, partnership: Partnership) -> QuerySet[Site]:
    return partnership_sites(user=user, partnership=partnership).filter(
        organization_id=partnership.cdmo_id)


def capa_list(*, user: User, partnership: Partnership | int | None = None) -> QuerySet[Capa]:
    """CAPAs the user may see, with their owner and source (finding and its audit's site,
    or deviation)."""
    capas = Capa.objects.visible_to(user).select_related(
        "owner__organization", "finding__audit__site", "deviation__site",
        "partnership__sponsor", "partnership__cdmo").order_by("-number")
    return capas.filter(partnership=partnership) if partnership else capas


def capa_owner_choices(*, user: User, partnership: Partnership) -> QuerySet[User]:
    """Either party's people seated here in a role that acts."""
    return seated_people(partnership=partnership, roles=Membership.WRITING_ROLES, user=user)


def capa_finding_choices(*, user: User, partnership: Partnership) -> QuerySet[Finding]:
    return Finding.objects.visible_to(user).filter(partnership=partnership).exclude(
        classification=Finding.Classification.OBSERVATION).select_related(
        "audit__site").order_by("-audit__planned_start", "number")


def capa_deviation_choices(*, user: User, partnership: Partnership) -> QuerySet[Deviation]:
    """Deviations a CAPA may answer: those both parties see (the sponsor was notified)."""
    return Deviation.objects.visible_to(user).filter(
        partnership=partnership, is_internal=False).order_by("-detected_at", "-pk")


def deviation_capas(*, user: User, deviation: Deviation) -> list[Capa]:
    return list(capa_list(user=user).filter(deviation=deviation))


#: The overdue CAPAs a card or a page section names (the rest: a link to the list away).
CAPAS_SHOWN = 5


def capa_cockpit(*, user: User, partnership: Partnership) -> dict:
    """The partnership home's card of overdue CAPAs — the page the steering committee's
    members come to (DESIGN §8): the most overdue by name, with their owner, and how many
    are overdue in all (a window count over the same rows: one query), linking to the
    filtered list."""
    rows = list(Capa.objects.visible_to(user).filter(partnership=partnership).overdue(
        timezone.localdate()).select_related("owner").annotate(
        overdue_total=Window(Count("pk"))).order_by("due_date", "pk")[:CAPAS_SHOWN])
    return {"template": "governance/capa_cockpit.html",
            "today": timezone.localdate(),
            "overdue_capas": rows[0].overdue_total if rows else 0,
            "overdue_capa_rows": rows}


def capas_owned_list(*, user: User) -> QuerySet[Capa]:
    """My work: the CAPAs the user owns still to be worked on (open or in progress),
    across their partnerships, the earliest due first (overdue ones on top)."""
    return capa_list(user=user).filter(owner=user, status__in=Capa.ACTIVE).order_by(
        "due_date", "pk")


def capas_owned(*, user: User, limit: int = 50) -> list[Capa]:
    return list(capas_owned_list(user=user)[:limit])


def capas_overdue_for_steering_list(*, user: User) -> QuerySet[Capa]:
    """My work of a steering committee member: the overdue CAPAs of the partnerships where
    they sit on the steering committee, the most overdue first."""
    steering = Membership.objects.filter(user=user, role=Membership.Role.STEERING).values(
        "partnership")
    return capa_list(user=user).filter(partnership__in=steering).overdue(
        timezone.localdate()).order_by("due_date", "pk")


def capas_overdue_for_steering(*, user: User, limit: int = 50) -> list[Capa]:
    return list(capas_overdue_for_steering_list(user=user)[:limit])


# --- The QA desk (governance.quality.desk) ---------------------------------------------

def desk_capas(*, user: User, partnerships) -> QuerySet[Capa]:
    """Open CAPAs of `partnerships` (ids), the oldest first."""
    return Capa.objects.visible_to(user).filter(
        partnership__in=partnerships, status__in=Capa.OPEN).select_related(
        "owner").order_by("created_at", "pk")


def desk_deviations(*, user: User, partnerships) -> QuerySet[Deviation]:
    """Deviations of `partnerships` (ids) whose notification clock runs (the sponsor not
    yet told, a deadline set: the CDMO sees these) or whose closure awaits the sponsor's
    approval; the running clocks first, by their deadline, then the closures, oldest
    deviation first."""
    clock = Q(status__in=Deviation.OPEN, sponsor_notified_at__isnull=True,
              notify_by__isnull=False)
    return Deviation.objects.visible_to(user).filter(
        clock | Q(status=Deviation.Status.CLOSURE_REQUESTED),
        partnership__in=partnerships).annotate(
        clock_runs=Case(When(sponsor_notified_at__isnull=True, then=Value(True)),
                        default=Value(False)),
        urgent_at=Case(When(sponsor_notified_at__isnull=True, then=F("notify_by")),
                       default=F("detected_at"))).select_related(
        "site").order_by("-clock_runs", "urgent_at", "pk")
