"""Quality: the records of the quality relationship between sponsor and CDMO, to come —
audits and their findings, CAPAs, deviations, change control, batches (disposition and
release), and the quality agreement itself.

Empty but ready: a new record kind here follows the other topics (governance/requests/ is
a complete example). Its model in `models.py` (a SharedRecord, so it is scoped by
partnership and may be internal), imported by governance/models.py; writes in
`services.py`, reads in `selectors.py` starting from `visible_to(user)`; `forms.py`,
`filters.py`, `views.py` and `urls.py` (listed in governance/urls.py), `api.py` (its
`routes` listed in governance/api.py), `admin.py` (read-only, imported by
governance/admin.py) and `tasks.py` (imported by governance/tasks.py); a `register()` here,
called from GovernanceConfig.ready(), adds its records to search, recent activity and
"Coming up" (portal.registries)."""
