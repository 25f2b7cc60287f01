import hashlib

from django.db import migrations, models

import filetype

import partnership.contracts.models


def record_checksums(apps, schema_editor):
    """Documents uploaded before checksums were kept get theirs from the stored bytes now, so
    that each is checked from here on; a document whose file is gone keeps none and is never
    served."""
    ContractDocument = apps.get_model("partnership", "ContractDocument")
    for document in ContractDocument.objects.filter(sha256="").iterator():
        digest = hashlib.sha256()
        try:
            with document.file.storage.open(document.file.name, "rb") as stored:
                head = stored.read(8192)
                digest.update(head)
                for chunk in iter(lambda: stored.read(64 * 1024), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            continue
        kind = filetype.guess(head)
        document.sha256 = digest.hexdigest()
        document.content_type = kind.mime if kind else "application/octet-stream"
        document.save(update_fields=["sha256", "content_type"])


class Migration(migrations.Migration):

    dependencies = [
        ("partnership", "0025_api_tokens_from_drf"),
    ]

    operations = [
        migrations.AddField(
            model_name="contractdocument",
            name="content_type",
            field=models.CharField(default="", editable=False, max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="contractdocument",
            name="sha256",
            field=models.CharField(default="", editable=False, max_length=64,
                                   verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="contractdocument",
            name="file",
            field=models.FileField(upload_to=partnership.contracts.models.contract_document_path),
        ),
        migrations.RunPython(record_checksums, migrations.RunPython.noop),
    ]
