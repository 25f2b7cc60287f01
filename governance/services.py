"""Writes of the governance app; each is one transaction and refuses read-only roles."""

from django.db import transaction
from django.utils import timezone

from governance.models import ActionItem
from partnership.models import Partnership, User
from partnership.services import require_writer, shared_record_create, shared_record_update

ACTION_ITEM_FIELDS = ("title", "description", "owner", "due_date", "priority", "is_internal")


@transaction.atomic
def action_item_create(*, actor: User, partnership: Partnership, **fields) -> ActionItem:
    return shared_record_create(ActionItem, ACTION_ITEM_FIELDS, actor=actor,
                                partnership=partnership, fields=fields)


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, **fields) -> ActionItem:
    return shared_record_update(item, ACTION_ITEM_FIELDS, actor=actor, fields=fields)


@transaction.atomic
def action_item_transition(*, actor: User, item: ActionItem, status: str) -> ActionItem:
    require_writer(actor, item.partnership)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    ActionItem.WORKFLOW.check(item.status, status)
    item.status = status
    item.completed_at = timezone.now() if status in ActionItem.CLOSED else None
    item.save(update_fields=["status", "completed_at", "updated_at"])
    return item
