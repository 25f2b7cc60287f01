"""Registries that domain apps fill in their AppConfig.ready(), so `portal` knows no app.

One module per registry: `cockpit` (cards on the partnership home), `search` (the kinds of
record global search looks through), `activity` (the kinds "Recent activity" lists),
`coming_up` (the dated items of "Coming up"), `notification_kinds` (what people are notified
of), `reminders` (the kinds sent ahead of a deadline, with their jobs), `audited` (the
models the audit trail records), and the sections other apps add to governance's pages:
`landing` (where log-in leads), `my_work` (the rows of My work), `minutes_summary` (what the
minutes form offers to insert) and `meeting_sections` (a meeting page's steering packs), with
`navigation` (the top bar's links). Each holds a `register(...)` that apps call once at
start-up and a reader that pages and jobs call. A registry stores what apps hand it
(callables, names, at most a model class given to it), never a model imported from an app.
"""
