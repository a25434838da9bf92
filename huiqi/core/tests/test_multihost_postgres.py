"""One platform on several hosts: two gunicorn web servers and a task worker — separate processes,
each with its own var/ folder, sharing only PostgreSQL, Redis (HUIQI_CACHE_URL), an S3-compatible
object store (a local moto server) and the secrets — as a province would run it.

Runs only on PostgreSQL (DATABASE_URL) with Redis (HUIQI_TEST_REDIS_URL, default DB 1)."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

from cnstd.uscc import uscc_check_char
from conftest import PASSWORD
from huiqi.audit.models import AuditEvent
from huiqi.enterprises.models import Enterprise, ImportJob
from huiqi.matching.models import MatchJob, MatchResult
from tests.shared import in_ci

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[3]
ROWS = 1500
FIELD_KEY = "bXVsdGktaG9zdC10ZXN0LWZpZWxkLWtleS0zMmJ5dGU="
STALE_SECONDS = 4


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("多主机测试需要 PostgreSQL（设置 DATABASE_URL）")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition: Callable[[], Any], what: str, timeout: float = 90) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Cluster:
    env: dict[str, str]
    tmp: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], **extra: str) -> subprocess.Popen[bytes]:
        var = self.tmp / name
        var.mkdir(exist_ok=True)
        log = (self.tmp / f"{name}.log").open("wb")
        process = subprocess.Popen([sys.executable, *argv], cwd=REPO, env={**self.env, "HUIQI_VAR_DIR": str(var), **extra},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def web(self, name: str) -> str:
        port = _free_port()
        self.start(name, ["-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                          "--workers", "2", "--threads", "2", "--timeout", "60"])
        url = f"http://127.0.0.1:{port}"
        _wait(lambda: self._answers(url, name), f"web host {name}")
        self.urls[name] = url
        return url

    def _answers(self, url: str, name: str) -> bool:
        if self.processes[name].poll() is not None:
            raise AssertionError(f"{name} exited: {(self.tmp / f'{name}.log').read_text()[-2000:]}")
        try:
            return requests.get(url + "/", timeout=10).status_code == 200
        except requests.RequestException:
            return False

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(15)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if self.processes[name].poll() is None else signal.SIGKILL)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    import redis
    from moto.server import ThreadedMotoServer

    cache_url = os.environ.get("HUIQI_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        redis.Redis.from_url(cache_url).flushdb()  # our own Redis database (DB 1 by default)
    except redis.ConnectionError:
        if in_ci():
            raise
        pytest.skip(f"Redis 不可用（{cache_url}）")
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3.start()
    endpoint = f"http://127.0.0.1:{s3._server.server_port}"  # type: ignore[union-attr]
    import boto3

    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                 region_name="us-east-1").create_bucket(Bucket="huiqi-media")
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("HUIQI_", "DJANGO_"))}
    env.update({
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "HUIQI_CACHE_URL": cache_url, "HUIQI_SECRET_KEY": "multi-host-test-secret-" + "s" * 40,
        "HUIQI_FIELD_KEY": FIELD_KEY, "HUIQI_AUDIT_KEY": "multi-host-test-audit-key-" + "a" * 32,
        "HUIQI_AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints"),
        "HUIQI_MEDIA_STORAGE": "s3", "HUIQI_S3_BUCKET": "huiqi-media",
        "HUIQI_S3_ENDPOINT_URL": endpoint, "HUIQI_S3_ACCESS_KEY_ID": "k", "HUIQI_S3_SECRET_ACCESS_KEY": "s",
        "HUIQI_S3_REGION": "us-east-1", "HUIQI_JOB_HEARTBEAT_SECONDS": "1",
        "HUIQI_JOB_STALE_SECONDS": str(STALE_SECONDS), "PYTHONUNBUFFERED": "1",
    })
    running = Cluster(env=env, tmp=tmp_path)
    try:
        yield running
    finally:
        running.stop_all()
        s3.stop()


def _login(url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=10)
    response = session.post(f"{url}/accounts/login/", timeout=20, allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.status_code == 302, response.text[:500]
    return session


def _csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "所在地区", "年度", "营业收入(万元)"])
    for n in range(rows):
        body = f"91350503MA{n:07d}"
        writer.writerow([body + uscc_check_char(body), f"泉州多主机测试{n}号有限公司", "鲤城区", "2025", "2500"])
    return out.getvalue().encode("utf-8")


def _published_item(make_user: Callable[..., Any], department: Any) -> None:
    from huiqi.policies.models import PolicyDocument
    from huiqi.policies.services import policy_item_create
    from huiqi.policies.workflow import transition

    document = PolicyDocument.objects.create(title="泉州市规上企业奖励办法", issuer="泉州市工信局", level="city",
                                             region="350500", department=department, doc_number="泉工信〔2026〕9号")
    item = policy_item_create(
        actor=make_user("officer"), document=document, code="qz-scale", title="规上企业奖励", mode="免申即享",
        conditions={"all": [{"field": "region", "op": "within", "value": "350500"},
                            {"field": "revenue", "op": ">=", "value": 20000000}]},
        reward={"fixed": 50000})
    reviewer = make_user("reviewer")
    transition(actor=reviewer, item=item, name="review")
    item.refresh_from_db()
    transition(actor=reviewer, item=item, name="publish")


def test_two_web_hosts_and_a_worker_share_sessions_limits_progress_keys_and_finish_a_killed_workers_job(
        cluster: Cluster, make_user: Callable[..., Any], department: Any) -> None:
    officer = make_user("officer", username="officer_multi")
    owner = make_user("enterprise", username="qiye_multi")
    a, b = cluster.web("host_a"), cluster.web("host_b")

    # A session made on host A works on host B (same SECRET_KEY, sessions in the shared database).
    on_a = _login(a, officer.username)
    on_b = requests.Session()
    on_b.cookies.update(on_a.cookies)
    page = on_b.get(f"{b}/enterprises/import/", timeout=10)
    assert page.status_code == 200 and "文件（.xlsx 或 .csv）" in page.text

    # A rate limit is counted across both hosts (Redis), not per host.
    if time.time() % 60 > 40:  # the fixed window must not turn over in the middle
        time.sleep(61 - time.time() % 60)
    answers = [requests.get(f"{(a, b)[n % 2]}/quick-match/?q=不存在的企业{n}", timeout=10).status_code
               for n in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429, answers

    # An encrypted bank account written through host A is read by another host's process.
    enterprise_on_a = _login(a, owner.username)
    enterprise_on_a.get(f"{a}/disbursement/mine/", timeout=10)
    saved = enterprise_on_a.post(f"{a}/disbursement/mine/", timeout=10, data={
        "op": "account", "account_name": "泉州多主机测试公司", "bank_name": "泉州银行", "number": "6222021234567890",
        "csrfmiddlewaretoken": enterprise_on_a.cookies["csrftoken"]})
    assert saved.status_code == 200 and "6222" in saved.text
    reveal = ("from huiqi.core.crypto import decrypt_text;"
              "from huiqi.disbursement.models import BankAccount;"
              "print(decrypt_text(BankAccount.objects.get().number_encrypted))")
    read = subprocess.run([sys.executable, "-m", "huiqi.cli", "manage", "shell", "--no-imports", "-c", reveal], cwd=REPO,
                          env={**cluster.env, "HUIQI_VAR_DIR": str(cluster.tmp / "host_b")},
                          capture_output=True, text=True, timeout=60, check=False)
    assert read.stdout.strip() == "6222021234567890", read.stderr[-2000:]

    # A large import queued on host A: its progress is seen from host B while the worker writes it.
    _published_item(make_user, department)
    cluster.start("worker_1", ["-m", "huiqi.cli", "worker", "--schedule-interval", "1"])
    _wait(lambda: MatchJob.objects.filter(state=MatchJob.State.DONE).exists(), "the worker to run the item's job")
    upload = on_a.post(f"{a}/enterprises/import/", timeout=120, allow_redirects=False,
                       files={"file": ("多主机企业.csv", _csv(ROWS), "text/csv")},
                       data={"source": "市场监管", "as_of": "2026-03-31",
                             "csrfmiddlewaretoken": on_a.cookies["csrftoken"]})
    assert upload.status_code == 302, upload.text[:1000]
    job_url = upload.headers["Location"]

    def progress_on_b() -> int:
        found = re.search(rf"已写入 (\d+) / {ROWS} 行", on_b.get(f"{b}{job_url}", timeout=10).text)
        done = int(found.group(1)) if found else 0
        return done if 0 < done < ROWS else 0

    seen = _wait(progress_on_b, "host B to show the import's progress", timeout=120)
    assert 0 < seen < ROWS

    # kill -9 of the worker in the middle of the job; its transaction dies with it.
    cluster.kill("worker_1")
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.RUNNING
    imported = Enterprise.objects.filter(name__startswith="泉州多主机测试")
    _wait(lambda: not imported.exists(), "the killed worker's transaction to roll back", timeout=30)
    time.sleep(STALE_SECONDS + 1)

    # A new worker takes the abandoned job over and finishes it, once.
    cluster.start("worker_2", ["-m", "huiqi.cli", "worker", "--schedule-interval", "1"])
    _wait(lambda: ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.DONE).exists(),
          "the new worker to finish the import", timeout=180)
    _wait(lambda: MatchJob.objects.filter(kind=MatchJob.Kind.ENTERPRISES, state=MatchJob.State.DONE).exists(),
          "the import's match job", timeout=120)
    assert imported.count() == ROWS
    assert AuditEvent.objects.filter(action="enterprise.import").count() == 1
    assert MatchJob.objects.filter(kind=MatchJob.Kind.ENTERPRISES).count() == 1
    results = MatchResult.objects.filter(enterprise__in=imported)
    assert results.count() == ROWS == results.values("enterprise_id").distinct().count()
    assert f"已写入 {ROWS} / {ROWS} 行" in on_b.get(f"{b}{job_url}", timeout=10).text
