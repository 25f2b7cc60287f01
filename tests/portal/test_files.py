"""Uploaded files are GMP records: checked by content, refused before the body is read when
too large, kept in private storage (whatever STORAGES says) with their SHA-256, and served
only by the scoped download view, only while they still match."""

import hashlib
import io
import logging

import pghistory.models
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from partnership.contracts.services import contract_document_upload
from partnership.models import ContractDocument
from portal.files import StoredFile
from portal.storage import PrivateFileSystemStorage, PrivateS3Storage
from tests.factories import PDF, ContractFactory, word_document

EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(saved_world):
    """One world for the module, each test in its own savepoint (tests/conftest.py)."""
    return saved_world


def file_fields():
    """Every file field of a record; not the audit trail's snapshots of them (an event row
    keeps the stored name of the file its record held, and stores no file)."""
    return [(model, field) for model in apps.get_models()
            if not issubclass(model, pghistory.models.Event)
            for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def test_every_file_field_is_a_checked_private_record():
    assert file_fields(), "no FileField found: the search below would prove nothing"
    for model, field in file_fields():
        assert issubclass(model, StoredFile), f"{model.__name__} does not derive StoredFile"
        assert model.ALLOWED_KINDS, f"{model.__name__} accepts no kind of file"
        assert field.storage is default_storage or field.storage is storages["default"], \
            f"{model.__name__}.{field.name} is not on the configured (private) storage"
        assert field.name == "file"


def test_the_storage_never_makes_a_public_url():
    with pytest.raises(NotImplementedError, match="scoped download view"):
        default_storage.url("contracts/1/1/anything.pdf")


def test_the_configured_storage_writes_and_reads_back():
    """Through whatever STORAGES["default"] says: the local folder here, the bucket when
    S3_BUCKET is set (MinIO in docker-compose.yml)."""
    content = b"%PDF-1.4 storage round trip " + bytes(range(256))
    name = default_storage.save("checks/round-trip.pdf", ContentFile(content))
    try:
        assert default_storage.exists(name)
        with default_storage.open(name, "rb") as stored:
            assert stored.read() == content
        assert default_storage.size(name) == len(content)
    finally:
        default_storage.delete(name)
    assert not default_storage.exists(name)


def test_files_live_outside_the_web_root():
    """In a private bucket, or in a folder that neither static files nor any URL serve."""
    storage = storages["default"]
    if isinstance(storage, PrivateS3Storage):
        assert storage.default_acl is None and storage.querystring_auth
        return
    assert isinstance(storage, PrivateFileSystemStorage)
    location = str(storage.location)
    for web_root in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not location.startswith(str(web_root))


@pytest.fixture
def msa(world):
    return ContractFactory(partnership=world.acme_contoso, reference="MSA-1")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("terms.pdf", EXECUTABLE, "not a PDF, Word or Excel document"),
    ("terms.pdf", PNG, "not a PDF, Word or Excel document"),
    ("terms.pdf", b"plain text pretending", "not a PDF, Word or Excel document"),
    ("terms.docx", PDF, "is a PDF document (.pdf), but its name ends in “.docx”"),
    ("terms", PDF, "has no extension"),
])
def test_uploads_are_judged_by_their_content(world, login, msa, name, content, message):
    upload = reverse("partnership:contractdocument_create", args=[msa.partnership_id, msa.pk])
    page = login(world.bob).post(upload, {"file": SimpleUploadedFile(name, content)})
    assert message in page.content.decode()
    api = APIClient()
    api.force_authenticate(world.bob)
    answer = api.post("/api/v1/contract-documents/", {
        "contract": msa.pk, "file": SimpleUploadedFile(name, content)}, format="multipart")
    assert answer.status_code == 400 and message in answer.json()["file"][0]
    assert not ContractDocument.objects.filter(contract=msa).exists()


