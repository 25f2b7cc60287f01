"""Every request gets a number, unique within its partnership: the existing ones in the order
they were created (then by id). The audit trail keeps no copy of the number, so numbering the
existing rows writes no history."""

from django.conf import settings
from django.db import migrations, models


NUMBER_EXISTING = """
UPDATE governance_request AS request SET number = numbered.number
FROM (SELECT id, row_number() OVER (PARTITION BY partnership_id ORDER BY created_at, id)
      AS number FROM governance_request) AS numbered
WHERE request.id = numbered.id;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0001_squashed_0024_request_decline_needed_by'),
        ('partnership', '0001_squashed_0034_discussion_comments_and_files'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='request',
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
        migrations.AddConstraint(
            model_name='request',
            constraint=models.UniqueConstraint(fields=('partnership', 'number'), name='request_number_in_partnership'),
        ),
    ]
