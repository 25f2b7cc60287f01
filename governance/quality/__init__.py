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


def register() -> None:
    """Audits in global search, recent activity and "Coming up" (portal.registries)."""
    from django.urls import reverse

    from governance.quality.models import Audit
    from governance.quality.selectors import audits_coming_up
    from portal.registries import activity, coming_up, search

    search.register("Audits", noun="audits", model=Audit,
                    records=lambda user: Audit.objects.visible_to(user).select_related("site"),
                    snippet_fields=("scope", "agenda", "report_summary"))
    activity.register("Audit", records=Audit.objects.visible_to, label="scope",
                      url=lambda partnership_id, pk: reverse(
                          "governance:audit_detail", args=[partnership_id, pk]))
    coming_up.register("audit", provider=audits_coming_up,
                       template="governance/audit_coming_up.html")

    # Batches and their disposition (governance.quality.batches).
    from governance.quality import batches

    batches.register()
