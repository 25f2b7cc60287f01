"""Uploaded files kept as records: what a file is (by its content, not its name), its SHA-256
taken at upload, and serving it only while it still matches.

A model that holds uploads derives from `StoredFile`, declares its `file` field and the
kinds it accepts (`ALLOWED_KINDS`), and its service calls `take(upload)`; its scoped download
view returns `download_response()`. tests/portal/test_files.py fails on a FileField of a
model that does not.
"""

import hashlib
import hmac
import logging
import tempfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse

logger = logging.getLogger("lockstep.files")

#: What people call each kind of file, by the extension filetype names it with.
KIND_LABELS = {"pdf": "PDF", "doc": "Word", "docx": "Word", "xls": "Excel", "xlsx": "Excel",
               "png": "PNG image", "jpg": "JPEG image", "csv": "CSV"}
HEAD_BYTES = 8192  # filetype looks at no more than this
CHUNK_BYTES = 64 * 1024


class FileIntegrityError(Exception):
    """The stored bytes no longer hash to the checksum recorded at upload."""


def _label(kinds) -> str:
    labels = list(dict.fromkeys(KIND_LABELS.get(kind, kind.upper()) for kind in kinds))
    return ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]


def looks_like_csv(head: bytes) -> bool:
    """Text (UTF-8, no NUL byte) whose first line holds a delimiter: what a CSV file is by
    its content, which filetype does not judge (it names binary formats only)."""
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the head
            return False
        text = head[:error.start].decode("utf-8-sig")
    first_line = text.lstrip().split("\n", 1)[0]
    return any(delimiter in first_line for delimiter in ",;\t")


def guess_kind(head: bytes, allowed) -> tuple[str, str] | None:
    """(extension, MIME type) of a file by its first bytes, or None when unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension, kind.mime
    if "csv" in allowed and looks_like_csv(head):
        return "csv", "text/csv"
    return None


def max_upload_label() -> str:
    return f"{settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
        digest.update(chunk)
    return digest.hexdigest()


class StoredFile(models.Model):
    """The facts kept with every uploaded file. Subclasses declare `file` (a FileField on the
    default storage) and `ALLOWED_KINDS` (filetype's extensions, e.g. ("pdf", "docx"))."""

    ALLOWED_KINDS: tuple[str, ...] = ()

    name = models.CharField(max_length=200, editable=False)
    size = models.PositiveBigIntegerField(editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)

    class Meta:
        abstract = True

    def take(self, upload) -> None:
        """Check `upload` by its content and keep it with its facts; ValidationError on the
        `file` field when it is not one of ALLOWED_KINDS, its name says it is something else,
        or it is too large."""
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError({"file": f"Files may be at most {max_upload_label()}."})
        upload.seek(0)
        kind = guess_kind(upload.read(HEAD_BYTES), self.ALLOWED_KINDS)
        allowed = _label(self.ALLOWED_KINDS)
        if kind is None or kind[0] not in self.ALLOWED_KINDS:
            raise ValidationError({"file": f"This file is not a {allowed} document (judged by "
                                           "its content, not its name)."})
        extension, mime = kind
        suffix = PurePath(upload.name).suffix.lower().lstrip(".")
        if suffix != extension:
            raise ValidationError({"file": (
                f"This file is a {KIND_LABELS.get(extension, extension)} document "
                f"(.{extension}), but its name ends in “.{suffix}”: rename it and upload "
                "it again." if suffix else
                f"This file is a .{extension} document but its name has no extension.")})
        upload.seek(0)
        self.sha256 = sha256_of(upload)
        upload.seek(0)
        self.file = upload
        name = PurePath(upload.name)  # a long name is shortened before its extension
        self.name = name.stem[:200 - len(name.suffix)] + name.suffix
        self.size = upload.size
        self.content_type = mime

    def open_verified(self):
        """The stored bytes, copied while they are hashed, if they match the checksum recorded
        at upload: what is served is exactly what was checked. FileIntegrityError otherwise
        (logged), FileNotFoundError when the file is gone."""
        copy = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
        digest = hashlib.sha256()
        try:
            with self.file.storage.open(self.file.name, "rb") as stored:
                for chunk in iter(lambda: stored.read(CHUNK_BYTES), b""):
                    digest.update(chunk)
                    copy.write(chunk)
        except BaseException:
            copy.close()
            raise
        actual = digest.hexdigest()
        if not self.sha256 or not hmac.compare_digest(actual, self.sha256):
            copy.close()
            logger.error("Refused to serve %s %s (%s): SHA-256 %s does not match %s recorded "
                         "at upload", type(self).__name__, self.pk, self.file.name, actual,
                         self.sha256 or "(none)")
            raise FileIntegrityError(self.file.name)
        copy.seek(0)
        return copy

    def download_response(self, request):
        """The file as an attachment (never shown inline, nosniff), only if intact."""
        try:
            handle = self.open_verified()
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        except FileIntegrityError:
            return TemplateResponse(request, "portal/file_refused.html", {"stored": self},
                                    status=500)
        response = FileResponse(handle, as_attachment=True, filename=self.name,
                                content_type=self.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        return response
