from importlib import import_module

from django.apps import AppConfig

#: What governance tells people about, with the labels of the notification settings page
#: and each kind's place there (partnership registers the others in between).
NOTIFICATION_KINDS = [
    ("meeting_scheduled", "A meeting I attend is scheduled or changed", 10),
    ("meeting_minutes", "Minutes of a meeting I attended", 20),
    ("action_assigned", "An action is assigned to me", 30),
    ("action_overdue", "An action I own is overdue", 40),
    ("decision_recorded", "A decision is recorded", 50),
    ("request_received", "A request is sent to my party", 60),
    ("request_updated", "A request I follow changes status", 70),
    ("request_late", "A request is not acknowledged in time", 80),
    ("emergency_over_budget", "An emergency request goes over budget", 90),
    ("risk_assigned", "A risk is assigned to me or due for review", 100),
    ("notice_posted", "The other party posts a strategic notice", 110),
    ("notice_acknowledged", "My party's notice is acknowledged", 120),
    ("recognition", "Someone thanks me or my team", 130),
    ("survey_open", "The quarterly feedback survey opens", 140),
    ("quality_agreement", "A quality agreement's terms are drafted for my review", 161),
    ("deviation", "A deviation is notified, or its closure awaits me or is decided", 162),
    ("capa", "A CAPA is assigned to me, implemented, verified or overdue", 163),
    ("change_control", "A change control is submitted to my party, decided or implemented",
     164),
    ("audit_planned", "An audit is planned or rescheduled at one of our partnerships", 165),
    ("audit_updated", "An audit I take part in moves on (confirmed, report issued …)", 167),
    ("finding_raised", "An audit finding is raised, answered or reviewed", 168),
    # Sites as the sponsor's QA sees them (governance.quality.sites.services).
    ("finding_overdue", "A response to an audit finding is overdue", 169),
    ("site_qualification", "A site's qualification, inspections or subcontractors change",
     169),
    ("escalated", "An overdue item reaches my escalation level", 170),
]

#: The reminders ahead of a deadline: (kind, label, place on the settings page, the job,
#: who is due when: see portal.registries.reminders).
REMINDERS = [
    ("meeting_day_before", "A meeting I attend starts within a day", 11,
     "governance.meetings.tasks.remind_upcoming_meetings",
     "governance.meetings.services.meeting_day_before_dues"),
    ("meeting_hour_before", "A meeting I attend starts within the hour", 12,
     "governance.meetings.tasks.remind_upcoming_meetings",
     "governance.meetings.services.meeting_hour_before_dues"),
    ("action_due_soon", "An action I own is due in two days", 35,
     "governance.actions.tasks.remind_actions_due_soon",
     "governance.actions.services.action_due_soon_dues"),
    ("request_due_soon", "A request I answer is due in two days", 75,
     "governance.requests.tasks.remind_requests_due_soon",
     "governance.requests.services.request_due_soon_dues"),
    ("deviation_notice_due", "The deadline to tell the sponsor of a deviation is near", 162,
     "governance.quality.tasks.remind_deviation_notice_deadlines",
     "governance.quality.deviations.services.deviation_notice_dues"),
    ("capa_due_soon", "A CAPA I own is due in a week", 163,
     "governance.quality.tasks.remind_capas_due_soon",
     "governance.quality.deviations.services.capa_due_soon_dues"),
    ("audit_week_before", "An audit I take part in starts in a week", 166,
     "governance.quality.tasks.remind_upcoming_audits",
     "governance.quality.services.audit_dues"),
]

class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """Each topic adds its records to the registries of portal.registries (search,
        recent activity, "Coming up"), and the overview its cockpit cards: the partnership
        home and the search page list none of them by hand. Search groups its results in
        this order. Importing governance.permissions declares who may do what."""
        from governance import actions, meetings, overview, quality, relationship, requests, risks

        import_module("governance.permissions")
        overview.register()
        for topic in (actions, meetings, requests, risks, quality, relationship):
            topic.register()
        from portal.registries import notification_kinds, reminders

        for code, label, position in NOTIFICATION_KINDS:
            notification_kinds.register(code, label, position=position)
        for code, label, position, task, dues in REMINDERS:
            reminders.register(code, label, position=position, task=task, dues=dues)
        from governance.models import (
            ActionItem,
            Audit,
            Batch,
            Capa,
            ChangeControl,
            Decision,
            Deviation,
            Finding,
            Meeting,
            Notice,
            QualityAgreement,
            Request,
            Risk,
            SiteQualification,
        )
        from partnership.discussion import kinds as discussion_kinds

        # Every record with a page of its own has a discussion and files.
        discussion_kinds.register(Request, ActionItem, Meeting, Decision, Risk, Notice, Audit,
                                  SiteQualification, QualityAgreement, Deviation, Capa, Batch,
                                  ChangeControl, Finding)
