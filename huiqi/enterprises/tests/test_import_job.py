"""A large file is checked at once and written by the worker, with progress on its page."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cnstd.uscc import uscc_check_char
from conftest import PASSWORD
from huiqi.enterprises import importing
from huiqi.enterprises.models import Enterprise, ImportJob

pytestmark = pytest.mark.django_db


def _csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "所在地区", "年度", "营业收入(万元)"])
    for n in range(rows):
        body = f"91350503MA{n:07d}"
        writer.writerow([body + uscc_check_char(body), f"泉州导入测试{n}号有限公司", "鲤城区", "2025", "1200"])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def officer_client(make_user: Any, client: Client) -> Client:
    officer = make_user("officer")
    client.login(username=officer.username, password=PASSWORD)
    return client


def test_a_large_checked_file_becomes_a_job_the_worker_writes_with_progress(
        officer_client: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    monkeypatch.setattr(importing, "SYNC_IMPORT_ROWS", 3)
    import huiqi.enterprises.views as views

    monkeypatch.setattr(views, "SYNC_IMPORT_ROWS", 3)
    upload = SimpleUploadedFile("大批企业.csv", _csv(5), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post("/enterprises/import/", {"file": upload, "source": "市场监管",
                                                                 "as_of": "2026-03-31"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/enterprises/import/jobs/{job.pk}/")
    page = officer_client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page and "0 / 5" in page
    assert not Enterprise.objects.exists()  # nothing is written before the worker runs
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="run_import_job").count() == 1  # queued for the worker

    importing.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.report["created"] == 5
    assert Enterprise.objects.count() == 5
    page = officer_client.get(f"/enterprises/import/jobs/{job.pk}/").content.decode()
    assert "导入成功" in page and "5 / 5" in page and 'http-equiv="refresh"' not in page


def test_a_large_file_with_errors_is_refused_at_once_without_a_job(
        officer_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    import huiqi.enterprises.views as views

    monkeypatch.setattr(views, "SYNC_IMPORT_ROWS", 3)
    data = _csv(5).replace(b"1200", b"-5", 1)
    response = officer_client.post("/enterprises/import/", {"file": SimpleUploadedFile("x.csv", data),
                                                             "source": "市场监管", "as_of": "2026-03-31"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<td data-label="行">2</td>' in page and "营业收入(万元)" in page and "负数" in page
    assert not ImportJob.objects.exists() and not Enterprise.objects.exists()


def test_another_officer_cannot_watch_the_job(officer_client: Client, make_user: Any, client: Client,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    job = importing.import_job_create(actor=make_user("officer"), filename="a.csv", data=_csv(2), source="",
                                      as_of=None, rows=2)
    assert officer_client.get(f"/enterprises/import/jobs/{job.pk}/").status_code == 404
