"""Writes of tech transfers: a transfer with its standard milestones, and each milestone's
plan, owners and the deliverables it depends on."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.contracts.models import Program
from partnership.parties.models import Partnership, Site, User
from partnership.permissions import require
from partnership.records import check_field_rules, check_owners
from partnership.scoping import check_refers_to_shared
from partnership.techtransfer.models import Milestone, TechTransfer
from portal.locking import locked


@transaction.atomic
def tech_transfer_create(*, actor: User, partnership: Partnership, program: Program,
                         site: Site, title: str, is_internal: bool = False) -> TechTransfer:
    """A transfer starts with its six standard milestones, to be planned and owned."""
    require(actor, "partnership.techtransfer_create", partnership)
    transfer = TechTransfer(partnership=partnership, program=program, site=site, title=title,
                            is_internal=is_internal, author_organization_id=actor.organization_id,
                            created_by=actor)
    transfer.full_clean()
    transfer.save()
    Milestone.objects.bulk_create(
        Milestone(partnership=partnership, tech_transfer=transfer, kind=kind, position=index)
        for index, kind in enumerate(Milestone.Kind.values))
    return transfer


MILESTONE_FIELDS = ("sponsor_owner", "cdmo_owner", "planned_date", "actual_date", "note")


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, deliverables=None,
                     **fields) -> Milestone:
    """Plan a milestone, name its owners (each party its own: Milestone.FIELD_RULES), link
    the deliverables it depends on. A field left out (a PATCH, a form without it) stays as
    it is; `deliverables` None keeps them."""
    require(actor, "partnership.milestone_edit", milestone)
    milestone = locked(milestone, "partnership")
    partnership = milestone.partnership
    check_field_rules(milestone, actor=actor,
                      changes={name: fields[name] for name in MILESTONE_FIELDS if name in fields})
    check_owners(partnership, fields, milestone)
    if deliverables is not None:
        deliverables = list(deliverables)
        if any(d.partnership_id != partnership.pk for d in deliverables):
            raise ValidationError({"deliverables": "Choose deliverables of this partnership."})
        check_refers_to_shared(milestone, "deliverables", deliverables)
    for name in MILESTONE_FIELDS:
        if name in fields:
            setattr(milestone, name, fields[name])
    milestone.full_clean()
    milestone.save()
    if deliverables is not None:
        milestone.deliverables.set(deliverables)
    return milestone
