"""Who may do what with notifications (partnership.permissions): each is its recipient's."""

import rules

from partnership.permissions import declare


@rules.predicate
def is_recipient(user, notification) -> bool:
    return notification.recipient_id == user.pk


declare("partnership.notification_mark_read", is_recipient,
        refusal="Only its recipient marks a notification read.")
