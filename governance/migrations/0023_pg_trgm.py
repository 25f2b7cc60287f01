"""The pg_trgm extension: global search matches numbers, codes, names and near-misses by
trigram similarity (governance.overview.selectors.search), through trigram GIN indexes that
the search apps' next migrations create."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0022_quality_desk'),
    ]

    operations = [
        TrigramExtension(),
    ]
