"""Time 批量核验 of 10,000 pending applications of one item (the issue asks for under a minute;
泉州 checks a whole batch against 失信 in 5 minutes).

Builds a separate SQLite database (never var/huiqi.sqlite3; reused when it already holds the
data): one 即申即享 item, N enterprises each with two years of revenue and the three credit
flags, and N submitted applications with a declared investment and a decided check. About 1 %
turn 失信, 1 % 经营异常 and 2 % have too little revenue, so the report has failures to explain.
Then runs the same verification the 批量核验 button runs and prints the time::

    .venv/bin/python bench/bench_batch_verification.py                 # 10,000 applications
    .venv/bin/python bench/bench_batch_verification.py -n 2000 --db /tmp/verify.sqlite3
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHECK = "项目符合我市主导产业发展方向"
CODE = "bench-verify-jg"


def _setup(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _load(n: int, seed: int, today: date) -> None:
    from cnstd.uscc import uscc_check_char
    from huiqi.accounts.models import Department, User
    from huiqi.enterprises.models import Enterprise, EnterpriseFlag, YearFigure
    from huiqi.fulfilment.models import Application
    from huiqi.policies.models import PolicyDocument, PolicyItem

    if Application.objects.filter(item__code=CODE).count() >= n:
        return
    rng = random.Random(seed)
    dept, _ = Department.objects.get_or_create(name="泉州市工业和信息化局", region="350500", defaults={"kind": "工信"})
    doc = PolicyDocument.objects.create(title="泉州市技改措施（基准测试）", issuer="泉州市工信局", level="city",
                                        region="350500", department=dept)
    item = PolicyItem.objects.create(
        document=doc, code=CODE, title="技术改造设备补助（基准测试）", region="350500", department=dept, mode="即申即享",
        status="published", valid_from=date(2024, 1, 1), valid_to=date(2030, 12, 31),
        conditions={"all": [{"field": "region", "op": "within", "value": "350500"},
                            {"field": "revenue", "op": ">=", "value": 5000000},
                            {"field": "flags", "op": "not_has", "value": "dishonest"},
                            {"field": "input.equipment_investment", "op": ">=", "value": 1000000},
                            {"check": CHECK}]},
        reward={"rate": 0.1, "base": {"input": "equipment_investment"}, "cap": 500000},
        inputs=[{"name": "equipment_investment", "label": "设备投资额", "unit": "元"}],
        review_nodes=[{"name": "主管部门确认", "role": "reviewer", "department": dept.name, "days": 3, "warn_days": 1}])
    counties = ["350502", "350503", "350504", "350505", "350521", "350524", "350526", "350581", "350582", "350583"]
    enterprises = []
    for i in range(n):
        region = counties[i % len(counties)]
        body = f"91{region}MA{i:07d}"[:17]
        enterprises.append(Enterprise(uscc=body + uscc_check_char(body), name=f"泉州基准测试{i}号有限公司", region=region,
                                      industry="3971", established_on=date(2015, 1, 1)))
    Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    enterprises = list(Enterprise.objects.filter(name__startswith="泉州基准测试").order_by("pk"))
    figures, flags = [], []
    for e in enterprises:
        low = rng.random() < 0.02
        for year in (today.year - 2, today.year - 1):
            revenue = Decimal(rng.randint(1_000_000, 4_000_000) if low else rng.randint(6_000_000, 90_000_000))
            figures.append(YearFigure(enterprise=e, year=year, field="revenue", value_number=revenue, source="税务",
                                      as_of=date(year + 1, 3, 31)))
        for name in EnterpriseFlag.FLAGS:
            hit = (name == "dishonest" and rng.random() < 0.01) or (name == "abnormal_operation" and rng.random() < 0.01)
            flags.append(EnterpriseFlag(enterprise=e, flag=name, value=hit, source="信用中国", as_of=today))
    YearFigure.objects.bulk_create(figures, batch_size=5000)
    EnterpriseFlag.objects.bulk_create(flags, batch_size=5000)
    user = User.objects.create(username="bench-enterprise", role="enterprise", enterprise=enterprises[0])
    apps = [Application(enterprise=e, item=item, period=str(today.year), status="submitted", created_by=user,
                        inputs={"equipment_investment": str(rng.randint(800_000, 8_000_000))}, checks={CHECK: True},
                        amount_min=Decimal("0"), amount_max=Decimal("500000"))
            for e in enterprises]
    Application.objects.bulk_create(apps, batch_size=2000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--applications", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "huiqi_bench_verify.sqlite3")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    _setup(args.db)
    today = date(2026, 3, 10)
    started = time.perf_counter()
    _load(args.applications, args.seed, today)
    print(f"data ready in {time.perf_counter() - started:.1f} s ({args.db})")

    from huiqi.fulfilment.verification import verify_pending
    from huiqi.policies.models import PolicyItem

    item = PolicyItem.objects.get(code=CODE)
    started = time.perf_counter()
    report = verify_pending(item=item, today=today)
    elapsed = time.perf_counter() - started
    print(f"batch verification: {report.total} applications in {elapsed:.2f} s — "
          f"pass {report.count('pass')}, fail {report.count('fail')}, doubt {report.count('doubt')}")
    for row in report.problems[:3]:
        print(f"  {row.reference} {row.enterprise}: {'；'.join(row.reasons)}")
    return 0 if elapsed < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
