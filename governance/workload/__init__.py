"""The load across an organization's partnerships, for its admins: open requests each way
and overdue items per partnership."""
