"""Where uploads are kept: a private folder or a private bucket, never a public URL.

Both storages refuse to make a URL for a file: a link straight to the folder or the bucket
would skip the scoped download view (who may see it) and the checksum (whether it is intact),
so any code that tries fails loudly instead of leaking.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class NoPublicURLs:
    def url(self, name, *args, **kwargs):
        raise NotImplementedError(
            "Uploaded files have no URL: serve them through their record's scoped download "
            "view (portal.files.StoredFile.download_response).")


class PrivateFileSystemStorage(NoPublicURLs, FileSystemStorage):
    """The local folder (var/media by default), outside STATIC_ROOT and never routed."""


class PrivateS3Storage(NoPublicURLs, S3Storage):
    """An S3-compatible bucket (MinIO, AWS S3 …) with no public access."""
