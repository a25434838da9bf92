"""Load test of 一键匹配 (`GET /api/quick-match`) against the production server (gunicorn).

1. Loads N enterprises and M published items (the synthetic Fujian-like data of
   bench_matching.py) into a separate SQLite file (never var/huiqi.sqlite3); reused when it
   already holds that many rows.
2. Starts gunicorn on 127.0.0.1 with that database and warms every worker (the first compiles the
   published items into this host's index file under var/public-index, the others load it).
3. Drives the API with C concurrent clients (wrk, or with --client threads a Python thread pool
   opening a new connection per request, as gunicorn's sync workers close them) for a bounded
   time, querying random enterprises by exact 信用代码 (80%) or exact name (20%), and prints p50/p95/p99, throughput and the server's CPU
   milliseconds per request (the fair figure when other people share the CPUs) beside the load
   generator's own (it shares those CPUs).
   Set HUIQI_CACHE_URL=redis://…/N to count the rate limit in Redis as several hosts would.

    .venv/bin/python bench/bench_quick_match.py                       # 100,000 × 20,000, 20 clients, 30 s, wrk
    .venv/bin/python bench/bench_quick_match.py --enterprises 20000 --items 5000 --duration 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TITLE_WORDS = ["研发费用", "高新技术企业", "技术改造", "专精特新", "稳岗就业", "外贸出口", "数字经济", "绿色制造",
               "人才引进", "首台套", "上规模", "知识产权", "品牌建设", "物流降本", "科技创新"]
TITLE_KINDS = ["补助", "奖励", "贴息", "扶持", "专项资金"]
NAME_WORDS = ["星河", "闽南", "海丝", "宏达", "鑫源", "华泰", "安盛", "嘉禾", "恒信", "晨光", "金鹰", "瑞丰"]
NAME_TRADES = ["电子科技", "纺织服装", "食品", "机械制造", "鞋业", "建材", "物流", "软件", "石化", "陶瓷"]


def _bench_secrets() -> dict[str, str]:
    """A DATABASE_URL makes this "production", which refuses to start without its secrets: the
    bench's private SQLite file gets throwaway ones (the same in the loader and every worker)."""
    import base64
    import secrets

    return {"HUIQI_SECRET_KEY": os.environ.get("HUIQI_SECRET_KEY") or secrets.token_urlsafe(50),
            "HUIQI_FIELD_KEY": os.environ.get("HUIQI_FIELD_KEY") or base64.urlsafe_b64encode(
                secrets.token_bytes(32)).decode(),
            "HUIQI_AUDIT_KEY": os.environ.get("HUIQI_AUDIT_KEY") or secrets.token_urlsafe(32)}


def _setup_django(db_path: Path) -> None:
    os.environ.update(_bench_secrets())
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.quick_match_settings"
    import django

    django.setup()