def test_an_upload_keeps_its_checksum_and_comes_back_as_an_attachment(world, login, msa):
    content = word_document("Clause 4.2 redlined")
    document = contract_document_upload(
        actor=world.bob, contract=msa, file=SimpleUploadedFile("redline.docx", content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content) and document.name == "redline.docx"
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content  # through the configured storage
    response = login(world.alice).get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == document.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    api = APIClient()
    api.force_authenticate(world.alice)
    row = api.get(f"/api/v1/contract-documents/{document.pk}/").json()
    assert row["sha256"] == document.sha256 and "file" not in row


def test_a_long_name_is_shortened_before_its_extension(world, msa):
    long = "Executed batch record " + "lot 24-118 " * 30 + ".pdf"
    document = contract_document_upload(actor=world.bob, contract=msa,
                                        file=SimpleUploadedFile(long, PDF))
    assert len(document.name) == 200 and document.name.endswith("24-11.pdf")


def test_a_changed_file_is_refused_and_logged_never_served(world, login, msa, caplog):
    document = contract_document_upload(
        actor=world.bob, contract=msa, file=SimpleUploadedFile("terms.pdf", PDF + b"v1"))
    # Someone with access to the bucket or folder replaces the bytes under the same name.
    default_storage.delete(document.file.name)
    assert default_storage.save(document.file.name, ContentFile(PDF + b"v2")) \
        == document.file.name
    with caplog.at_level(logging.ERROR, logger="lockstep.files"):
        response = login(world.alice).get(document.get_absolute_url())
    assert response.status_code == 500
    body = response.content.decode()
    # None of the file's bytes: not its PDF header (its "v2" could be in a page's CSP nonce).
    assert "no longer matches the checksum" in body and "%PDF" not in body
    assert not getattr(response, "streaming", False)
    [record] = [r for r in caplog.records if r.name == "lockstep.files"]
    assert document.sha256 in record.getMessage() and document.file.name in record.getMessage()
    # Put back as it was, it is served again: the check compares, it does not condemn.
    default_storage.delete(document.file.name)
    default_storage.save(document.file.name, ContentFile(PDF + b"v1"))
    again = login(world.alice).get(document.get_absolute_url())
    assert again.status_code == 200 and b"".join(again.streaming_content) == PDF + b"v1"


class ExplodingInput(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the body of a refused upload was read")

    readline = readinto = read


@pytest.mark.parametrize(("headers", "kind"), [
    ({}, "page"), ({"HTTP_HX_REQUEST": "true"}, "htmx"), ({}, "api")])
def test_too_large_is_refused_before_the_body_is_read(world, msa, headers, kind):
    client = Client()
    client.force_login(world.bob)
    url = ("/api/v1/contract-documents/" if kind == "api" else
           reverse("partnership:contractdocument_create", args=[msa.partnership_id, msa.pk]))
    too_large = settings.MAX_UPLOAD_BYTES + 2 * 1024 * 1024
    response = client.generic(
        "POST", url, content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_large), **{"wsgi.input": ExplodingInput()}, **headers)
    assert response.status_code == 413
    message = "files may be at most 20 MB"
    if kind == "api":
        assert message in response.json()["detail"]
    else:
        assert message in response.content.decode()
    if kind == "htmx":
        assert response["HX-Retarget"] == "#dialog-body"
        assert "<html" not in response.content.decode()
    assert not ContractDocument.objects.filter(contract=msa).exists()


def test_a_file_just_over_the_limit_is_refused_after_reading(world, login, msa):
    """Within the allowance for form fields the body is read, and the file still refused."""
    upload = reverse("partnership:contractdocument_create", args=[msa.partnership_id, msa.pk])
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * settings.MAX_UPLOAD_BYTES)
    page = login(world.bob).post(upload, {"file": big})
    assert page.status_code == 200 and "Files may be at most 20 MB." in page.content.decode()
    assert not ContractDocument.objects.filter(contract=msa).exists()
