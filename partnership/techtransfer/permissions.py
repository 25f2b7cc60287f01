"""Who may do what with tech transfers (partnership.permissions). Which party names which
owner of a milestone is the milestones' FIELD_RULES."""

from partnership.permissions import declare, is_writer

READ_ONLY = "Your role in this partnership is read-only."

declare("partnership.techtransfer_create", is_writer, refusal=READ_ONLY)
declare("partnership.milestone_edit", is_writer, refusal=READ_ONLY)
