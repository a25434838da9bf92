"""评与督 for the demo: twelve months of index history with differing colours (the platform's
predecessor figures, stored as snapshots since there are no twelve months of applications in a
fresh demo), the automatic 督办 orders they cause — one (晋江市) with its 整改 reply awaiting the
supervisor — and ratings of rejected applications including 差评 answered and unanswered. Orders,
ratings and answers go through the real services (validated, audited, notified)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from huiqi.accounts.models import Role, User
from huiqi.fulfilment import services as fulfilment
from huiqi.fulfilment.access import access_step_decide
from huiqi.fulfilment.models import Application, ReviewStep
from huiqi.supervision import selectors, services
from huiqi.supervision.models import IndexSnapshot, SupervisionOrder

from .catalogue import PROVINCE
from .enterprises import PREFECTURES, counties_of

# Regions kept at the bottom of their level in the last two months, so the automatic rule fires.
LAGGARDS = {"350300": -30, "350700": -26, "350582": -32, "350583": -27}


def _snapshot(month: date, region: str, parent: str, level: str, score: float, settings: dict[str, object]) -> IndexSnapshot:
    def sub(offset: float) -> Decimal:
        return Decimal(str(round(max(0.0, min(100.0, score + offset)), 1)))

    total = Decimal(str(round(score, 1)))
    colour = "green" if score >= 80 else "yellow" if score >= 60 else "red"
    return IndexSnapshot(month=month, level=level, region=region, parent=parent, strength=sub(-4), speed=sub(3),
                         convenience=sub(6), satisfaction=sub(-5), score=total, colour=colour,
                         figures={"来源": "演示历史数据"}, settings_used=settings, computed_at=timezone.now())


def _history(today: date, rng: random.Random) -> date:
    months = selectors.months_back(selectors.previous_month(today), 12)
    settings = {"weights": [0.3, 0.3, 0.2, 0.2], "green_from": 80.0, "yellow_from": 60.0}
    regions: list[tuple[str, str, str]] = [(PROVINCE, "", "province")]
    regions += [(p, PROVINCE, "prefecture") for p in PREFECTURES]
    regions += [(c, "350500", "county") for c in counties_of("350500")]
    base = {code: rng.uniform(62, 90) for code, _p, _l in regions}
    rows = []
    for i, month in enumerate(months):
        for code, parent, level in regions:
            score = base[code] + 4 * (i / 11) + rng.uniform(-6, 6)  # a slow improvement with noise
            if code in LAGGARDS and i >= 10:
                score = 80 + LAGGARDS[code] + rng.uniform(-2, 2)
            rows.append(_snapshot(month, code, parent, level, max(20.0, min(98.0, score)), settings))
    IndexSnapshot.objects.bulk_create(rows)
    return months[-1]


def _ratings(today: date, reviewer: User, officer: User | None) -> int:
    """Reject up to three in-flight applications and let their enterprises rate them 2, 1 and 5;
    the department answers the 2, the 1 stays unanswered."""
    now = timezone.now()
    made = 0
    for app in Application.objects.filter(status=Application.Status.SUBMITTED).select_related("item").order_by("pk"):
        step = ReviewStep.objects.filter(application=app, outcome="open").first()
        if step is None or not access_step_decide(reviewer, step):
            continue
        fulfilment.review_reject(actor=reviewer, application=app, now=now, reasons="申报材料与项目不符（演示）")
        user = User.objects.filter(role=Role.ENTERPRISE, enterprise_id=app.enterprise_id).first()
        score, comment = [(2, "退回理由不够具体，来回跑了两次"), (1, "等了很久才有结果"), (5, "审核很快，说明清楚")][made]
        rating = services.rating_create(actor=user, kind="application", pk=app.pk, score=score, comment=comment,
                                        tags=["速度"] if score < 3 else ["态度"], now=now)
        if score == 2 and officer is not None and rating.department_id == officer.department_id:
            services.case_answer(actor=officer, case=rating.case, reply="已细化退回补正的说明模板，并安排专人电话回访（演示）",
                                 now=now)
        made += 1
        if made == 3:
            break
    return made


def seed_supervision(*, today: date, users: dict[str, User], seed: int = 9) -> dict[str, int]:
    rng = random.Random(seed)
    last = _history(today, rng)
    orders = services.orders_auto(month=last, now=timezone.now())
    jinjiang = SupervisionOrder.objects.filter(target_region="350582").first()
    if jinjiang is not None:
        services.order_acknowledge(actor=users["officer_jj"], order=jinjiang)
        services.order_reply(actor=users["officer_jj"], order=jinjiang,
                             text="已梳理超期件 12 件，增派 2 名审核人员，承诺下月起按时办结率不低于 95%（演示）")
    rated = _ratings(today, users["reviewer_qz"], users.get("officer_qz"))
    return {"index_snapshots": IndexSnapshot.objects.count(), "supervision_orders": len(orders), "ratings": rated}


__all__ = ["seed_supervision"]
