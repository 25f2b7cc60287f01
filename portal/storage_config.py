"""STORAGES["default"] from the environment: a private S3-compatible bucket when S3_BUCKET is
set, else the private local folder. Kept apart from portal.storage so that loading the
settings does not import boto3."""

from pathlib import Path

from portal.env import env_str, env_url


def default_storage_config(data_dir: Path) -> dict:
    bucket = env_str("S3_BUCKET")
    if not bucket:
        return {"BACKEND": "portal.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": str(data_dir / "media")}}
    return {"BACKEND": "portal.storage.PrivateS3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": env_url("S3_ENDPOINT_URL", ("http", "https")),
        "region_name": env_str("S3_REGION", "us-east-1"),
        # Unset keys leave boto3 to its own chain (instance role, AWS_* variables).
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "location": env_str("S3_PREFIX", ""),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),  # what MinIO serves
        "signature_version": "s3v4",
        "default_acl": None,  # objects stay as private as the bucket: no public-read ACL
        "file_overwrite": False,  # a second upload of the same name gets a name of its own
        "querystring_auth": True,  # and nothing unsigned, should a URL ever be asked for
    }}
