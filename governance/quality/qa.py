"""Who speaks for a party's quality in a partnership: its QA leads, or its leads where the
party seats no QA lead (as the audit programme does), so no quality step waits on nobody."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from partnership.models import Membership, Partnership, User


def party_has_qa_lead(partnership: Partnership, user: User, party: str) -> bool:
    """Whether `party` seats a QA lead here: read once per request, partnership and party
    (kept on the user object, like Partnership.hold_role_of)."""
    known = user.__dict__.setdefault("_qa_seated", {})
    key = (partnership.pk, party)
    if key not in known:
        known[key] = partnership.seated_people(party=party, roles=["qa_lead"]).exists()
    return known[key]


def acts_for_quality(partnership: Partnership, user: User, party: str | None = None) -> bool:
    """Whether `user` is their party's QA lead here (of `party`, if given), or its lead
    where it seats no QA lead."""
    own = partnership.party_of(user)
    if own is None or (party is not None and own != party):
        return False
    role = partnership.role_of(user)
    return role == "qa_lead" or (role == "lead" and not party_has_qa_lead(partnership, user, own))


def quality_signers(partnership: Partnership, party: str) -> tuple[int, ...]:
    """The ids of those who act for `party`'s quality: its QA leads, else its leads."""
    qa = partnership.seated_people(party=party, roles=["qa_lead"])
    people = qa if qa.exists() else partnership.seated_people(party=party, roles=["lead"])
    return tuple(people.values_list("pk", flat=True))


def acts_for_quality_here(user: User) -> ExpressionWrapper:
    """acts_for_quality as SQL, on rows of Partnership: whether `user` holds a QA lead's seat
    there, or a lead's where no one of their party holds one. Lets a page ask it of every
    partnership of the user in the query that lists them (the top bar's, the QA desk's)."""
    seats = Membership.objects.filter(partnership=OuterRef("pk"), user=user)
    party_qa = Membership.objects.filter(partnership=OuterRef("pk"), role="qa_lead",
                                         user__organization_id=user.organization_id)
    return ExpressionWrapper(
        Q(Exists(seats.filter(role="qa_lead"))) |
        (Q(Exists(seats.filter(role="lead"))) & ~Q(Exists(party_qa))),
        output_field=BooleanField())


def quality_partnerships(user: User) -> QuerySet[Partnership]:
    """The partnerships the user sees and acts for their party's quality in (one query)."""
    if not user.is_authenticated or user.organization_id is None:
        return Partnership.objects.none()
    return Partnership.objects.visible_to(user).annotate(
        acts_for_quality=acts_for_quality_here(user)).filter(
        acts_for_quality=True).select_related("sponsor", "cdmo")


def hold_qa_seats(user: User, partnership_ids) -> None:
    """party_has_qa_lead (and Audit._cdmo_has_qa_lead) for many partnerships in one query:
    a list of quality records asks it of each row's partnership."""
    known = user.__dict__.setdefault("_qa_seated", {})
    cdmo_known = user.__dict__.setdefault("_cdmo_qa_seated", {})
    wanted = {pk for pk in partnership_ids if (pk, "sponsor") not in known
              or (pk, "cdmo") not in known or pk not in cdmo_known}
    if not wanted:
        return
    seated = set()
    for pk, organization, sponsor, cdmo in Membership.objects.filter(
            partnership_id__in=wanted, role=Membership.Role.QA_LEAD).values_list(
            "partnership_id", "user__organization_id", "partnership__sponsor_id",
            "partnership__cdmo_id"):
        if organization == sponsor:
            seated.add((pk, "sponsor"))
        elif organization == cdmo:
            seated.add((pk, "cdmo"))
    for pk in wanted:
        for party in ("sponsor", "cdmo"):
            known[(pk, party)] = (pk, party) in seated
        cdmo_known[pk] = (pk, "cdmo") in seated
