"""Latency of 问政策 (`GET /ask/?q=…`, the whole page) on a library of 20,000 published items.

1. Grows the library of the database in DATABASE_URL (it must hold the published demo library,
   e.g. after `huiqi demo`; use a database of your own, never production) to N published items by
   replicating the demo items with perturbations: another region, a numbered title, term
   frequencies shifted by ±1. The clones' search postings are copied from their template's (the
   index the publication hook would have written for the same text) instead of re-segmenting
   20,000 texts. Clones are coded `bench-…` and reused on the next run.
2. Asks every question of tests/fixtures/ask_questions.jsonl through Django's test client (one
   warm-up pass, then --passes timed passes) and prints p50/p95/max and the machine's load.

    .venv/bin/python bench/bench_ask.py [--items 20000] [--passes 2]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def grow(n_items: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from huiqi.policies.models import PolicyItem, SearchDoc, SearchPosting

    published = PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED)
    have = published.count()
    if have >= n_items:
        print(f"[data] reusing {have:,} published items", flush=True)
        return
    templates = list(published.exclude(code__startswith="bench-").select_related("search_doc"))
    postings: dict[int, list[tuple[str, int]]] = {}
    for doc_id, term, tf in SearchPosting.objects.filter(doc_id__in=[t.pk for t in templates]).values_list(
            "doc_id", "term", "tf"):
        postings.setdefault(doc_id, []).append((term, tf))
    regions = sorted({t.region for t in templates} | {"350521", "350524", "350525", "350581", "350583",
                                                       "350121", "350122", "350211", "350212", "350305"})
    rng = random.Random(seed)
    start = PolicyItem.objects.filter(code__startswith="bench-").count()
    t0 = time.perf_counter()
    now = timezone.now()
    for chunk_start in range(start, n_items - have + start, 1000):
        chunk = range(chunk_start, min(chunk_start + 1000, n_items - have + start))
        with transaction.atomic():
            clones = []
            for n in chunk:
                t = rng.choice(templates)
                clones.append((t, PolicyItem(
                    document_id=t.document_id, code=f"bench-{n}", title=f"{t.title}（第{n}号）", summary=t.summary,
                    clause_path=t.clause_path, clause_text=t.clause_text, region=rng.choice(regions),
                    department_id=t.department_id, target=t.target, conditions=t.conditions, reward=t.reward,
                    rules_version=t.rules_version, mode=t.mode, support_type=t.support_type, tags=t.tags,
                    window_start=t.window_start, window_end=t.window_end, valid_from=t.valid_from,
                    valid_to=t.valid_to, per_enterprise_cap=t.per_enterprise_cap, status=PolicyItem.Status.PUBLISHED,
                    published_at=now)))
            PolicyItem.objects.bulk_create([c for _t, c in clones])
            ids = dict(PolicyItem.objects.filter(code__in=[c.code for _t, c in clones]).values_list("code", "pk"))
            docs, rows = [], []
            for t, c in clones:
                pk = ids[c.code]
                terms = [(term, max(1, tf + rng.choice((-1, 0, 0, 1)))) for term, tf in postings.get(t.pk, [])]
                docs.append(SearchDoc(item_id=pk, length=sum(tf for _x, tf in terms),
                                      amount_max=t.search_doc.amount_max if hasattr(t, "search_doc") else None))
                rows.extend(SearchPosting(doc_id=pk, term=term, tf=tf) for term, tf in terms)
            SearchDoc.objects.bulk_create(docs)
            SearchPosting.objects.bulk_create(rows, batch_size=5000)
        print(f"[data] {chunk.stop:,} clones ({time.perf_counter() - t0:.0f} s)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("set DATABASE_URL to a database of your own that holds the demo library", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from huiqi.ask import retrieval
    from huiqi.policies.models import SearchDoc
    from tools.score_ask import load

    settings.HUIQI_RATE_LIMITS = {"ask": (10**9, 60)}
    settings.ALLOWED_HOSTS = ["*"]
    grow(args.items, args.seed)
    questions = [r["question"] for r in load()]
    client = Client()
    t0 = time.perf_counter()
    retrieval.clause_index()
    print(f"[index] {SearchDoc.objects.count():,} indexed items; per-process index opened in "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms", flush=True)
    t0 = time.perf_counter()
    for q in questions:  # warm-up: postings of each term are read once per process
        client.get("/ask/", {"q": q})
    print(f"[warm-up] {len(questions)} questions in {time.perf_counter() - t0:.1f} s", flush=True)
    times = []
    for _ in range(args.passes):
        for q in questions:
            t = time.perf_counter()
            response = client.get("/ask/", {"q": q})
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (q, response.status_code)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"/ask/ over {len(times)} requests: p50 {statistics.median(times):.0f} ms  p95 {p95:.0f} ms  "
          f"max {times[-1]:.0f} ms")
    print("load:", open("/proc/loadavg").read().strip() if Path("/proc/loadavg").exists() else "?")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
