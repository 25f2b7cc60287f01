"""Writes of the communication plan: each party's points of contact, the ground rules and
cadence, and the escalation path; the other party's leads are told of every change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from partnership.communication.models import CommunicationPlan, EscalationLevel, PointOfContact
from partnership.notifications.services import notify
from partnership.parties.models import Partnership, User
from partnership.parties.selectors import party_leads
from partnership.permissions import require
from partnership.rules import PARTY_NAMES
from portal.locking import locked


@transaction.atomic
def contact_set(*, actor: User, partnership: Partnership, function: str, primary: User,
                backup: User | None = None) -> PointOfContact:
    """Name the actor's own party's contact (and backup) for a function."""
    require(actor, "partnership.pointofcontact_set", partnership)
    party = partnership.party_of(actor)
    contact = PointOfContact.objects.select_for_update().filter(
        partnership=partnership, party=party, function=function).first()
    contact = contact or PointOfContact(partnership=partnership, party=party, function=function)
    contact.primary, contact.backup = primary, backup
    contact.full_clean()
    contact.save()
    return contact


def _tell_the_other_party(*, actor: User, partnership: Partnership, title: str,
                          changes: list[str]) -> None:
    """What both parties follow (the escalation path, the communication plan) is changed by
    one of them: the other party's leads are told, old → new, like the agreed settings."""
    if not changes:
        return
    other = Partnership.other_party(partnership.party_of(actor))
    notify(recipients=party_leads(partnership=partnership, party=other),
           kind="communication_changed", partnership=partnership,
           title=f"{actor} changed {title}",
           url=reverse("partnership:communication_detail", args=[partnership.pk]),
           body="\n".join(changes), actor=actor)


def _quoted(text: str) -> str:
    return f"“{text}”" if text.strip() else "(none)"


@transaction.atomic
def communication_plan_update(*, actor: User, partnership: Partnership,
                              ground_rules: str | None = None,
                              meeting_cadence: str | None = None) -> CommunicationPlan:
    """Either party rewrites the ground rules or the cadence both follow (one left out, or
    None, stays as it is); the other party's leads are told of each change, old → new."""
    require(actor, "partnership.communicationplan_edit", partnership)
    plan, _ = CommunicationPlan.objects.get_or_create(partnership=partnership)
    plan = locked(plan)
    labels = {"ground_rules": "Ground rules", "meeting_cadence": "Meeting cadence"}
    before = {name: getattr(plan, name) for name in labels}
    for name, value in (("ground_rules", ground_rules), ("meeting_cadence", meeting_cadence)):
        if value is not None:
            setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    _tell_the_other_party(
        actor=actor, partnership=partnership, title="the communication plan",
        changes=[f"{label}: {_quoted(before[name])} → {_quoted(getattr(plan, name))}"
                 for name, label in labels.items() if getattr(plan, name) != before[name]])
    return plan


def _names(people) -> str:
    return ", ".join(sorted(str(person) for person in people)) or "nobody"


@transaction.atomic
def escalation_level_set(*, actor: User, partnership: Partnership, level: int, name: str,
                         days_allowed: int, people) -> EscalationLevel:
    """Create or replace one level of the path; its people must hold seats in the partnership.

    Whoever creates a level names people of both sides (or adds the other side's while it
    has nobody there yet); from then on each party changes its own people there (as with an
    objective's owners): otherwise one party could take the other's steering member off the
    level its overdue items escalate to. Its name and the
    days it allows are both parties' to change, and the other party's leads are told of
    every change, old → new, since the jobs escalate both parties' items by it."""
    require(actor, "partnership.escalationlevel_set", partnership)
    people = list(people)
    seated = set(partnership.seated_people().filter(pk__in=[p.pk for p in people])
                 .values_list("pk", flat=True))
    outsiders = [str(p) for p in people if p.pk not in seated]
    if outsiders:
        raise ValidationError({"people": f"Not members of this partnership: "
                                         f"{', '.join(outsiders)}."})
    if not people:
        raise ValidationError({"people": "Name at least one person at this level."})
    row = EscalationLevel.objects.select_for_update().filter(
        partnership=partnership, level=level).first()
    other = Partnership.other_party(partnership.party_of(actor))
    before = None
    if row is not None:
        before = (row.name, row.days_allowed, list(row.people.all()))
        # The other party's people who still hold a seat stay as they are; one who has left
        # the partnership since may be dropped by either party.
        theirs = list(partnership.seated_people(party=other).filter(
            pk__in=[person.pk for person in before[2]]))
        named = {person.pk for person in people
                 if person.organization_id == partnership.organization_id_of(other)}
        if theirs and named != {person.pk for person in theirs}:
            raise ValidationError({"people": f"Only {PARTY_NAMES[other]} changes its own "
                                             f"people at this level: keep {_names(theirs)}."})
    row = row or EscalationLevel(partnership=partnership, level=level)
    row.name, row.days_allowed = name, days_allowed
    row.full_clean()
    row.save()
    row.people.set(people)
    if before is None:
        changes = [f"New level {level}: {name}, {days_allowed} days before it moves up, "
                   f"people: {_names(people)}"]
    else:
        changes = [f"{label}: {old} → {new}" for label, old, new in (
            ("Name", before[0], row.name),
            ("Days before it moves up", before[1], row.days_allowed),
            ("People", _names(before[2]), _names(people))) if old != new]
    _tell_the_other_party(actor=actor, partnership=partnership,
                          title=f"level {level} of the escalation path", changes=changes)
    return row
