"""Time the officer's upload path for a ~100-page document: read, segment, draft every clause
and store the drafts (SQLite in a temporary folder). Prints numbers; asserts nothing.

    .venv/bin/python bench/bench_ingest_upload.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["HUIQI_VAR_DIR"] = tempfile.mkdtemp(prefix="huiqi-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from huiqi.accounts.models import Department, User
    from huiqi.ingest.models import DraftItem
    from huiqi.ingest.services import batch_upload
    from huiqi.ingest.tests.test_performance import hundred_pages

    department = Department.objects.create(name="三明市工业和信息化局", region="350400")
    officer = User.objects.create(username="bench", role="officer", region="350400", department=department)
    text = hundred_pages()
    started = time.perf_counter()
    batch_upload(actor=officer, filename="warm-up.txt", data="第一条 对企业给予一次性奖励5万元。".encode())
    print(f"first upload in a fresh process (loads the jieba dictionary): {time.perf_counter() - started:.2f} s")
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        batch = batch_upload(actor=officer, filename=f"hundred-pages-{run}.txt", data=text.encode("utf-8"))
        elapsed = time.perf_counter() - started
        drafts = DraftItem.objects.filter(batch=batch).count()
        print(f"run {run}: {len(text):,} characters, {drafts} drafts stored in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
