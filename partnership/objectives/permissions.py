"""Who may do what with the sponsor's priorities and the shared objectives
(partnership.permissions). Which party names which owner is the objectives' FIELD_RULES."""

from partnership.parties.permissions import leads_here
from partnership.permissions import declare, is_sponsor, is_writer

READ_ONLY = "Your role in this partnership is read-only."

declare("partnership.priority_set", is_sponsor & leads_here,
        refusal="Only the sponsor's leads set the priorities.")
declare("partnership.objective_create", is_writer, refusal=READ_ONLY)
declare("partnership.objective_edit", is_writer, refusal=READ_ONLY)
declare("partnership.objective_review", is_writer, refusal=READ_ONLY)
