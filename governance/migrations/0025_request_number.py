"""Every request gets a number, unique within its partnership: the existing ones in the order
they were created (then by id), the event history copies the number of its request. Numbered
while the history triggers are off, so the numbering adds no history rows."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


NUMBER_EXISTING = """
UPDATE governance_request AS request SET number = numbered.number
FROM (SELECT id, row_number() OVER (PARTITION BY partnership_id ORDER BY created_at, id)
      AS number FROM governance_request) AS numbered
WHERE request.id = numbered.id;
UPDATE governance_requestevent AS event SET number = request.number
FROM governance_request AS request WHERE event.pgh_obj_id = request.id;
UPDATE governance_requestevent SET number = 0 WHERE number IS NULL;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0001_squashed_0024_request_decline_needed_by'),
        ('partnership', '0001_squashed_0034_discussion_comments_and_files'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='request',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='request',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='request',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='request',
            name='number',
            field=models.PositiveIntegerField(blank=True, editable=False, help_text="Counts the partnership's requests from 1, in the order they were sent: the number people quote (REQ-0042).", null=True),
        ),
        migrations.AddField(
            model_name='requestevent',
            name='number',
            field=models.PositiveIntegerField(blank=True, editable=False, help_text="Counts the partnership's requests from 1, in the order they were sent: the number people quote (REQ-0042).", null=True),
        ),
        migrations.RunSQL(NUMBER_EXISTING, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='request',
            name='number',
            field=models.PositiveIntegerField(blank=True, default=None, editable=False, help_text="Counts the partnership's requests from 1, in the order they were sent: the number people quote (REQ-0042)."),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='requestevent',
            name='number',
            field=models.PositiveIntegerField(blank=True, default=None, editable=False, help_text="Counts the partnership's requests from 1, in the order they were sent: the number people quote (REQ-0042)."),
            preserve_default=False,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='request',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "governance_requestevent" ("acknowledge_by", "acknowledged_at", "answer", "assignee_id", "author_organization_id", "closed_at", "committed_date", "created_at", "created_by_id", "decline_reason", "description", "emergency_justification", "fulfilled_at", "fulfilment_note", "id", "is_internal", "kind", "late_notified_at", "needed_by", "number", "over_emergency_budget", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "relayed_from_id", "reopen_reason", "requested_by_party", "sent_at", "status", "title", "urgency") VALUES (NEW."acknowledge_by", NEW."acknowledged_at", NEW."answer", NEW."assignee_id", NEW."author_organization_id", NEW."closed_at", NEW."committed_date", NEW."created_at", NEW."created_by_id", NEW."decline_reason", NEW."description", NEW."emergency_justification", NEW."fulfilled_at", NEW."fulfilment_note", NEW."id", NEW."is_internal", NEW."kind", NEW."late_notified_at", NEW."needed_by", NEW."number", NEW."over_emergency_budget", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."question", NEW."relayed_from_id", NEW."reopen_reason", NEW."requested_by_party", NEW."sent_at", NEW."status", NEW."title", NEW."urgency"); RETURN NULL;', hash='df46bca6490340d54d9e10c0d2c286c7ff848861', operation='INSERT', pgid='pgtrigger_insert_insert_db649', table='governance_request', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='request',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."acknowledge_by" IS DISTINCT FROM (NEW."acknowledge_by") OR OLD."acknowledged_at" IS DISTINCT FROM (NEW."acknowledged_at") OR OLD."answer" IS DISTINCT FROM (NEW."answer") OR OLD."assignee_id" IS DISTINCT FROM (NEW."assignee_id") OR OLD."author_organization_id" IS DISTINCT FROM (NEW."author_organization_id") OR OLD."closed_at" IS DISTINCT FROM (NEW."closed_at") OR OLD."committed_date" IS DISTINCT FROM (NEW."committed_date") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."created_by_id" IS DISTINCT FROM (NEW."created_by_id") OR OLD."decline_reason" IS DISTINCT FROM (NEW."decline_reason") OR OLD."description" IS DISTINCT FROM (NEW."description") OR OLD."emergency_justification" IS DISTINCT FROM (NEW."emergency_justification") OR OLD."fulfilled_at" IS DISTINCT FROM (NEW."fulfilled_at") OR OLD."fulfilment_note" IS DISTINCT FROM (NEW."fulfilment_note") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."is_internal" IS DISTINCT FROM (NEW."is_internal") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."late_notified_at" IS DISTINCT FROM (NEW."late_notified_at") OR OLD."needed_by" IS DISTINCT FROM (NEW."needed_by") OR OLD."number" IS DISTINCT FROM (NEW."number") OR OLD."over_emergency_budget" IS DISTINCT FROM (NEW."over_emergency_budget") OR OLD."partnership_id" IS DISTINCT FROM (NEW."partnership_id") OR OLD."question" IS DISTINCT FROM (NEW."question") OR OLD."relayed_from_id" IS DISTINCT FROM (NEW."relayed_from_id") OR OLD."reopen_reason" IS DISTINCT FROM (NEW."reopen_reason") OR OLD."requested_by_party" IS DISTINCT FROM (NEW."requested_by_party") OR OLD."sent_at" IS DISTINCT FROM (NEW."sent_at") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."title" IS DISTINCT FROM (NEW."title") OR OLD."urgency" IS DISTINCT FROM (NEW."urgency"))', func='INSERT INTO "governance_requestevent" ("acknowledge_by", "acknowledged_at", "answer", "assignee_id", "author_organization_id", "closed_at", "committed_date", "created_at", "created_by_id", "decline_reason", "description", "emergency_justification", "fulfilled_at", "fulfilment_note", "id", "is_internal", "kind", "late_notified_at", "needed_by", "number", "over_emergency_budget", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "relayed_from_id", "reopen_reason", "requested_by_party", "sent_at", "status", "title", "urgency") VALUES (NEW."acknowledge_by", NEW."acknowledged_at", NEW."answer", NEW."assignee_id", NEW."author_organization_id", NEW."closed_at", NEW."committed_date", NEW."created_at", NEW."created_by_id", NEW."decline_reason", NEW."description", NEW."emergency_justification", NEW."fulfilled_at", NEW."fulfilment_note", NEW."id", NEW."is_internal", NEW."kind", NEW."late_notified_at", NEW."needed_by", NEW."number", NEW."over_emergency_budget", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."question", NEW."relayed_from_id", NEW."reopen_reason", NEW."requested_by_party", NEW."sent_at", NEW."status", NEW."title", NEW."urgency"); RETURN NULL;', hash='009df66c354a9299c07a3c66e8b98742a73080bb', operation='UPDATE', pgid='pgtrigger_update_update_d09ef', table='governance_request', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='request',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "governance_requestevent" ("acknowledge_by", "acknowledged_at", "answer", "assignee_id", "author_organization_id", "closed_at", "committed_date", "created_at", "created_by_id", "decline_reason", "description", "emergency_justification", "fulfilled_at", "fulfilment_note", "id", "is_internal", "kind", "late_notified_at", "needed_by", "number", "over_emergency_budget", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question", "relayed_from_id", "reopen_reason", "requested_by_party", "sent_at", "status", "title", "urgency") VALUES (OLD."acknowledge_by", OLD."acknowledged_at", OLD."answer", OLD."assignee_id", OLD."author_organization_id", OLD."closed_at", OLD."committed_date", OLD."created_at", OLD."created_by_id", OLD."decline_reason", OLD."description", OLD."emergency_justification", OLD."fulfilled_at", OLD."fulfilment_note", OLD."id", OLD."is_internal", OLD."kind", OLD."late_notified_at", OLD."needed_by", OLD."number", OLD."over_emergency_budget", OLD."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."question", OLD."relayed_from_id", OLD."reopen_reason", OLD."requested_by_party", OLD."sent_at", OLD."status", OLD."title", OLD."urgency"); RETURN NULL;', hash='ebaa8888ad7d840bd9baa1c26f30b95bd25bd7fa', operation='DELETE', pgid='pgtrigger_delete_delete_b8d02', table='governance_request', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='request',
            constraint=models.UniqueConstraint(fields=('partnership', 'number'), name='request_number_in_partnership'),
        ),
    ]
