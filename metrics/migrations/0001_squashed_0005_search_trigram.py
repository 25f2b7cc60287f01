"""Every earlier migration of this app in one, for a new database: all its models are
created by one `CreateModels` (portal.migration_operations), whose state is rendered once,
so a fresh `migrate` takes seconds rather than two minutes. A database that applied the
earlier migrations counts this one as applied; one half-way through goes on with them.
Written from the migration state by a script; its schema was compared with one built by the
earlier migrations (pg_dump --schema-only: the same tables, columns, indexes, constraints,
triggers and functions).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import metrics.imports.models
import metrics.measurements.models
import metrics.steering.models
import pghistory.utils
import pgtrigger.compiler
import portal.migration_operations
import portal.validation
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('metrics', '0001_initial'), ('metrics', '0002_computed_kpis'), ('metrics', '0003_kpi_imports'), ('metrics', '0004_steering_packs'), ('metrics', '0005_search_trigram')]

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('governance', '0001_squashed_0024_request_decline_needed_by'),
        ('partnership', '0001_squashed_0034_discussion_comments_and_files'),
    ]

    operations = [
        portal.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='KPIComputation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.SlugField(max_length=60)),
                    ('period', models.DateField(validators=[portal.validation.validate_date_in_range])),
                    ('outcome', models.CharField(blank=True, max_length=300)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('partnership', 'key', 'period'), name='kpicomputation_once_per_period')],
                    'indexes': [],
                },
            ), migrations.CreateModel(
                name='KPIDefinition',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('is_internal', models.BooleanField(default=False, help_text='Only your own organization will see it.', verbose_name='internal')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('key', models.SlugField(help_text='The series this version belongs to: stays the same across versions.', max_length=60)),
                    ('version', models.PositiveSmallIntegerField(default=1, editable=False)),
                    ('name', models.CharField(max_length=120)),
                    ('formula', models.TextField(help_text='How the value is worked out, e.g. batches delivered by the agreed date ÷ batches due × 100.', verbose_name='formula in words')),
                    ('unit', models.CharField(help_text='%, days, count, per audit …', max_length=30)),
                    ('direction', models.CharField(choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], max_length=6)),
                    ('target', models.DecimalField(decimal_places=2, max_digits=12)),
                    ('amber_threshold', models.DecimalField(decimal_places=2, help_text='A value worse than this is amber (between the target and red).', max_digits=12)),
                    ('red_threshold', models.DecimalField(decimal_places=2, help_text='A value worse than this is red.', max_digits=12)),
                    ('frequency', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly')], default='monthly', max_length=9)),
                    ('data_source', models.CharField(choices=[('entered', 'Entered by the reporting party'), ('computed', "Computed from the portal's records")], default='entered', max_length=8, verbose_name='data source')),
                    ('reporting_party', models.CharField(choices=[('sponsor', 'Sponsor'), ('cdmo', 'CDMO')], help_text='The party that enters the values.', max_length=7)),
                    ('review_window_days', models.PositiveSmallIntegerField(default=10, help_text='How long the other party has to comment on or dispute a value.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='review window (days)')),
                    ('due_day', models.PositiveSmallIntegerField(default=10, help_text='Values are due by this day of the following period.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(28)])),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('awaiting_signoff', 'Awaiting sign-off'), ('agreed', 'Agreed'), ('superseded', 'Superseded'), ('retired', 'Retired')], default='draft', max_length=16)),
                    ('search_document', models.GeneratedField(db_persist=True, expression=django.contrib.postgres.search.CombinedSearchVector(django.contrib.postgres.search.SearchVector('name', config='english', weight='A'), '||', django.contrib.postgres.search.SearchVector('formula', 'unit', config='english', weight='B'), django.contrib.postgres.search.SearchConfig('english')), output_field=django.contrib.postgres.search.SearchVectorField())),
                    ('author_organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnership.organization')),
                    ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                    ('supersedes', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='metrics.kpidefinition')),
                ],
                options={
                    'ordering': ['name', '-version'],
                    'indexes': [models.Index(fields=['partnership', 'status', 'name'], name='metrics_kpi_partner_697c4f_idx'), models.Index(fields=['partnership', 'name'], name='metrics_kpi_partner_954dd2_idx'), models.Index(fields=['partnership', 'frequency', 'name'], name='metrics_kpi_partner_a5cf87_idx'), django.contrib.postgres.indexes.GinIndex(fields=['search_document'], name='kpidefinition_search'), django.contrib.postgres.indexes.GinIndex(fields=['name'], name='kpidefinition_name_trgm', opclasses=['gin_trgm_ops'])],
                    'constraints': [models.UniqueConstraint(fields=('partnership', 'key', 'version'), name='kpidefinition_unique_version'), models.UniqueConstraint(condition=models.Q(('status', 'agreed')), fields=('partnership', 'key'), name='kpidefinition_one_agreed_per_key'), models.UniqueConstraint(condition=models.Q(('status__in', ('draft', 'awaiting_signoff'))), fields=('partnership', 'key'), name='kpidefinition_one_open_version_per_key')],
                    'triggers': [pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_kpidefinitionevent" ("amber_threshold", "author_organization_id", "created_at", "created_by_id", "data_source", "direction", "due_day", "formula", "frequency", "id", "is_internal", "key", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "red_threshold", "reporting_party", "review_window_days", "status", "supersedes_id", "target", "unit", "version") VALUES (NEW."amber_threshold", NEW."author_organization_id", NEW."created_at", NEW."created_by_id", NEW."data_source", NEW."direction", NEW."due_day", NEW."formula", NEW."frequency", NEW."id", NEW."is_internal", NEW."key", NEW."name", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."red_threshold", NEW."reporting_party", NEW."review_window_days", NEW."status", NEW."supersedes_id", NEW."target", NEW."unit", NEW."version"); RETURN NULL;', hash='4deb3d9ad6919afa9257ccc8b10fb7674c6a24ec', operation='INSERT', pgid='pgtrigger_insert_insert_bfe66', table='metrics_kpidefinition', when='AFTER')), pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."amber_threshold" IS DISTINCT FROM (NEW."amber_threshold") OR OLD."author_organization_id" IS DISTINCT FROM (NEW."author_organization_id") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."created_by_id" IS DISTINCT FROM (NEW."created_by_id") OR OLD."data_source" IS DISTINCT FROM (NEW."data_source") OR OLD."direction" IS DISTINCT FROM (NEW."direction") OR OLD."due_day" IS DISTINCT FROM (NEW."due_day") OR OLD."formula" IS DISTINCT FROM (NEW."formula") OR OLD."frequency" IS DISTINCT FROM (NEW."frequency") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."is_internal" IS DISTINCT FROM (NEW."is_internal") OR OLD."key" IS DISTINCT FROM (NEW."key") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."partnership_id" IS DISTINCT FROM (NEW."partnership_id") OR OLD."red_threshold" IS DISTINCT FROM (NEW."red_threshold") OR OLD."reporting_party" IS DISTINCT FROM (NEW."reporting_party") OR OLD."review_window_days" IS DISTINCT FROM (NEW."review_window_days") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."supersedes_id" IS DISTINCT FROM (NEW."supersedes_id") OR OLD."target" IS DISTINCT FROM (NEW."target") OR OLD."unit" IS DISTINCT FROM (NEW."unit") OR OLD."version" IS DISTINCT FROM (NEW."version"))', func='INSERT INTO "metrics_kpidefinitionevent" ("amber_threshold", "author_organization_id", "created_at", "created_by_id", "data_source", "direction", "due_day", "formula", "frequency", "id", "is_internal", "key", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "red_threshold", "reporting_party", "review_window_days", "status", "supersedes_id", "target", "unit", "version") VALUES (NEW."amber_threshold", NEW."author_organization_id", NEW."created_at", NEW."created_by_id", NEW."data_source", NEW."direction", NEW."due_day", NEW."formula", NEW."frequency", NEW."id", NEW."is_internal", NEW."key", NEW."name", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."red_threshold", NEW."reporting_party", NEW."review_window_days", NEW."status", NEW."supersedes_id", NEW."target", NEW."unit", NEW."version"); RETURN NULL;', hash='f7a69394052536b900eaadc1a1c1fea442114de8', operation='UPDATE', pgid='pgtrigger_update_update_b6684', table='metrics_kpidefinition', when='AFTER')), pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_kpidefinitionevent" ("amber_threshold", "author_organization_id", "created_at", "created_by_id", "data_source", "direction", "due_day", "formula", "frequency", "id", "is_internal", "key", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "red_threshold", "reporting_party", "review_window_days", "status", "supersedes_id", "target", "unit", "version") VALUES (OLD."amber_threshold", OLD."author_organization_id", OLD."created_at", OLD."created_by_id", OLD."data_source", OLD."direction", OLD."due_day", OLD."formula", OLD."frequency", OLD."id", OLD."is_internal", OLD."key", OLD."name", OLD."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."red_threshold", OLD."reporting_party", OLD."review_window_days", OLD."status", OLD."supersedes_id", OLD."target", OLD."unit", OLD."version"); RETURN NULL;', hash='48459d0d9a88c136a47caf0d2665faa58455949b', operation='DELETE', pgid='pgtrigger_delete_delete_1a7b5', table='metrics_kpidefinition', when='AFTER'))],
                },
            ), migrations.CreateModel(
                name='KPIDefinitionEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('pgh_context', pghistory.utils.JSONField(null=True)),
                    ('pgh_context_id', models.UUIDField(null=True)),
                    ('id', models.BigIntegerField()),
                    ('is_internal', models.BooleanField(default=False, help_text='Only your own organization will see it.', verbose_name='internal')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('key', models.SlugField(db_index=False, help_text='The series this version belongs to: stays the same across versions.', max_length=60)),
                    ('version', models.PositiveSmallIntegerField(default=1, editable=False)),
                    ('name', models.CharField(max_length=120)),
                    ('formula', models.TextField(help_text='How the value is worked out, e.g. batches delivered by the agreed date ÷ batches due × 100.', verbose_name='formula in words')),
                    ('unit', models.CharField(help_text='%, days, count, per audit …', max_length=30)),
                    ('direction', models.CharField(choices=[('higher', 'Higher is better'), ('lower', 'Lower is better')], max_length=6)),
                    ('target', models.DecimalField(decimal_places=2, max_digits=12)),
                    ('amber_threshold', models.DecimalField(decimal_places=2, help_text='A value worse than this is amber (between the target and red).', max_digits=12)),
                    ('red_threshold', models.DecimalField(decimal_places=2, help_text='A value worse than this is red.', max_digits=12)),
                    ('frequency', models.CharField(choices=[('monthly', 'Monthly'), ('quarterly', 'Quarterly')], default='monthly', max_length=9)),
                    ('data_source', models.CharField(choices=[('entered', 'Entered by the reporting party'), ('computed', "Computed from the portal's records")], default='entered', max_length=8, verbose_name='data source')),
                    ('reporting_party', models.CharField(choices=[('sponsor', 'Sponsor'), ('cdmo', 'CDMO')], help_text='The party that enters the values.', max_length=7)),
                    ('review_window_days', models.PositiveSmallIntegerField(default=10, help_text='How long the other party has to comment on or dispute a value.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='review window (days)')),
                    ('due_day', models.PositiveSmallIntegerField(default=10, help_text='Values are due by this day of the following period.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(28)])),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('awaiting_signoff', 'Awaiting sign-off'), ('agreed', 'Agreed'), ('superseded', 'Superseded'), ('retired', 'Retired')], default='draft', max_length=16)),
                    ('author_organization', models.ForeignKey(db_constraint=False, editable=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.organization')),
                    ('created_by', models.ForeignKey(db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('partnership', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.partnership')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_events', to='metrics.kpidefinition')),
                    ('supersedes', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='metrics.kpidefinition')),
                ],
                options={
                    'abstract': False,
                    'indexes': [models.Index(fields=['pgh_created_at'], name='kpidefinition_ev_at')],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='append_only_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the audit trail is append-only', TG_TABLE_NAME;", hash='6e3bd54a10a43fcd67bd36a4d6aa64b967956735', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_append_only_truncate_8d927', table='metrics_kpidefinitionevent', when='BEFORE')), pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='3622ff21fa24a75d6f8e51a1964e2768625c5af5', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_39310', table='metrics_kpidefinitionevent', when='BEFORE'))],
                },
            ), migrations.CreateModel(
                name='KPIImport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(editable=False, max_length=200)),
                    ('size', models.PositiveBigIntegerField(editable=False)),
                    ('content_type', models.CharField(editable=False, max_length=100)),
                    ('sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256')),
                    ('file', models.FileField(upload_to=metrics.imports.models.import_path)),
                    ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=7)),
                    ('rows_total', models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0)])),
                    ('rows_done', models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0)])),
                    ('errors', models.JSONField(blank=True, default=list)),
                    ('values', models.JSONField(blank=True, default=list)),
                    ('claim', models.UUIDField(blank=True, editable=False, null=True)),
                    ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('finished_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                    ('uploaded_by', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'KPI import',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['partnership', '-created_at'], name='metrics_kpi_partner_b26ee4_idx')],
                    'constraints': [],
                },
            ), migrations.CreateModel(
                name='KPIMeasurement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('is_internal', models.BooleanField(default=False, help_text='Only your own organization will see it.', verbose_name='internal')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('key', models.SlugField(editable=False, max_length=60)),
                    ('period', models.DateField(help_text='The first day of the month or quarter.', validators=[portal.validation.validate_date_in_range])),
                    ('value', models.DecimalField(decimal_places=4, max_digits=14)),
                    ('numerator', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('denominator', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('comment', models.TextField(blank=True)),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('shared', 'Shared for review'), ('disputed', 'Disputed'), ('published', 'Published')], default='draft', max_length=10)),
                    ('shared_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('review_until', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('accepted_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('published_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('accepted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('author_organization', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partnership.organization')),
                    ('created_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('definition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measurements', to='metrics.kpidefinition')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                ],
                options={
                    'ordering': ['-period', '-pk'],
                    'indexes': [models.Index(fields=['definition', 'period'], name='metrics_kpi_definit_554e0f_idx'), models.Index(fields=['definition', 'status', 'period'], name='metrics_kpi_definit_73ecc3_idx'), models.Index(fields=['partnership', 'status', 'period'], name='metrics_kpi_partner_75a0f1_idx'), models.Index(fields=['partnership', 'key', 'status', 'period'], name='metrics_kpi_partner_b39175_idx')],
                    'constraints': [models.UniqueConstraint(fields=('partnership', 'key', 'period'), name='kpimeasurement_one_per_period')],
                    'triggers': [pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_kpimeasurementevent" ("accepted_at", "accepted_by_id", "author_organization_id", "comment", "created_at", "created_by_id", "definition_id", "denominator", "id", "is_internal", "key", "numerator", "partnership_id", "period", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "published_at", "review_until", "shared_at", "status", "value") VALUES (NEW."accepted_at", NEW."accepted_by_id", NEW."author_organization_id", NEW."comment", NEW."created_at", NEW."created_by_id", NEW."definition_id", NEW."denominator", NEW."id", NEW."is_internal", NEW."key", NEW."numerator", NEW."partnership_id", NEW."period", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."published_at", NEW."review_until", NEW."shared_at", NEW."status", NEW."value"); RETURN NULL;', hash='0e10d6fb9ac93535410845b5520a20cef747005f', operation='INSERT', pgid='pgtrigger_insert_insert_c8449', table='metrics_kpimeasurement', when='AFTER')), pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."accepted_at" IS DISTINCT FROM (NEW."accepted_at") OR OLD."accepted_by_id" IS DISTINCT FROM (NEW."accepted_by_id") OR OLD."author_organization_id" IS DISTINCT FROM (NEW."author_organization_id") OR OLD."comment" IS DISTINCT FROM (NEW."comment") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."created_by_id" IS DISTINCT FROM (NEW."created_by_id") OR OLD."definition_id" IS DISTINCT FROM (NEW."definition_id") OR OLD."denominator" IS DISTINCT FROM (NEW."denominator") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."is_internal" IS DISTINCT FROM (NEW."is_internal") OR OLD."key" IS DISTINCT FROM (NEW."key") OR OLD."numerator" IS DISTINCT FROM (NEW."numerator") OR OLD."partnership_id" IS DISTINCT FROM (NEW."partnership_id") OR OLD."period" IS DISTINCT FROM (NEW."period") OR OLD."published_at" IS DISTINCT FROM (NEW."published_at") OR OLD."review_until" IS DISTINCT FROM (NEW."review_until") OR OLD."shared_at" IS DISTINCT FROM (NEW."shared_at") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."value" IS DISTINCT FROM (NEW."value"))', func='INSERT INTO "metrics_kpimeasurementevent" ("accepted_at", "accepted_by_id", "author_organization_id", "comment", "created_at", "created_by_id", "definition_id", "denominator", "id", "is_internal", "key", "numerator", "partnership_id", "period", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "published_at", "review_until", "shared_at", "status", "value") VALUES (NEW."accepted_at", NEW."accepted_by_id", NEW."author_organization_id", NEW."comment", NEW."created_at", NEW."created_by_id", NEW."definition_id", NEW."denominator", NEW."id", NEW."is_internal", NEW."key", NEW."numerator", NEW."partnership_id", NEW."period", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."published_at", NEW."review_until", NEW."shared_at", NEW."status", NEW."value"); RETURN NULL;', hash='4e909663b5157415e591a8c3ad13091c1da96b5f', operation='UPDATE', pgid='pgtrigger_update_update_31830', table='metrics_kpimeasurement', when='AFTER')), pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_kpimeasurementevent" ("accepted_at", "accepted_by_id", "author_organization_id", "comment", "created_at", "created_by_id", "definition_id", "denominator", "id", "is_internal", "key", "numerator", "partnership_id", "period", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "published_at", "review_until", "shared_at", "status", "value") VALUES (OLD."accepted_at", OLD."accepted_by_id", OLD."author_organization_id", OLD."comment", OLD."created_at", OLD."created_by_id", OLD."definition_id", OLD."denominator", OLD."id", OLD."is_internal", OLD."key", OLD."numerator", OLD."partnership_id", OLD."period", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."published_at", OLD."review_until", OLD."shared_at", OLD."status", OLD."value"); RETURN NULL;', hash='3610e2e884504c0a81a4561bad2346967c4419b9', operation='DELETE', pgid='pgtrigger_delete_delete_3d222', table='metrics_kpimeasurement', when='AFTER'))],
                },
            ), migrations.CreateModel(
                name='KPIMeasurementEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('pgh_context', pghistory.utils.JSONField(null=True)),
                    ('pgh_context_id', models.UUIDField(null=True)),
                    ('id', models.BigIntegerField()),
                    ('is_internal', models.BooleanField(default=False, help_text='Only your own organization will see it.', verbose_name='internal')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('key', models.SlugField(db_index=False, editable=False, max_length=60)),
                    ('period', models.DateField(help_text='The first day of the month or quarter.', validators=[portal.validation.validate_date_in_range])),
                    ('value', models.DecimalField(decimal_places=4, max_digits=14)),
                    ('numerator', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('denominator', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('comment', models.TextField(blank=True)),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('shared', 'Shared for review'), ('disputed', 'Disputed'), ('published', 'Published')], default='draft', max_length=10)),
                    ('shared_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('review_until', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('accepted_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('published_at', models.DateTimeField(blank=True, editable=False, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('accepted_by', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('author_organization', models.ForeignKey(db_constraint=False, editable=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.organization')),
                    ('created_by', models.ForeignKey(db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('definition', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='metrics.kpidefinition')),
                    ('partnership', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.partnership')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_events', to='metrics.kpimeasurement')),
                ],
                options={
                    'abstract': False,
                    'indexes': [models.Index(fields=['pgh_created_at'], name='kpimeasurement_ev_at')],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='append_only_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the audit trail is append-only', TG_TABLE_NAME;", hash='e512546d2a127516709a030fe8748b36575084d2', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_append_only_truncate_37531', table='metrics_kpimeasurementevent', when='BEFORE')), pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='281f69bad8c0fec2cafbeda1dbd0264372aa7865', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_63a5f', table='metrics_kpimeasurementevent', when='BEFORE'))],
                },
            ), migrations.CreateModel(
                name='KPISubmissionReminder',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.SlugField(max_length=60)),
                    ('period', models.DateField(validators=[portal.validation.validate_date_in_range])),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                ],
                options={
                    'indexes': [],
                    'constraints': [models.UniqueConstraint(fields=('partnership', 'key', 'period'), name='kpi_one_submission_reminder_per_period')],
                },
            ), migrations.CreateModel(
                name='MeasurementEvidence',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(editable=False, max_length=200)),
                    ('size', models.PositiveBigIntegerField(editable=False)),
                    ('content_type', models.CharField(editable=False, max_length=100)),
                    ('sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256')),
                    ('file', models.FileField(upload_to=metrics.measurements.models.evidence_path)),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('measurement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='metrics.kpimeasurement')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                    ('uploaded_by', models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name_plural': 'measurement evidence',
                    'ordering': ['uploaded_at', 'pk'],
                    'indexes': [],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_measurementevidenceevent" ("content_type", "file", "id", "measurement_id", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "sha256", "size", "uploaded_at", "uploaded_by_id") VALUES (NEW."content_type", NEW."file", NEW."id", NEW."measurement_id", NEW."name", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."sha256", NEW."size", NEW."uploaded_at", NEW."uploaded_by_id"); RETURN NULL;', hash='420355ad47fb16fa49ef1d5945ed23ed28ce400e', operation='INSERT', pgid='pgtrigger_insert_insert_b7c08', table='metrics_measurementevidence', when='AFTER')), pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "metrics_measurementevidenceevent" ("content_type", "file", "id", "measurement_id", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "sha256", "size", "uploaded_at", "uploaded_by_id") VALUES (NEW."content_type", NEW."file", NEW."id", NEW."measurement_id", NEW."name", NEW."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."sha256", NEW."size", NEW."uploaded_at", NEW."uploaded_by_id"); RETURN NULL;', hash='84f371bc000402a508e8ec1864f6b04bca76e9d1', operation='UPDATE', pgid='pgtrigger_update_update_bd5a0', table='metrics_measurementevidence', when='AFTER')), pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_measurementevidenceevent" ("content_type", "file", "id", "measurement_id", "name", "partnership_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "sha256", "size", "uploaded_at", "uploaded_by_id") VALUES (OLD."content_type", OLD."file", OLD."id", OLD."measurement_id", OLD."name", OLD."partnership_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."sha256", OLD."size", OLD."uploaded_at", OLD."uploaded_by_id"); RETURN NULL;', hash='4bd2cd558890185587b4e032b0ca3d52c221017e', operation='DELETE', pgid='pgtrigger_delete_delete_d4328', table='metrics_measurementevidence', when='AFTER'))],
                },
            ), migrations.CreateModel(
                name='MeasurementEvidenceEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('pgh_context', pghistory.utils.JSONField(null=True)),
                    ('pgh_context_id', models.UUIDField(null=True)),
                    ('id', models.BigIntegerField()),
                    ('name', models.CharField(editable=False, max_length=200)),
                    ('size', models.PositiveBigIntegerField(editable=False)),
                    ('content_type', models.CharField(editable=False, max_length=100)),
                    ('sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256')),
                    ('file', models.FileField(upload_to=metrics.measurements.models.evidence_path)),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('measurement', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='metrics.kpimeasurement')),
                    ('partnership', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.partnership')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_events', to='metrics.measurementevidence')),
                    ('uploaded_by', models.ForeignKey(db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'abstract': False,
                    'indexes': [models.Index(fields=['pgh_created_at'], name='measurementevidenc_ev_at')],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='append_only_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the audit trail is append-only', TG_TABLE_NAME;", hash='27fdce51a644ba2573b254a0caaf967c69e8786b', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_append_only_truncate_b54f6', table='metrics_measurementevidenceevent', when='BEFORE')), pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='002579ad3d16a09e0bd913523192d215deaf12af', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_e4160', table='metrics_measurementevidenceevent', when='BEFORE'))],
                },
            ), migrations.CreateModel(
                name='MeasurementReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('comment', 'Comment'), ('dispute', 'Dispute'), ('correction', 'Correction'), ('withdrawal', 'Dispute withdrawn'), ('acceptance', 'Accepted')], max_length=10)),
                    ('text', models.TextField()),
                    ('party', models.CharField(choices=[('sponsor', 'Sponsor'), ('cdmo', 'CDMO')], max_length=7)),
                    ('value_before', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('value_after', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('measurement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='metrics.kpimeasurement')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                ],
                options={
                    'ordering': ['created_at', 'pk'],
                    'indexes': [models.Index(fields=['measurement', 'created_at'], name='metrics_mea_measure_37d29a_idx')],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_measurementreviewevent" ("author_id", "created_at", "id", "kind", "measurement_id", "partnership_id", "party", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text", "value_after", "value_before") VALUES (NEW."author_id", NEW."created_at", NEW."id", NEW."kind", NEW."measurement_id", NEW."partnership_id", NEW."party", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'insert\', NEW."id", NEW."text", NEW."value_after", NEW."value_before"); RETURN NULL;', hash='4d553dc97f0ccb01c3c6c1915de26acfd6bb9643', operation='INSERT', pgid='pgtrigger_insert_insert_10e0f', table='metrics_measurementreview', when='AFTER')), pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "metrics_measurementreviewevent" ("author_id", "created_at", "id", "kind", "measurement_id", "partnership_id", "party", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text", "value_after", "value_before") VALUES (NEW."author_id", NEW."created_at", NEW."id", NEW."kind", NEW."measurement_id", NEW."partnership_id", NEW."party", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'update\', NEW."id", NEW."text", NEW."value_after", NEW."value_before"); RETURN NULL;', hash='89c28442fc89583995693a101849d8b13b1cca24', operation='UPDATE', pgid='pgtrigger_update_update_26601', table='metrics_measurementreview', when='AFTER')), pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "metrics_measurementreviewevent" ("author_id", "created_at", "id", "kind", "measurement_id", "partnership_id", "party", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text", "value_after", "value_before") VALUES (OLD."author_id", OLD."created_at", OLD."id", OLD."kind", OLD."measurement_id", OLD."partnership_id", OLD."party", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, clock_timestamp(), \'delete\', OLD."id", OLD."text", OLD."value_after", OLD."value_before"); RETURN NULL;', hash='da58824bd4a1f7f0c1605e0a7e64a6050fe54f4e', operation='DELETE', pgid='pgtrigger_delete_delete_77392', table='metrics_measurementreview', when='AFTER'))],
                },
            ), migrations.CreateModel(
                name='MeasurementReviewEvent',
                fields=[
                    ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                    ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                    ('pgh_label', models.TextField(help_text='The event label.')),
                    ('pgh_context', pghistory.utils.JSONField(null=True)),
                    ('pgh_context_id', models.UUIDField(null=True)),
                    ('id', models.BigIntegerField()),
                    ('kind', models.CharField(choices=[('comment', 'Comment'), ('dispute', 'Dispute'), ('correction', 'Correction'), ('withdrawal', 'Dispute withdrawn'), ('acceptance', 'Accepted')], max_length=10)),
                    ('text', models.TextField()),
                    ('party', models.CharField(choices=[('sponsor', 'Sponsor'), ('cdmo', 'CDMO')], max_length=7)),
                    ('value_before', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('value_after', models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('author', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                    ('measurement', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='metrics.kpimeasurement')),
                    ('partnership', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='partnership.partnership')),
                    ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_events', to='metrics.measurementreview')),
                ],
                options={
                    'abstract': False,
                    'indexes': [models.Index(fields=['pgh_created_at'], name='measurementreview_ev_at')],
                    'constraints': [],
                    'triggers': [pgtrigger.compiler.Trigger(name='append_only_truncate', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: the audit trail is append-only', TG_TABLE_NAME;", hash='53d3f9bd3e9ee0f381358115aa06a5a7517e80e8', level='STATEMENT', operation='TRUNCATE', pgid='pgtrigger_append_only_truncate_3dcd7', table='metrics_measurementreviewevent', when='BEFORE')), pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='a0aebeeb15dbe05ccded8ab91cb4802165e662c3', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_65184', table='metrics_measurementreviewevent', when='BEFORE'))],
                },
            ), migrations.CreateModel(
                name='MeasurementSource',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('object_id', models.PositiveBigIntegerField()),
                    ('counted_as', models.CharField(blank=True, max_length=60)),
                    ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                    ('measurement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='metrics.kpimeasurement')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                ],
                options={
                    'ordering': ['content_type_id', 'object_id'],
                    'indexes': [models.Index(fields=['content_type', 'object_id'], name='metrics_mea_content_459466_idx')],
                    'constraints': [models.UniqueConstraint(fields=('measurement', 'content_type', 'object_id'), name='measurementsource_once_per_record')],
                },
            ), migrations.CreateModel(
                name='SteeringPack',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(editable=False, max_length=200)),
                    ('size', models.PositiveBigIntegerField(editable=False)),
                    ('content_type', models.CharField(editable=False, max_length=100)),
                    ('sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256')),
                    ('requested_at', models.DateTimeField(default=django.utils.timezone.now, validators=[portal.validation.validate_date_in_range])),
                    ('period_start', models.DateField(validators=[portal.validation.validate_date_in_range])),
                    ('period_end', models.DateField(validators=[portal.validation.validate_date_in_range])),
                    ('status', models.CharField(choices=[('pending', 'Being made'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=10)),
                    ('generated_at', models.DateTimeField(blank=True, null=True, validators=[portal.validation.validate_date_in_range])),
                    ('error', models.TextField(blank=True)),
                    ('file', models.FileField(blank=True, upload_to=metrics.steering.models.pack_path)),
                    ('meeting', models.ForeignKey(blank=True, help_text='The steering committee meeting it is attached to.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='steering_packs', to='governance.meeting')),
                    ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='partnership.partnership')),
                    ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'ordering': ['-requested_at', '-pk'],
                    'indexes': [models.Index(fields=['partnership', 'requested_at'], name='metrics_ste_partner_f05d43_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('period_start__lte', models.F('period_end'))), name='steering_pack_period_in_order')],
                },
            )],
        ),
    ]
