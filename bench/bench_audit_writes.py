"""Audited writes per second with N concurrent writers on PostgreSQL: the old write path (every
audited transaction locks the single chain-head row until it commits) against the new one
(plain INSERT; a sealer chains committed rows afterwards), then the sealer's own speed.

Each writer runs M transactions; each transaction records one audit event and then does
`--work-ms` of further work inside the same transaction (as a service or an import does after
its audit_record), which is how long the old lock was held. "locked" re-creates the old lock
(SELECT ... FOR UPDATE on the head, UPDATE at the end) in front of today's audit_record.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/trust HUIQI_AUDIT_KEY=bench \\
        .venv/bin/python bench/bench_audit_writes.py --writers 8 --writes 100 --work-ms 5
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=100, help="transactions per writer")
    parser.add_argument("--work-ms", type=float, default=5.0, help="work after audit_record, inside the transaction")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from huiqi.audit.models import AuditChainHead, AuditEvent
    from huiqi.audit.services import audit_record, audit_seal

    call_command("migrate", verbosity=0)
    AuditChainHead.objects.get_or_create(id=1)

    def write(mode: str, n: int) -> None:
        for i in range(args.writes):
            with transaction.atomic():
                if mode == "locked":
                    head = AuditChainHead.objects.select_for_update().get(id=1)
                audit_record(actor=None, action="bench.write", object_id=f"{n}-{i}", detail="压测")
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(%s)", [args.work_ms / 1000])
                if mode == "locked":
                    AuditChainHead.objects.filter(id=1).update(last_seq=head.last_seq)
        connections.close_all()

    total = args.writers * args.writes
    print(f"{args.writers} 个并发写入者 × {args.writes} 次审计写入，每个事务在记录后另有 {args.work_ms} ms 工作")
    for mode, label in (("locked", "改前（链头行锁）"), ("unlocked", "改后（无锁追加）")):
        threads = [threading.Thread(target=write, args=(mode, n)) for n in range(args.writers)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        print(f"{label}: {total} 次 / {elapsed:.2f} s = {total / elapsed:,.0f} 次审计写入/秒")
    pending = AuditEvent.objects.filter(seal__isnull=True).count()
    started = time.perf_counter()
    sealed = audit_seal()
    elapsed = time.perf_counter() - started
    print(f"封存：{sealed} 条（待封存 {pending}）/ {elapsed:.2f} s = {sealed / max(elapsed, 1e-9):,.0f} 条/秒")


if __name__ == "__main__":
    main()
