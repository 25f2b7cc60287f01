"""The partnership app: the base of the domain, one package per topic (README, Architecture)."""

from django.apps import AppConfig
from django.core import checks

#: What partnership tells people about, with the labels of the notification settings page
#: and each kind's place there (governance registers the others in between).
NOTIFICATION_KINDS = [
    ("priority_changed", "The sponsor changes its priorities", 150),
    ("partnership_settings", "The other party changes the partnership's agreed settings", 160),
    ("link_removed",
     "The other party stops sharing a record that my party's record referred to", 180),
    ("communication_changed",
     "The other party changes the escalation path or the communication plan", 190),
    ("mentioned", "Someone mentions me in a record's discussion", 5),
]
#: The reminders ahead of a deadline: (kind, label, place on the settings page, the job).
REMINDERS = [
    ("contract_renewal", "A contract of my partnership enters its renewal notice period", 155,
     "partnership.contracts.tasks.remind_contract_renewals",
     "partnership.contracts.services.contract_renewal_dues"),
]

class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Parties and partnerships"

    def ready(self) -> None:
        """The scoping declarations of every app's models are checked (partnership.checks),
        and portal's registries filled (they know no app). Each topic's admin and tasks
        modules are loaded by portal (portal.apps.load_topic_modules)."""
        from axes.signals import user_locked_out

        from partnership import signatures
        from partnership.accounts.lockout import record_lock
        from partnership.checks import check_scoped_models
        from partnership.deliverables.models import Deliverable
        from partnership.discussion import kinds as discussion_kinds
        from partnership.history import context  # noqa: F401 - the jobs' context
        from partnership.techtransfer.models import Milestone, TechTransfer
        from portal.registries import notification_kinds, reminders

        checks.register(check_scoped_models, checks.Tags.models)
        for code, label, position in NOTIFICATION_KINDS:
            notification_kinds.register(code, label, position=position)
        for code, label, position, task, dues in REMINDERS:
            reminders.register(code, label, position=position, task=task, dues=dues)
        signatures.register()
        discussion_kinds.register(Deliverable, TechTransfer, Milestone)
        user_locked_out.connect(record_lock, dispatch_uid="partnership-login-lock")
