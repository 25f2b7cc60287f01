"""Sites as the sponsor's QA sees them (issue 12, item 1): a CDMO site's qualification per
partnership, its regulatory inspections and the CDMO's subcontractors, and the partnership's
audit programme settings (re-audit intervals). The audit calendar and the re-audit list read
these with the audits (governance/quality/calendar.py)."""


def register() -> None:
    """Qualifications, inspections and subcontractors in global search and recent activity
    (portal.registries); GMP certificates expiring soon and re-audits due in "Coming up".
    An inspection or a subcontractor is shown on its site's page, so its activity line
    links to the partnership's sites (the registry knows a record by its own id only)."""
    from django.db.models import F
    from django.urls import reverse

    from governance.quality.sites.models import Inspection, SiteQualification, Subcontractor
    from governance.quality.sites.selectors import certificates_expiring, reaudits_coming_up
    from portal.registries import activity, coming_up, search

    def sites_url(partnership_id, pk):
        return reverse("governance:sitequalification_list", args=[partnership_id])

    search.register("Site qualifications", noun="site qualifications", model=SiteQualification,
                    records=lambda user: SiteQualification.objects.visible_to(
                        user).select_related("site"),
                    snippet_fields=("conditions",))
    search.register("Inspections", noun="inspections", model=Inspection,
                    records=lambda user: Inspection.objects.visible_to(user).select_related(
                        "qualification"),
                    snippet_fields=("certificate_number", "summary"),
                    names=("certificate_number",))
    search.register("Subcontractors", noun="subcontractors", model=Subcontractor,
                    records=lambda user: Subcontractor.objects.visible_to(user).select_related(
                        "qualification"),
                    snippet_fields=("activity", "location"), names=("name",))
    activity.register("Site qualification", records=SiteQualification.objects.visible_to,
                      label="site__name", url=lambda partnership_id, pk: reverse(
                          "governance:sitequalification_detail", args=[partnership_id, pk]))
    activity.register("Inspection", records=lambda user: Inspection.objects.visible_to(
        user).annotate(created_at=F("entered_at")), label="qualification__site__name",
        url=sites_url)
    activity.register("Subcontractor", records=lambda user: Subcontractor.objects.visible_to(
        user).annotate(created_at=F("entered_at")), label="name", url=sites_url)
    coming_up.register("certificate", provider=certificates_expiring,
                       template="governance/certificate_coming_up.html")
    coming_up.register("reaudit", provider=reaudits_coming_up,
                       template="governance/reaudit_coming_up.html")
