"""Escalation: a late request or an overdue action moves up its partnership's escalation
path, one level at a time, each step recorded once and its level's people told (the
hourly job); the steps show on the item's page and as a badge in its list."""
