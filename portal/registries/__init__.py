"""Registries that domain apps fill in their AppConfig.ready(), so `portal` knows no app.

One module per registry: `cockpit` (cards on the partnership home), `notification_kinds`
(what people are notified of), `audited` (the models the audit trail records). Each holds a
`register(...)` that apps call once at start-up and a reader that pages and jobs call. A
registry stores callables and names, never a model imported from an app.
"""
