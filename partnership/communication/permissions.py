"""Who may do what with the communication plan (partnership.permissions): any writer of
either party; which party changes which people of an escalation level is the service's
check (escalation_level_set), made against the level as it stands."""

from partnership.permissions import declare, is_writer

READ_ONLY = "Your role in this partnership is read-only."

declare("partnership.pointofcontact_set", is_writer, refusal=READ_ONLY)
declare("partnership.communicationplan_edit", is_writer, refusal=READ_ONLY)
declare("partnership.escalationlevel_set", is_writer, refusal=READ_ONLY)
