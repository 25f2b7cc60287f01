"""Computed KPIs: values the portal works out from its own records (actions, requests,
audit findings, CAPAs, deviations, batches, contract rounds, deliverables) for an ended
period, as of that period's end, entered into the normal review flow with links to the
records they were computed from."""
