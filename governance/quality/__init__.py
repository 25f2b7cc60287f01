"""Quality oversight: the records of the quality relationship between sponsor and CDMO —
the audit programme (audits and their findings: this package's own modules), the quality
agreement's terms and responsibility matrix (agreement/), deviations and CAPAs
(deviations/), sites as the sponsor's QA sees them with the programme's intervals (sites/;
the audit calendar and re-audit list in calendar.py), batches and their disposition
(batches/) and change controls (changes/).

Each topic keeps the same modules (models, services, selectors, forms, filters, views,
api, admin); this package holds the ONE urls.py (listed in governance/urls.py), the ONE
`routes` list in api.py (listed in governance/api.py), admin.py and tasks.py (found by
portal.apps) and the register() below, called from GovernanceConfig.ready(), which adds
its records to search, recent activity, "Coming up" and the cockpit (portal.registries)."""


def register() -> None:
    """Audits, deviations and CAPAs in global search and recent activity; audits in
    "Coming up"; overdue CAPAs on the partnership home; the QA desk in the top bar."""
    from django.urls import reverse

    from governance.quality.deviations.models import Capa, Deviation
    from governance.quality.deviations.selectors import capa_cockpit
    from governance.quality.models import Audit
    from governance.quality.selectors import audits_coming_up
    from partnership.search import number_typed
    from portal.registries import activity, cockpit, coming_up, search

    search.register("Audits", noun="audits", model=Audit,
                    records=lambda user: Audit.objects.visible_to(user).select_related("site"),
                    snippet_fields=("scope", "agenda", "report_summary"))
    search.register("Deviations", noun="deviations", model=Deviation,
                    records=Deviation.objects.visible_to,
                    snippet_fields=("reference", "description"), names=("reference", "title"))
    search.register("CAPAs", noun="CAPAs", model=Capa, records=Capa.objects.visible_to,
                    snippet_fields=("root_cause", "action_plan"), names=("title",),
                    exact=number_typed("CAPA"))
    activity.register("Audit", records=Audit.objects.visible_to, label="scope",
                      url=lambda partnership_id, pk: reverse(
                          "governance:audit_detail", args=[partnership_id, pk]))
    activity.register("Deviation", records=Deviation.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:deviation_detail", args=[partnership_id, pk]))
    activity.register("CAPA", records=Capa.objects.visible_to, label="title",
                      url=lambda partnership_id, pk: reverse(
                          "governance:capa_detail", args=[partnership_id, pk]))
    coming_up.register("audit", provider=audits_coming_up,
                       template="governance/audit_coming_up.html")
    cockpit.register(capa_cockpit, topic="quality")

    # Batches and their disposition (governance.quality.batches), and sites
    # (governance.quality.sites).
    from governance.quality import batches, sites

    batches.register()
    sites.register()

    # Change controls (governance.quality.changes).
    from governance.quality import changes

    changes.register()

    # The QA desk's link in the top bar (governance.quality.desk).
    from governance.quality import desk

    desk.register()
