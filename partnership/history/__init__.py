"""The audit trail (DESIGN §5): what every record of the registry carries — who changed
what, when, through which door and why — captured by database triggers, append-only.

- tracking: how a model joins the trail (`audit()`, called where the model is defined);
- context: who and which door (the request, a job, a command) and the reason for change;
- reasons: the one place that decides when a change needs a reason;
- sources: where a record's History reads from: its own events and its parts' and links'
  (a contract's rounds, a program's sites), as the registry declares them;
- selectors / timeline: the history of a record as its readers see it, a page at a time;
- baseline: the starting snapshot of rows that were there before the trail;
- views / api / export: the History page, the API's history action, the auditor's export.
"""
