"""Who may do what with programs and contracts (partnership.permissions). Which party dates
a round or its answer is the rounds' FIELD_RULES (NegotiationRound), checked beside these."""

from partnership.permissions import declare, is_sponsor, is_writer

READ_ONLY = "Your role in this partnership is read-only."
SPONSORS = "Programs are the sponsor's to describe."

declare("partnership.program_create", is_sponsor & is_writer, refusal=SPONSORS)
declare("partnership.program_edit", is_sponsor & is_writer, refusal=SPONSORS)
declare("partnership.contract_create", is_writer, refusal=READ_ONLY)
declare("partnership.contract_edit", is_writer, refusal=READ_ONLY)
declare("partnership.contract_transition", is_writer, refusal=READ_ONLY)
declare("partnership.negotiationround_add", is_writer, refusal=READ_ONLY)
declare("partnership.negotiationround_answer", is_writer, refusal=READ_ONLY)
declare("partnership.contractdocument_upload", is_writer, refusal=READ_ONLY)
