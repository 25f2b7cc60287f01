"""Sites as the sponsor's QA sees them (issue 12, item 1): a CDMO site's qualification per
partnership, its regulatory inspections and the CDMO's subcontractors, and the partnership's
audit programme settings (re-audit intervals). The audit calendar and the re-audit list read
these with the audits (governance/quality/calendar.py)."""
