"""Benchmark of the matching engine on realistic synthetic data (not a test).

Scenarios (targets from the "Rules engine" issue):
  a  1,000,000 enterprises × 10,000 items, full batch             target < 120 s
  b  one enterprise × 50,000 items, p50/p95 over 1,000 runs        target p95 < 50 ms
  c  one item × 1,000,000 enterprises (an officer edits an item)   target < 2 s

Data: Fujian-like regions (the real 9 prefectures and their counties from cnstd), enterprises
spread unevenly over counties, industries from a realistic section mix, figures drawn log-normal
with 10–30% missing; items scoped 5% province / 35% prefecture / 60% county, conditions drawn from
a pool of usual thresholds (so atoms repeat across items), every reward kind.

  e  huiqi match-batch end to end on files (issue 14): for 100,000 × 1,000 and 1,000,000 × 10,000,
     load / compute / write / end to end / peak memory, writing Parquet, plus the Spark local run
     (100,000 × 1,000 on local[2]); target < 3 s end to end for 100,000 × 1,000

    .venv/bin/python bench/bench_matching.py --scenario all
    .venv/bin/python bench/bench_matching.py --scenario c --enterprises 200000
    .venv/bin/python bench/bench_matching.py --scenario e --data /tmp/huiqi-bench --jobs 2
    .venv/bin/python bench/bench_matching.py --scenario e --sizes 100000x200 --no-spark  # compute pairs/s

The machine may be shared: every figure gives wall and CPU seconds and the load average.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules.batch import AtomCache, ItemIndex, ProfileFrame, match_batch_chunks, match_enterprise, match_item
from rules.evaluate import compile_item

ON = date(2025, 6, 30)

# Section mix of registered enterprises (roughly: wholesale/retail and business services dominate
# by count, manufacturing by figures).
SECTION_WEIGHTS = {"C": 0.22, "F": 0.28, "L": 0.12, "M": 0.08, "I": 0.07, "E": 0.05, "G": 0.05, "H": 0.04,
                   "A": 0.03, "K": 0.02, "O": 0.02, "R": 0.02}


def fujian() -> tuple[list[str], list[str], np.ndarray]:
    """Counties, prefectures, and a skewed share of enterprises per county."""
    from cnstd.regions import children

    prefectures = [r.code for r in children("350000") if r.code.endswith("00")]
    counties: list[str] = []
    for p in prefectures:
        counties.extend(c.code for c in children(p))
    rng = np.random.default_rng(7)
    share = rng.dirichlet(np.full(len(counties), 0.8))
    return counties, prefectures, share


def industry_pool() -> tuple[list[str], np.ndarray]:
    from cnstd.industries import minors, section_of

    by_section: dict[str, list[str]] = {}
    for ind in minors():
        s = section_of(ind.code)
        if s is not None:
            by_section.setdefault(s, []).append(ind.code)
    codes: list[str] = []
    weights: list[float] = []
    for s, w in SECTION_WEIGHTS.items():
        pool = by_section.get(s, [])
        for c in pool:
            codes.append(c)
            weights.append(w / len(pool))
    p = np.asarray(weights)
    return codes, p / p.sum()


def profiles(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Synthetic enterprise profiles, generated lazily (1M dicts would not fit comfortably)."""
    rng = np.random.default_rng(seed)
    counties, _, share = fujian()
    inds, ind_p = industry_pool()
    block = 50_000
    for start in range(0, n, block):
        m = min(block, n - start)
        county = rng.choice(len(counties), size=m, p=share)
        ind = rng.choice(len(inds), size=m, p=ind_p)
        est_days = rng.integers(date(1995, 1, 1).toordinal(), date(2025, 1, 1).toordinal(), size=m)
        rev23 = np.round(rng.lognormal(15.4, 1.6, size=m))
        growth = rng.normal(0.08, 0.25, size=m)
        rev24 = np.maximum(np.round(rev23 * (1 + growth)), 0)
        emp = np.maximum(np.round(rng.lognormal(2.8, 1.2, size=m)), 1)
        rd_share = np.where(rng.random(m) < 0.35, rng.uniform(0.005, 0.09, size=m), 0.0)
        u = rng.random((m, 12))
        qual_draw = rng.random((m, 4))
        for j in range(m):
            i = start + j
            y24: dict[str, Any] = {"revenue": int(rev24[j]), "employees": int(emp[j] * 1.05),
                                   "rd_expense": int(rev24[j] * rd_share[j]),
                                   "tax_paid": int(rev24[j] * 0.03), "total_assets": int(rev24[j] * 1.3)}
            y23: dict[str, Any] = {"revenue": int(rev23[j]), "employees": int(emp[j])}
            if u[j, 0] < 0.15:
                del y24["revenue"]
            if u[j, 1] < 0.25:
                del y24["rd_expense"]
            if u[j, 2] < 0.10:
                del y24["employees"]
            if u[j, 3] < 0.2:
                del y23["revenue"]
            if u[j, 4] < 0.05:
                y24["tax_paid"] = f"{y24['tax_paid']}.35"
            y24["tax_credit_rating"] = "ABMCD"[int(u[j, 5] * 5)]
            p: dict[str, Any] = {
                "uscc": f"9135{i:014d}",
                "industry": inds[ind[j]],
                "established_on": date.fromordinal(int(est_days[j])).isoformat(),
                "registered_capital": int(rev23[j] // 3),
                "ownership": "private" if u[j, 6] < 0.85 else "state",
                "years": {"2023": y23, "2024": y24},
            }
            if u[j, 7] > 0.01:
                p["region"] = counties[county[j]]
            if u[j, 8] < 0.7:
                quals = []
                if qual_draw[j, 0] < 0.08:
                    quals.append({"code": "hnte", "valid_from": "2023-12-01", "valid_to": "2026-11-30"})
                if qual_draw[j, 1] < 0.15:
                    quals.append({"code": "tsme", "valid_from": "2025-01-01", "valid_to": "2025-12-31"})
                if qual_draw[j, 2] < 0.03:
                    quals.append({"code": "srdi", "valid_from": "2022-01-01", "valid_to": "2024-12-31"})
                if qual_draw[j, 3] < 0.01:
                    quals.append({"code": "little_giant", "valid_from": "2023-07-01", "valid_to": "2026-06-30"})
                p["qualifications"] = quals
            if u[j, 9] < 0.8:
                p["flags"] = {"dishonest": bool(u[j, 10] < 0.02), "abnormal_operation": bool(u[j, 11] < 0.05)}
            yield p


def _atom_pool() -> list[dict[str, Any]]:
    pool: list[dict[str, Any]] = []
    for v in (5e6, 1e7, 2e7, 3e7, 5e7, 1e8, 2e8, 5e8):
        pool.append({"field": "revenue", "op": ">=", "value": v})
    for v in (10, 20, 50, 100, 300):
        pool.append({"field": "employees", "op": ">=", "value": v})
    for v in (0.03, 0.04, 0.05):
        pool.append({"field": "rd_ratio", "op": ">=", "value": v})
    for v in (0.1, 0.15, 0.2):
        pool.append({"field": "revenue_growth", "op": ">=", "value": v})
    for v in (1, 2, 3, 5):
        pool.append({"field": "established_years", "op": ">=", "value": v})
    for code in ("hnte", "tsme", "srdi", "little_giant"):
        pool.append({"field": "qualifications", "op": "has", "value": code})
    for code in ("C", "39", "35", "34", "I", "65", "M", "F", "51", "E"):
        pool.append({"field": "industry", "op": "within", "value": code})
    pool += [
        {"field": "flags", "op": "not_has", "value": "dishonest"},
        {"field": "flags", "op": "not_has", "value": "abnormal_operation"},
        {"field": "scale", "op": "in", "value": ["small", "micro"]},
        {"field": "scale", "op": "in", "value": ["medium", "small", "micro"]},
        {"field": "tax_credit_rating", "op": "in", "value": ["A", "B"]},
        {"field": "tax_paid", "op": ">=", "value": 1000000},
        {"field": "rd_expense", "op": ">=", "value": 1000000},
        {"field": "revenue", "op": "known"},
        {"field": "ownership", "op": "==", "value": "private"},
    ]
    return pool


def items(n: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    counties, prefectures, share = fujian()
    pool = _atom_pool()
    general = [a for a in pool if a["field"] not in ("flags",)]
    out: list[dict[str, Any]] = []
    for i in range(n):
        r = rng.random()
        region = "350000" if r < 0.05 else prefectures[rng.integers(len(prefectures))] if r < 0.40 else \
            counties[rng.choice(len(counties), p=share)]
        parts: list[dict[str, Any]] = [pool[-1 - 35] if False else {"field": "flags", "op": "not_has", "value": "dishonest"}] \
            if rng.random() < 0.6 else []
        for k in rng.choice(len(general), size=int(rng.integers(1, 4)), replace=False):
            parts.append(general[int(k)])
        if rng.random() < 0.15:
            parts.append({"check": "符合我市主导产业发展方向"})
        if rng.random() < 0.05:
            parts.append({"field": "input.equipment_investment", "op": ">=", "value": 3000000})
        if rng.random() < 0.2:
            a, b = rng.choice(len(general), size=2, replace=False)
            parts.append({"any": [general[int(a)], general[int(b)]]})
        cond: dict[str, Any] = {"all": parts}
        kind = rng.random()
        base_field = ["rd_expense", "revenue", "tax_paid", "employees"][int(rng.integers(4))]
        if kind < 0.30:
            reward: dict[str, Any] = {"fixed": int(rng.choice([50000, 100000, 200000, 500000, 1000000]))}
        elif kind < 0.45:
            reward = {"up_to": int(rng.choice([200000, 500000, 1000000]))}
        elif kind < 0.65:
            reward = {"rate": float(rng.choice([0.05, 0.1, 0.2, 0.3])), "base": {"field": base_field},
                      "cap": int(rng.choice([300000, 1000000, 5000000]))}
        elif kind < 0.75:
            reward = {"per_unit": 2000, "base": {"field": "employees"}, "cap": 500000}
        elif kind < 0.90:
            reward = {"tiers": [
                {"when": {"field": "revenue", "op": ">=", "value": 1e8}, "then": {"fixed": 1000000}},
                {"when": {"field": "revenue", "op": ">=", "value": 5e7}, "then": {"fixed": 500000}},
                {"when": {"field": "revenue", "op": ">=", "value": 2e7}, "then": {"fixed": 200000}},
            ]}
        elif kind < 0.95:
            reward = {"max": [{"fixed": 100000}, {"rate": 0.02, "base": {"field": "rd_expense"}}]}
        else:
            reward = {"none": "优先安排用地指标"}
        item: dict[str, Any] = {"id": f"item-{i:05d}", "region": region, "conditions": cond, "reward": reward}
        if rng.random() < 0.1:
            item["exclusive_group"] = f"g{int(rng.integers(200))}"
        out.append(item)
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_frame(n: int, seed: int) -> ProfileFrame:
    t0 = time.perf_counter()
    frame = ProfileFrame.from_profiles(profiles(n, seed), on=ON)
    print(f"[data] {n:,} enterprises generated + loaded into ProfileFrame in {time.perf_counter() - t0:.1f} s "
          f"(peak RSS {rss_mb():,.0f} MB)", flush=True)
    return frame


def scenario_a(frame: ProfileFrame, n_items: int, seed: int) -> None:
    its = items(n_items, seed + 1)
    t0 = time.perf_counter()
    compiled = [compile_item(i) for i in its]
    t_compile = time.perf_counter() - t0
    cache = AtomCache(frame)
    pairs = eligible = visited = 0
    t0 = time.perf_counter()
    for chunk in match_batch_chunks(compiled, frame, cache=cache):
        pairs += len(chunk)
        eligible += int(chunk.eligible.sum())
    wall = time.perf_counter() - t0
    for ci in compiled:
        from rules.batch import _region_segments

        visited += sum(s.stop - s.start for s in _region_segments(ci, frame, cache.segments))
    nominal = frame.n * len(compiled)
    print(f"[a] {frame.n:,} enterprises × {len(compiled):,} items: {wall:.1f} s "
          f"(+ compile {t_compile:.1f} s); {nominal / wall:,.0f} nominal pairs/s, "
          f"{visited / wall:,.0f} in-scope pairs/s ({visited:,} in scope); "
          f"{pairs:,} matched pairs ({eligible:,} eligible); atom cache {cache.misses:,} computed / "
          f"{cache.hits:,} reused; peak RSS {rss_mb():,.0f} MB; target < 120 s", flush=True)


def scenario_b(n_items: int, runs: int, seed: int) -> None:
    its = items(n_items, seed + 2)
    t0 = time.perf_counter()
    index = ItemIndex(its)
    t_index = time.perf_counter() - t0
    profs = list(profiles(runs, seed + 3))
    times = []
    cpu = []
    matched = 0
    for p in profs:
        t0 = time.perf_counter()
        c0 = time.process_time()
        rows = match_enterprise(p, index, on=ON)
        cpu.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
        matched += len(rows)
    a = np.asarray(times) * 1000
    c = np.asarray(cpu) * 1000
    # CPU time too: the machine may be shared, and wall time then includes waiting for a core.
    print(f"[b] one enterprise × {n_items:,} items, {runs:,} runs: wall p50 {np.percentile(a, 50):.1f} ms, "
          f"p95 {np.percentile(a, 95):.1f} ms, max {a.max():.1f} ms (CPU p50 {np.percentile(c, 50):.1f} ms, "
          f"p95 {np.percentile(c, 95):.1f} ms); {matched / runs:.0f} matches/enterprise; "
          f"index built once in {t_index:.1f} s; peak RSS {rss_mb():,.0f} MB; target p95 < 50 ms", flush=True)


def scenario_c(frame: ProfileFrame, seed: int) -> None:
    item: dict[str, Any] = {"id": "edited", "region": "350000", "conditions": {"all": [
        {"field": "flags", "op": "not_has", "value": "dishonest"},
        {"field": "industry", "op": "within", "value": "C"},
        {"field": "revenue", "op": ">=", "value": 20000000},
        {"any": [{"field": "rd_ratio", "op": ">=", "value": 0.03}, {"field": "qualifications", "op": "has", "value": "hnte"}]},
        {"field": "established_years", "op": ">=", "value": 2},
    ]}, "reward": {"tiers": [
        {"when": {"field": "revenue", "op": ">=", "value": 1e8}, "then": {"rate": 0.05, "base": {"field": "rd_expense"}, "cap": 2000000}},
        {"when": {"always": True}, "then": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 500000}},
    ]}}
    for label, it in (("province item, industry C", item),
                      ("province item, no industry scope",
                       {**item, "conditions": {"all": [a for a in item["conditions"]["all"] if a.get("field") != "industry"]}})):
        t0 = time.perf_counter()
        df = match_item(it, frame, cache=AtomCache(frame))  # cold cache: nothing precomputed
        wall = time.perf_counter() - t0
        print(f"[c] one item ({label}) × {frame.n:,} enterprises: {wall:.2f} s, {df.height:,} rows, "
              f"{frame.n / wall:,.0f} pairs/s; peak RSS {rss_mb():,.0f} MB; target < 2 s", flush=True)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(t: tuple[float, float]) -> tuple[float, float]:
    w, c = _clock()
    return w - t[0], c - t[1]


def _load() -> str:
    import os

    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def write_inputs(folder: Path, n: int, n_items: int, seed: int) -> tuple[Path, Path]:
    """JSON-lines inputs of the sizes asked for, generated once and kept in ``folder``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    ent = folder / f"enterprises-{n}.jsonl"
    pol = folder / f"policies-{n_items}.jsonl"
    if not ent.exists():
        tmp = ent.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for i, p in enumerate(profiles(n, seed)):
                p["name"] = f"福建省某某科技有限公司{i}"
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        tmp.replace(ent)
    if not pol.exists():
        pol.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items(n_items, seed + 1)),
                       encoding="utf-8")
    return ent, pol


def _run_cli(args: list[str]) -> tuple[float, float, str]:
    """``huiqi match-batch`` in a child process: wall seconds, the peak RSS (MB) of the command's
    main process, CPU seconds (with its --jobs workers) and its message."""
    import subprocess

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # The child reports its own high-water mark (VmHWM, which starts afresh at exec): ru_maxrss
    # would carry over this process's own peak through fork and exec.
    cmd = [sys.executable, "-c", "import sys; from rules.cli import match_batch_main; "
           "rc = match_batch_main(sys.argv[1:], own_process=True); "
           "peak = next(x.split()[1] for x in open('/proc/self/status') if x.startswith('VmHWM')); "
           "print(f'peak-kb {peak}', file=sys.stderr); sys.exit(rc)", *args]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    if res.returncode != 0:
        raise SystemExit(f"match-batch failed: {res.stderr[-2000:]}")
    lines = res.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1]) / 1024
    msg = lines[-2] if len(lines) > 1 else ""
    return wall, peak, f"{cpu:.2f} s CPU (all processes); {msg}"


def scenario_e(folder: Path, sizes: list[tuple[int, int]], seed: int, jobs: int, spark: bool) -> None:
    from rules.cli import load_policies, without_pandas
    from rules.results_io import ResultWriter

    without_pandas()  # as `huiqi match-batch` does in its own process (Spark runs in a child below)

    for n, m in sizes:
        t = _clock()
        ent, pol = write_inputs(folder, n, m, seed)
        w, _ = _since(t)
        print(f"[e] {n:,} × {m:,}: inputs {ent.stat().st_size / 1e6:,.0f} MB JSON lines (ready in {w:.1f} s); "
              f"{_load()}", flush=True)
        compiled = load_policies(pol)
        t = _clock()
        frame = ProfileFrame.from_jsonl(ent, on=ON, strict=True)
        lw, lc = _since(t)
        print(f"[e]   load: {lw:.2f} s wall, {lc:.2f} s CPU ({n / lw:,.0f} profiles/s); peak RSS {rss_mb():,.0f} MB; "
              f"{_load()}", flush=True)
        big = n * m > 10**9  # one compute run only: each takes a minute or more
        walls: list[float] = []
        for rep in range(1 if big else 5):  # small runs vary with the machine: five, and their median
            t = _clock()
            rows = 0
            for chunk in match_batch_chunks(compiled, frame):
                rows += len(chunk)
            cw, cc = _since(t)
            print(f"[e]   compute (statuses + amounts, run {rep + 1}): {cw:.2f} s wall, {cc:.2f} s CPU; "
                  f"{n * m / cw / 1e6:,.0f} M pairs/s wall, {n * m / cc / 1e6:,.0f} M pairs/s CPU; {rows:,} rows; "
                  f"{_load()}", flush=True)
            walls.append(cw)
        if len(walls) > 1:
            median = statistics.median(walls)
            print(f"[e]   compute median of {len(walls)} runs: {median:.2f} s wall = {n * m / median / 1e6:,.0f} M pairs/s",
                  flush=True)
        if jobs > 1:
            from rules.parallel import match_batch_chunks_parallel

            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = _clock()
            rows = sum(len(c) for c in match_batch_chunks_parallel(compiled, frame, jobs=jobs))
            pw, pc = _since(t)
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            child = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
            print(f"[e]   compute --jobs {jobs}: {pw:.2f} s wall, {pc + child:.2f} s CPU (all processes); "
                  f"{n * m / pw / 1e6:,.0f} M pairs/s wall; {rows:,} rows; {_load()}", flush=True)
        out = folder / f"result-{n}x{m}.parquet"
        t = _clock()
        with ResultWriter(out, frame) as wr:
            wr.write_all(match_batch_chunks(compiled, frame))
            wr.commit()
        ww, wc = _since(t)
        print(f"[e]   compute + write Parquet (streamed, the writing thread beside the compute): {ww:.2f} s wall, "
              f"{wc:.2f} s CPU, of which write {wr.write_cpu:.2f} s CPU; {out.stat().st_size / 1e6:,.0f} MB; "
              f"peak RSS {rss_mb():,.0f} MB; {_load()}", flush=True)
        del frame
        gc.collect()
        for j in sorted({1, jobs}):
            args = ["--policies", str(pol), "--enterprises", str(ent), "--on", ON.isoformat(), "--out", str(out),
                    "--jobs", str(j)]
            wall, peak, msg = _run_cli(args)
            print(f"[e]   end to end `huiqi match-batch --jobs {j} --out {out.name}`: {wall:.2f} s, "
                  f"peak RSS {peak:,.0f} MB; {msg}; {_load()}", flush=True)
        if spark and n <= 200_000:
            args = ["--policies", str(pol), "--enterprises", str(ent), "--on", ON.isoformat(),
                    "--out", str(folder / f"spark-{n}x{m}.parquet"), "--engine", "spark", "--master", "local[2]"]
            wall, _, msg = _run_cli(args)
            print(f"[e]   Spark local[2] end to end (JVM start included): {wall:.1f} s; {msg}; {_load()}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--items", type=int, default=None, help="items for (a) (default 10,000) and (b) (default 50,000)")
    ap.add_argument("--runs", type=int, default=1000, help="enterprises timed in (b)")
    ap.add_argument("--scenario", choices=["a", "b", "c", "e", "all"], default="all")
    ap.add_argument("--data", type=Path, default=Path("/tmp/huiqi-bench"), help="(e) where input files are kept")
    ap.add_argument("--sizes", default="100000x1000,1000000x10000", help="(e) enterprises×items, comma-separated")
    ap.add_argument("--jobs", type=int, default=2, help="(e) also run match-batch with this many processes")
    ap.add_argument("--no-spark", action="store_true", help="(e) skip the Spark local run")
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args(argv)
    gc.freeze()
    if args.scenario in ("a", "c", "all"):
        frame = build_frame(args.enterprises, args.seed)
        if args.scenario in ("c", "all"):
            scenario_c(frame, args.seed)
        if args.scenario in ("a", "all"):
            scenario_a(frame, args.items or 10_000, args.seed)
        del frame
        gc.collect()
    if args.scenario in ("b", "all"):
        scenario_b(args.items or 50_000, args.runs, args.seed)
    if args.scenario in ("e", "all"):
        sizes = [tuple(int(x) for x in s.lower().split("x")) for s in args.sizes.split(",")]
        scenario_e(args.data, sizes, args.seed, args.jobs, not args.no_spark)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
