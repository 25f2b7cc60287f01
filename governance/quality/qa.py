"""Who speaks for a party's quality in a partnership: its QA leads, or its leads where the
party seats no QA lead (as the audit programme does), so no quality step waits on nobody."""

from partnership.models import Partnership, User


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
