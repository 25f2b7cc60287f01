"""What of a record's History the other party may read: only what happened since the record
was last shared with it.

A record written internal and shared later is readable by the other party from then on,
but its events from while it was internal (its title then, its parts' changes then) are the
author's party's alone (DESIGN §2). So are those from while it was in one of its kind's
OWN_STATUSES (a KPI value's draft: its reporting party's own work until shared for review).
The same holds through the records it takes its internal flag from (INTERNAL_VIA: a
transfer under an internal program). `hidden_until`
gives, per record, the moment before which its History is hidden from an organization;
the History page, its API and the auditor's export keep to it, and never diff a shown
event against a hidden one.
"""

import datetime

from django.db.models import Max, Q

from partnership.history.tracking import event_model
from partnership.scoping import can_be_internal

#: Hidden for ever: a record internal in its last event (not shared yet with this reader).
ALWAYS = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def hidden_until(model, ids, organization_id: int | None, *, own_statuses_of_all=False
                 ) -> dict[int, datetime.datetime]:
    """{record id: the moment before which `organization_id` reads none of its History} of
    the records `ids` of `model` that were internal to the other party at some point (the
    others are absent: all their History is readable with them). A few queries per model
    on the INTERNAL_VIA path, and one per record that was ever internal to the other party.
    With `own_statuses_of_all` (a steering seat: it reads a KPI value once published), the
    time in OWN_STATUSES is hidden whichever party wrote the record."""
    ids = list(ids)
    cut: dict[int, datetime.datetime] = {}
    if not ids or not can_be_internal(model):
        return cut
    if any(field.name == "is_internal" for field in model._meta.concrete_fields):
        events = event_model(model).objects.filter(pgh_obj_id__in=ids)
        others = ~Q(author_organization_id=organization_id)
        hidden = Q(is_internal=True) & others
        if getattr(model, "OWN_STATUSES", ()):
            hidden |= Q(status__in=model.OWN_STATUSES) & (Q() if own_statuses_of_all
                                                          else others)
        last_internal = (events.filter(hidden)
                         .values("pgh_obj_id").annotate(last=Max("pgh_id")))
        for row in last_internal:
            shared = events.filter(pgh_obj_id=row["pgh_obj_id"], pgh_id__gt=row["last"]) \
                .order_by("pgh_id").values_list("pgh_created_at", flat=True).first()
            cut[row["pgh_obj_id"]] = shared or ALWAYS
    for name in getattr(model, "INTERNAL_VIA", ()):
        field = model._meta.get_field(name)
        parents = dict(model._base_manager.filter(pk__in=ids).exclude(
            **{f"{field.attname}__isnull": True}).values_list("pk", field.attname))
        above = hidden_until(field.related_model, set(parents.values()), organization_id)
        for pk, parent in parents.items():
            if parent in above:
                cut[pk] = max(cut.get(pk, above[parent]), above[parent])
    return cut


def is_hidden(event_at, parent_id, cut: dict) -> bool:
    """Whether an event of the record `parent_id`'s History at `event_at` is hidden."""
    until = cut.get(parent_id)
    return until is not None and event_at < until
