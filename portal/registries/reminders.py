"""Reminders before a deadline: each is a notification kind (so each person chooses now,
digest or never on the settings page) sent by one Celery task that beat runs.

Apps register theirs from AppConfig.ready(); the tests read this list to check that beat
schedules every reminder's task and that the isolation suite sends every one of them.
"""

from dataclasses import dataclass

from portal.registries import notification_kinds


@dataclass(frozen=True)
class Reminder:
    code: str
    label: str
    #: The dotted name of the Celery task that sends it (CELERY_BEAT_SCHEDULE runs it).
    task: str
    #: The dotted name of the function that says who is due when, which the task's service
    #: and the person's Reminders page both call: dues(*, now, ahead=timedelta(0),
    #: user=None) -> the records whose reminder goes within `ahead` from now (those `user`
    #: sees, when given), each with its recipients.
    dues: str


_reminders: dict[str, Reminder] = {}


def register(code: str, label: str, *, position: int, task: str, dues: str) -> None:
    """Add a reminder and its notification kind (twice with the same values is harmless)."""
    notification_kinds.register(code, label, position=position)
    _reminders[code] = Reminder(code=code, label=label, task=task, dues=dues)


def reminders() -> list[Reminder]:
    return sorted(_reminders.values(), key=lambda reminder: reminder.code)
