"""Files in S3-compatible object storage (production: MinIO or AWS S3), proven against an S3
server run in the test process (moto): the settings S3_* build, a private bucket, nothing
readable without a signature, the checksum checked on the way out."""

import hashlib
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from partnership.contracts.services import contract_document_upload
from portal.storage_config import default_storage_config
from tests.factories import PDF, ContractFactory

BUCKET = "lockstep-files"
KEYS = {"S3_ACCESS_KEY_ID": "lockstep", "S3_SECRET_ACCESS_KEY": "lockstep-secret"}


@pytest.fixture
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, monkeypatch, settings):
    """The settings as production builds them from S3_* (docker-compose.yml), with the bucket
    created first (compose's `createbucket` service)."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"])
    client.create_bucket(Bucket=BUCKET)
    for name, value in {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_endpoint,
                        "S3_PREFIX": "media", **KEYS}.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES,
                         "default": default_storage_config(settings.DATA_DIR)}
    return client


def test_documents_go_to_the_private_bucket_and_come_back_checked(world, login, bucket,
                                                                  s3_endpoint):
    contract = ContractFactory(partnership=world.acme_contoso, reference="MSA-S3")
    content = PDF + b"stored in the bucket"
    document = contract_document_upload(
        actor=world.bob, contract=contract, file=SimpleUploadedFile("terms.pdf", content))
    key = f"media/{document.file.name}"
    stored = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored == content and document.sha256 == hashlib.sha256(content).hexdigest()
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    with pytest.raises(urllib.error.HTTPError) as refused:  # nobody reads it unsigned
        urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{key}", timeout=5)
    assert refused.value.code == 403

    response = login(world.alice).get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == content

    bucket.put_object(Bucket=BUCKET, Key=key, Body=PDF + b"rewritten in the bucket")
    changed = login(world.alice).get(document.get_absolute_url())
    assert changed.status_code == 500 and b"rewritten" not in changed.content
    assert login(world.carol).get(document.get_absolute_url()).status_code == 404
