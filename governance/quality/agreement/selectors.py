"""Reads of the quality agreement; each starts from the scoped queryset (DESIGN §2)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from governance.quality.agreement.models import Part, QualityAgreement, Responsibility
from partnership.models import Contract, Partnership, User

#: Positive lookups only: on a joined row, not on the agreement as a whole.
_NOT_RESPONSIBLE = [value for value in Part.values if value != Part.RESPONSIBLE]
_GAP = Q(responsibilities__sponsor__in=_NOT_RESPONSIBLE) & Q(
    responsibilities__cdmo__in=_NOT_RESPONSIBLE)
_OVERLAP = Q(responsibilities__sponsor=Part.RESPONSIBLE) & Q(
    responsibilities__cdmo=Part.RESPONSIBLE)


def agreement_list(*, user: User, partnership: Partnership | int | None = None
                   ) -> QuerySet[QualityAgreement]:
    """Quality agreements the user may see, with their contract and their matrix's rows,
    gaps and overlaps counted: the list page, the detail page and the API in a fixed
    number of queries."""
    agreements = QualityAgreement.objects.visible_to(user).select_related(
        "contract__parent", "partnership__sponsor", "partnership__cdmo").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.order_by(
            "position", "pk"))).annotate(
        row_count=Count("responsibilities", distinct=True),
        gap_count=Count("responsibilities", distinct=True, filter=_GAP),
        overlap_count=Count("responsibilities", distinct=True, filter=_OVERLAP)).order_by(
        "-contract__effective_date", "-pk")
    return agreements.filter(partnership=partnership) if partnership else agreements


def agreement_contract_choices(*, user: User, partnership: Partnership) -> QuerySet[Contract]:
    """The quality agreement contracts (and amendments of one) still being written that
    have no quality terms yet."""
    return Contract.objects.visible_to(user).filter(
        partnership=partnership, is_internal=False,
        status__in=(Contract.Status.DRAFT, Contract.Status.NEGOTIATION),
        quality_agreement__isnull=True).filter(
        Q(kind=Contract.Kind.QUALITY_AGREEMENT) | Q(
            kind=Contract.Kind.AMENDMENT,
            parent__kind=Contract.Kind.QUALITY_AGREEMENT)).order_by("reference")


def agreement_in_force(*, user: User, partnership: Partnership) -> QualityAgreement | None:
    """The agreement the deviations of `partnership` are held to, if the user sees it."""
    found = QualityAgreement.objects.in_force(partnership)
    if found is None or not QualityAgreement.objects.visible_to(user).filter(
            pk=found.pk).exists():
        return None
    return found
