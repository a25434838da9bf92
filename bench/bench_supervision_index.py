"""Time the supervision index (huiqi/supervision/index.py) for 100 counties × 12 months over
1,000,000 synthetic applications (the issue's target: under 60 s on this machine).

No database: the fact tables the index reads (payments, review nodes, applications, items,
ratings, eligible enterprises) are generated column-wise with NumPy, then the same
``index.compute`` the monthly job runs aggregates them for every county, prefecture, the
province and every department, for all 12 months at once::

    .venv/bin/python bench/bench_supervision_index.py             # 1,000,000 applications
    .venv/bin/python bench/bench_supervision_index.py -n 200000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from huiqi.supervision import index as idx


def facts(n: int, seed: int = 7) -> tuple[dict[str, pl.DataFrame], list[str]]:
    rng = np.random.default_rng(seed)
    counties = np.array([f"35{p:02d}{c:02d}" for p in range(1, 11) for c in range(1, 11)])  # 100 counties
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    region = counties[rng.integers(0, 100, n)]
    dept = rng.integers(1, 41, n)
    month = np.array(months)[rng.integers(0, 12, n)]
    enterprise = rng.integers(1, 200_000, n)
    form_fields = rng.integers(4, 20, n)
    applications = pl.DataFrame({"region": region, "department_id": dept, "month": month,
                                 "materials": rng.integers(0, 8, n),
                                 "prefilled": (form_fields * rng.random(n)).astype(np.int64),
                                 "form_fields": form_fields})
    paid = rng.random(n) < 0.7
    payments = pl.DataFrame({"region": region[paid], "department_id": dept[paid], "month": month[paid],
                             "enterprise_id": enterprise[paid], "fen": rng.integers(100_000, 50_000_000, paid.sum()),
                             "workdays": rng.integers(1, 60, paid.sum())})
    steps_n = 2 * n
    late = rng.random(steps_n) < 0.12
    steps = pl.DataFrame({"region": np.repeat(region, 2), "department_id": np.repeat(dept, 2),
                          "month": np.repeat(month, 2), "on_time": ~late, "red": late,
                          "application_id": np.repeat(np.arange(n), 2)})
    rated = rng.random(n) < 0.4
    score = rng.integers(1, 6, rated.sum())
    answered = rng.random(rated.sum())
    ratings = pl.DataFrame({"region": region[rated], "department_id": dept[rated], "month": month[rated],
                            "score": score, "poor": score <= 2,
                            "answered_on_time": pl.Series(answered < 0.7).set(pl.Series(answered >= 0.9), None)})
    m_items = 3000
    items = pl.DataFrame({"region": counties[rng.integers(0, 100, m_items)], "department_id": rng.integers(1, 41, m_items),
                          "fast": rng.random(m_items) < 0.35, "start_month": np.array(months)[rng.integers(0, 12, m_items)],
                          "end_month": "9999-12"})
    e_n = 600_000
    eligible = pl.DataFrame({"region": counties[rng.integers(0, 100, e_n)], "department_id": rng.integers(1, 41, e_n),
                             "enterprise_id": rng.integers(1, 200_000, e_n)})
    c_n = 20_000  # government-side commitments (承诺必践)
    due = pl.Series(np.datetime64("2026-01-01") + rng.integers(0, 365, c_n)).cast(pl.Date)
    closed = (due.cast(pl.Int32) + pl.Series(rng.integers(-30, 90, c_n), dtype=pl.Int32)).cast(pl.Date)
    commitments = pl.DataFrame({"region": counties[rng.integers(0, 100, c_n)],
                                "department_id": rng.integers(1, 41, c_n), "due_on": due,
                                "closed_on": closed.set(pl.Series(rng.random(c_n) < 0.2), None),
                                "kept": rng.random(c_n) < 0.9})
    return {"payments": payments, "steps": steps, "applications": applications, "items": items, "ratings": ratings,
            "eligible": eligible, "commitments": commitments}, months


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="number of applications")
    args = parser.parse_args()
    t0 = time.perf_counter()
    tables, months = facts(args.n)
    t1 = time.perf_counter()
    result = idx.compute(tables, months, idx.Weights())
    t2 = time.perf_counter()
    by_level = dict(result.group_by("level").len().iter_rows())
    print(f"applications: {args.n:,}; payments: {tables['payments'].height:,}; review nodes: {tables['steps'].height:,}; "
          f"ratings: {tables['ratings'].height:,}")
    print(f"index rows: {result.height:,} ({', '.join(f'{k} {v}' for k, v in sorted(by_level.items()))})")
    print(f"generate facts: {t1 - t0:.2f} s")
    print(f"compute index (100 counties + prefectures + province + 40 departments × 12 months): {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()
