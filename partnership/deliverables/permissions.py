"""Who may do what with deliverables (partnership.permissions): the responsible party does
the work, the receiving party states its criteria and reviews it. When (a deliverable's
state) is the model's: Deliverable.criteria_open, Deliverable.awaiting_review and its
WORKFLOW; which party sets its SOW and who delivers is its FIELD_RULES."""

import rules

from partnership.permissions import declare, is_receiving_party, is_writer, partnership_of

READ_ONLY = "Your role in this partnership is read-only."


@rules.predicate
def is_responsible_party(user, deliverable) -> bool:
    return partnership_of(deliverable).party_of(user) == deliverable.responsible_party


declare("partnership.deliverable_create", is_writer, refusal=READ_ONLY)
declare("partnership.deliverable_edit", is_writer, refusal=READ_ONLY)
declare("partnership.deliverable_start", is_responsible_party & is_writer,
        refusal="Only the responsible party starts the work: starting it agrees to the "
                "acceptance criteria.")
declare("partnership.deliverable_deliver", is_responsible_party & is_writer,
        refusal="Only the responsible party marks its deliverable delivered.")
declare("partnership.acceptancecriterion_add", is_receiving_party & is_writer,
        refusal="The receiving party states the acceptance criteria: it reviews the "
                "delivery against them.")
declare("partnership.deliverable_review", is_receiving_party & is_writer,
        refusal="The receiving party reviews a deliverable.")

#: The rule of each step of Deliverable.WORKFLOW, by the status it leads to (the receiving
#: party's step is its review: deliverable_review).
STEPS = {"in_progress": "partnership.deliverable_start",
         "delivered": "partnership.deliverable_deliver"}