def load(db_path: Path, n_enterprises: int, n_items: int, seed: int) -> None:
    _setup_django(db_path)
    from django.core.management import call_command
    from django.utils import timezone

    from bench.bench_matching import items as synthetic_items
    from bench.bench_matching import profiles as synthetic_profiles
    from cnstd.regions import get_region
    from cnstd.uscc import uscc_check_char
    from huiqi.enterprises.models import (
        Enterprise,
        EnterpriseFlag,
        EnterpriseQualification,
        Qualification,
        YearFigure,
    )
    from huiqi.policies.models import PolicyDocument, PolicyItem
    from huiqi.policies.services import library_version_bump
    from rules.canonical import rules_version

    call_command("migrate", verbosity=0)
    if Enterprise.objects.count() >= n_enterprises and PolicyItem.objects.count() >= n_items:
        print(f"[data] reusing {db_path} ({Enterprise.objects.count():,} enterprises, "
              f"{PolicyItem.objects.count():,} items)", flush=True)
        return
    t0 = time.perf_counter()
    for model in (EnterpriseFlag, EnterpriseQualification, YearFigure, Enterprise, PolicyItem, PolicyDocument):
        model.objects.all().delete()
    rng = random.Random(seed)
    today = timezone.localdate()
    last_year = today.year - 1
    quals = {q.code: q.pk for q in Qualification.objects.all()}
    year_map = {"2024": last_year, "2023": last_year - 1}
    batch: list[Enterprise] = []
    side: list[tuple[int, dict[str, Any]]] = []

    def flush() -> None:
        Enterprise.objects.bulk_create(batch, batch_size=2000)
        ids = dict(Enterprise.objects.filter(uscc__in=[e.uscc for e in batch]).values_list("uscc", "pk"))
        figures: list[YearFigure] = []
        held: list[EnterpriseQualification] = []
        flags: list[EnterpriseFlag] = []
        for uscc_index, profile in side:
            pk = ids[batch[uscc_index].uscc]
            for year, values in profile.get("years", {}).items():
                for name in ("revenue", "rd_expense", "employees", "tax_paid"):
                    if name in values:
                        figures.append(YearFigure(enterprise_id=pk, year=year_map[year], field=name,
                                                  value_number=Decimal(str(values[name])), source="税务",
                                                  as_of=today))
            for q in profile.get("qualifications", []):
                held.append(EnterpriseQualification(
                    enterprise_id=pk, qualification_id=quals[q["code"]], source="科技局", as_of=today,
                    valid_from=date.fromisoformat(q["valid_from"]), valid_to=date.fromisoformat(q["valid_to"])))
            for flag, value in profile.get("flags", {}).items():
                flags.append(EnterpriseFlag(enterprise_id=pk, flag=flag, value=value, source="信用中国", as_of=today))
        YearFigure.objects.bulk_create(figures, batch_size=5000)
        EnterpriseQualification.objects.bulk_create(held, batch_size=5000)
        EnterpriseFlag.objects.bulk_create(flags, batch_size=5000)
        batch.clear()
        side.clear()

    region_names: dict[str, str] = {}
    for i, profile in enumerate(synthetic_profiles(n_enterprises, seed)):
        region = profile.get("region") or "350500"
        if region not in region_names:
            found = get_region(region)
            region_names[region] = found.name if found else "福建"
        body = f"91{region}{i:09d}"
        name = f"{region_names[region]}{rng.choice(NAME_WORDS)}{rng.choice(NAME_TRADES)}{i}号有限公司"
        batch.append(Enterprise(
            uscc=body + uscc_check_char(body), name=name, region=region, industry=profile["industry"],
            established_on=date.fromisoformat(profile["established_on"]),
            registered_capital=Decimal(profile["registered_capital"]), ownership=profile["ownership"], listed="none",
            qualifications_source="科技局" if "qualifications" in profile else "",
            qualifications_as_of=today if "qualifications" in profile else None))
        side.append((len(batch) - 1, profile))
        if len(batch) >= 5000:
            flush()
    flush()
    print(f"[data] {n_enterprises:,} enterprises loaded in {time.perf_counter() - t0:.1f} s", flush=True)

    t1 = time.perf_counter()
    documents: dict[str, PolicyDocument] = {}
    rows: list[PolicyItem] = []
    now = timezone.now()
    modes = ["免申即享", "即申即享", "申报审核"]
    for raw in synthetic_items(n_items, seed + 1):
        region = raw["region"]
        if region not in documents:
            documents[region] = PolicyDocument.objects.create(
                title=f"{region}促进高质量发展若干措施", issuer="人民政府", level="city", region=region,
                doc_number=f"闽政〔2026〕{len(documents) + 1}号")
        title = f"{rng.choice(TITLE_WORDS)}{rng.choice(TITLE_KINDS)}（{raw['id']}）"
        rows.append(PolicyItem(
            document=documents[region], code=raw["id"], title=title, summary=title, clause_path="第三条",
            clause_text=f"{title}：符合条件的企业按规定给予支持。", region=region, conditions=raw["conditions"],
            reward=raw["reward"], rules_version=rules_version(raw["conditions"], raw["reward"]),
            mode=rng.choice(modes), exclusive_group=raw.get("exclusive_group") or "",
            window_end=today + timedelta(days=rng.randint(1, 200)), status=PolicyItem.Status.PUBLISHED,
            published_at=now))
    PolicyItem.objects.bulk_create(rows, batch_size=2000)
    library_version_bump()  # bulk_create sends no post_save: tell every host's index cache
    print(f"[data] {n_items:,} published items loaded in {time.perf_counter() - t1:.1f} s", flush=True)


def sample_queries(db_path: Path, k: int, seed: int) -> list[str]:
    import sqlite3

    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT uscc, name FROM enterprises_enterprise").fetchall()
    con.close()
    rng = random.Random(seed)
    picks = rng.sample(rows, min(k, len(rows)))
    return [uscc if rng.random() < 0.8 else name for uscc, name in picks]


def request(port: int, q: str) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/api/quick-match?q=" + urllib.parse.quote(q))
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return time.perf_counter() - t0, response.status, len(body)


