"""Tokens made before named, hashed tokens (DRF's authtoken, which kept each key in plain
text) carry on as named tokens kept as a hash, valid 90 days from now; then the old table,
and with it every plain-text key, is dropped."""

import datetime
import hashlib

from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if "authtoken_token" not in connection.introspection.table_names(cursor):
            return
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("partnership", "ApiToken")
    expires = timezone.now() + datetime.timedelta(days=90)
    for key, user_id, created in rows:
        token = ApiToken.objects.create(
            user_id=user_id, name="Token made before named tokens", prefix=key[:12],
            digest=hashlib.sha256(key.encode()).hexdigest(), expires_at=expires)
        ApiToken.objects.filter(pk=token.pk).update(created_at=created)
    schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):

    dependencies = [
        ('partnership', '0024_sign_in'),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
