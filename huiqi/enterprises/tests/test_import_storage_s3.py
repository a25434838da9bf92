"""An import file queued on one host is read by a worker on another: through Django's storage API
from an S3-compatible object store (a real local S3 server, moto, on a free port), not a path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.test import override_settings
from moto.server import ThreadedMotoServer

from huiqi.enterprises import importing
from huiqi.enterprises.models import Enterprise, ImportJob

from .test_import_job import _csv

pytestmark = pytest.mark.django_db
BUCKET = "huiqi-media-test"


@pytest.fixture
def s3_storage(settings: Any) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{server._server.server_port}"  # type: ignore[union-attr]
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
        boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES={**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": "testing",
                        "secret_key": "testing", "region_name": "us-east-1", "location": "media",
                        "default_acl": None, "file_overwrite": False}}}):
            yield endpoint
    finally:
        server.stop()


def test_a_queued_import_file_lives_in_object_storage_and_the_worker_reads_it_from_there(
        s3_storage: str, make_user: Any, settings: Any) -> None:
    data = _csv(4)
    job = importing.import_job_create(actor=make_user("officer"), filename="企业.csv", data=data, source="市场监管",
                                      as_of=date(2026, 3, 31), rows=4)
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    stored = boto3.client("s3", endpoint_url=s3_storage, **credentials).get_object(
        Bucket=BUCKET, Key=f"media/{job.file.name}")["Body"].read()
    assert stored == data
    assert not (Path(settings.MEDIA_ROOT) / job.file.name).exists()  # nothing on this host's disk
    importing.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.report
    assert Enterprise.objects.count() == 4