def drive(port: int, queries: list[str], clients: int, duration: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + duration

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < stop:
            elapsed, status, size = request(port, rng.choice(queries))
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                sizes.append(size)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for n in range(clients):
            pool.submit(client, n)
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"requests": len(latencies), "wall_s": round(wall, 1), "throughput_rps": round(len(latencies) / wall, 1),
            "p50_ms": round(pct(0.50), 1), "p95_ms": round(pct(0.95), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(latencies[-1] * 1000, 1), "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "statuses": statuses, "mean_body_bytes": int(statistics.fmean(sizes))}


WRK_SCRIPT = """
local paths = {%s}
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "wall_s": %%.1f, "throughput_rps": %%.1f, "p50_ms": %%.1f, '
    .. '"p95_ms": %%.1f, "p99_ms": %%.1f, "max_ms": %%.1f, "mean_ms": %%.1f, "errors": %%d, "non_2xx": %%d}\\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def drive_wrk(port: int, queries: list[str], clients: int, duration: float, seed: int) -> dict[str, Any]:
    """wrk (apt install wrk): a C load generator, so the client costs the shared CPUs little."""
    import shutil
    import tempfile

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk 未安装：apt-get install wrk，或使用 --client threads")
    paths = ",".join(json.dumps("/api/quick-match?q=" + urllib.parse.quote(q)) for q in queries)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (paths, seed))
    out = subprocess.run([wrk, "-t", "2", "-c", str(clients), "-d", f"{int(duration)}s", "--timeout", "10s",
                          "-s", script.name, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    os.unlink(script.name)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    result["statuses"] = {200: result["requests"] - result["non_2xx"]} | (
        {"non-2xx": result["non_2xx"]} if result["non_2xx"] else {})
    return result


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of one process group (the
    gunicorn master and its workers): CPU per request is the fair figure on a shared machine,
    where wall-clock latency mostly measures the other people's load."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state ppid pgrp …; utime stime at 11, 12
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def client_cpu_seconds(client: str) -> float:
    """CPU seconds of the load generator so far: wrk is a child process this one waits for
    (counted once it has ended), the thread pool runs in this process."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN if client == "wrk" else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench" / "quick_match.sqlite3")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--client", choices=["wrk", "threads"], default="wrk",
                        help="load generator: wrk (C, lighter on the shared CPUs) or a Python thread pool")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update(_bench_secrets())  # the loader and the server share one set

    loader = subprocess.run([sys.executable, __file__, "--load-only", str(args.db), str(args.enterprises),
                             str(args.items), str(args.seed)], cwd=ROOT)
    if loader.returncode:
        return loader.returncode
    queries = sample_queries(args.db, 5000, args.seed)
    if args.port == 0:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    print(f"[server] gunicorn on 127.0.0.1:{args.port}", flush=True)
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{args.db}", DJANGO_SETTINGS_MODULE="bench.quick_match_settings",
               PYTHONPATH=str(ROOT), HUIQI_LOG_LEVEL="WARNING")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(120):
            if server.poll() is not None:
                raise SystemExit("gunicorn 未能启动")
            try:
                request(args.port, "x")
                break
            except OSError:
                time.sleep(0.5)
        t0 = time.perf_counter()
        # Warm every worker: the first compiles the published items (or finds this host's compiled
        # file of the current library version), the others load that file.
        while True:
            warm = drive(args.port, queries, args.workers * 2, 3.0)
            if warm["p95_ms"] < 1000 or time.perf_counter() - t0 > 300:
                break
        print(f"[warm] workers ready after {time.perf_counter() - t0:.1f} s", flush=True)
        single = drive(args.port, queries, 1, 5.0)
        print(f"[1 client ] {json.dumps(single, ensure_ascii=False)}", flush=True)
        cpu_before = group_cpu_seconds(server.pid)
        client_before = client_cpu_seconds(args.client)
        if args.client == "wrk":
            result = drive_wrk(args.port, queries, args.clients, args.duration, args.seed)
        else:
            result = drive(args.port, queries, args.clients, args.duration)
        result["server_cpu_ms_per_request"] = round(
            (group_cpu_seconds(server.pid) - cpu_before) * 1000 / max(result["requests"], 1), 2)
        # The load generator runs on the same CPUs: what it takes is not the server's to use.
        result["client_cpu_ms_per_request"] = round(
            (client_cpu_seconds(args.client) - client_before) * 1000 / max(result["requests"], 1), 2)
        print(f"[{args.clients} clients] {json.dumps(result, ensure_ascii=False)}", flush=True)
        verdict = "PASS" if result["p95_ms"] < 100 and set(result["statuses"]) == {200} else "FAIL"
        print(f"[load] {os.getloadavg()[0]:.1f} 1-minute load average on {os.cpu_count()} CPUs", flush=True)
        print(f"[result] {args.enterprises:,} enterprises × {args.items:,} published items, {args.workers} gunicorn "
              f"workers, {args.clients} clients: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
              f"{result['throughput_rps']} req/s, {result['server_cpu_ms_per_request']} ms server CPU per request "
              f"({result['client_cpu_ms_per_request']} ms in the load generator) — target p95 < 100 ms: {verdict}", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load-only":
        load(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        sys.exit(0)
    sys.exit(main())
