"""Registries that domain apps fill in their AppConfig.ready(), so `portal` knows no app.

One module per registry: `cockpit` (cards on the partnership home). Each holds a
`register(...)` that apps call once at start-up and a reader that pages and jobs call. A
registry stores callables and names, never a model imported from an app.
"""
