"""Logins while a large enterprise import runs, on PostgreSQL (a script that prints numbers, not a test).

1. Migrates the PostgreSQL database named by DATABASE_URL (use a database of its own) and makes
   20 login accounts.
2. Starts gunicorn on a free 127.0.0.1 port in its own process group (killed at the end).
3. Measures logins (POST /accounts/login/, 20 clients at once) first with nothing else running,
   then while a 5,000-row enterprise import runs in this process (one transaction, as the worker
   runs it), and prints p50/p95/max of each, and how long the import took.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/multihost HUIQI_SECRET_KEY=… HUIQI_FIELD_KEY=… \\
        .venv/bin/python bench/bench_import_logins.py [--rows 5000] [--users 20]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "Bench-Login-2026!"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _csv(rows: int, seed: int) -> bytes:
    from cnstd.uscc import uscc_check_char

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["统一社会信用代码", "企业名称", "所在地区", "年度", "营业收入(万元)", "从业人员"])
    for n in range(rows):
        body = f"91350582MA{n:07d}"
        writer.writerow([body + uscc_check_char(body), f"晋江压测{n}号有限公司", "晋江市", "2025",
                         str(1000 + (n * 7 + seed) % 5000), str(20 + n % 300)])
    return out.getvalue().encode("utf-8")


def _login_once(url: str, username: str) -> float:
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=120)
    started = time.perf_counter()
    response = session.post(f"{url}/accounts/login/", timeout=120, allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} answered {response.status_code}")
    return elapsed


FAILED: list[str] = []


def _logins(url: str, users: list[str], until: threading.Event | None, rounds: int) -> list[float]:
    """Each user logs in again and again (until `until` is set, or `rounds` times). A login that
    fails or takes over two minutes is counted in FAILED, not in the times."""
    times: list[float] = []
    lock = threading.Lock()

    def client(username: str) -> None:
        done = 0
        while (until is not None and not until.is_set()) or (until is None and done < rounds):
            try:
                took = _login_once(url, username)
            except (requests.RequestException, RuntimeError) as error:
                with lock:
                    FAILED.append(f"{username}: {error}")
            else:
                with lock:
                    times.append(took)
            done += 1

    threads = [threading.Thread(target=client, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _report(label: str, times: list[float]) -> None:
    ordered = sorted(times) or [float("nan")]
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    failed, FAILED[:] = len(FAILED), []
    print(f"{label}: {len(times)} logins ({failed} failed or timed out), p50 {statistics.median(ordered) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--web-workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("请设置 DATABASE_URL=postgres://…（本脚本只在 PostgreSQL 上测量）", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from huiqi.accounts.models import Role, User
    from huiqi.enterprises.importing import import_enterprises
    from huiqi.enterprises.models import Enterprise

    call_command("migrate", interactive=False, verbosity=0)
    Enterprise.objects.filter(name__startswith="晋江压测").delete()  # every run imports new rows
    officer, _ = User.objects.get_or_create(username="bench_officer", defaults={"role": Role.OFFICER, "region": "350500"})
    users = [f"bench_login_{n:02d}" for n in range(args.users)]
    for username in users:
        user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.SUPERVISOR, "region": "350000"})
        user.set_password(PASSWORD)
        user.save()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                            "--workers", str(args.web_workers), "--threads", "4", "--timeout", "300"],
                           cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                if requests.get(url + "/accounts/login/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        _logins(url, users, None, 1)  # warm every worker
        _report(f"{args.users} concurrent logins, nothing else running", _logins(url, users, None, 3))

        data = _csv(args.rows, seed=int(time.time()))
        finished = threading.Event()
        outcome: dict[str, object] = {}

        def run_import() -> None:
            started = time.perf_counter()
            report = import_enterprises(actor=officer, filename="压测.csv", data=data, source="市场监管",
                                        as_of=date(2026, 3, 31))
            outcome["seconds"], outcome["ok"], outcome["created"] = time.perf_counter() - started, report.ok, report.created
            finished.set()

        importer = threading.Thread(target=run_import)
        importer.start()
        during = _logins(url, users, finished, 0)
        importer.join()
        _report(f"{args.users} concurrent logins during the {args.rows:,}-row import", during)
        print(f"import: {outcome['created']} enterprises created in {outcome['seconds']:.1f} s (ok={outcome['ok']})")
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
