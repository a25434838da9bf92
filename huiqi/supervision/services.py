"""Writes of 评与督: ratings and their 差评 cases, index settings and monthly snapshots, 督办
orders (``order_raise`` is the one entry other apps call) and the two sweeps. Each is one
transaction with an audit event."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone

from huiqi.accounts.models import Role, User
from huiqi.audit.services import audit_record
from huiqi.core.deadlines import Alert, Colour, SweepReport, deadline_start, sweep
from huiqi.core.regions import region_within_q
from huiqi.core.workflow import WorkflowError
from huiqi.disbursement.models import Entitlement
from huiqi.fulfilment.models import Application
from huiqi.notifications.services import notify
from huiqi.workdays.selectors import work_calendar

from . import index as idx
from . import selectors, workflow
from .access import access_index_recompute, access_index_settings_edit, access_order_raise, access_rate
from .models import RATING_TAGS, IndexSettings, IndexSnapshot, PoorRatingCase, Rating, SupervisionOrder

EDIT_DAYS = 7
CASE_DAYS = 5  # working days for the department's 整改 reply to a 差评
ORDER_DAYS = 10  # default 整改 deadline of a 督办 order, in working days
DECIDED = (Application.Status.APPROVED, Application.Status.REJECTED)


class RatingRefused(Exception):
    """A refused rating; ``status`` is the HTTP status the API answers with, the message Chinese."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# -- invitations ---------------------------------------------------------------------------------


def _enterprise_users(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True))


def rating_invite(*, enterprise_id: int, kind: str, pk: int, title: str) -> None:
    """Ask the enterprise to rate a decided application or a 免申即享 payment (inbox + page)."""
    notify(recipients=_enterprise_users(enterprise_id), category="rating_invite",
           title=f"请对《{title}》的办理服务评价", body="您的评价将用于改进政策兑现服务，1–5分，可附意见。",
           link=f"/supervision/rate/{kind}/{pk}/", dedupe_key=f"rating-invite:{kind}:{pk}")


# -- ratings -------------------------------------------------------------------------------------


def _clean(score: Any, comment: str, tags: list[str] | None) -> tuple[int, str, list[str]]:
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise RatingRefused("评分应为 1 到 5 的整数") from None
    if str(score).strip() not in {str(value), f"{value}.0"} or not 1 <= value <= 5:
        raise RatingRefused("评分应为 1 到 5 的整数")
    unknown = [t for t in (tags or []) if t not in RATING_TAGS]
    if unknown:
        raise RatingRefused(f"评价标签只能是：{'、'.join(RATING_TAGS)}")
    if len(comment) > 500:
        raise RatingRefused("评价内容不超过 500 字")
    return value, comment.strip(), list(dict.fromkeys(tags or []))


def rating_target(*, kind: str, pk: int) -> Application | Entitlement:
    """The thing rated, or RatingRefused(404) when there is no such rateable thing."""
    if kind == Rating.Subject.APPLICATION:
        app = Application.objects.select_related("item", "enterprise").filter(pk=pk).first()
        if app is None:
            raise RatingRefused("没有找到该申报", 404)
        return app
    if kind == Rating.Subject.PAYMENT:
        ent = Entitlement.objects.select_related("item", "enterprise").filter(pk=pk).first()
        if ent is None or ent.source != Entitlement.Source.AUTO_RUN:
            raise RatingRefused("没有找到该免申即享兑现记录", 404)
        return ent
    raise RatingRefused("评价对象只能是申报（application）或免申即享兑现（payment）", 404)


def rating_create(*, actor: Any, kind: str, pk: int, score: Any, comment: str = "", tags: list[str] | None = None,
                  now: datetime | None = None) -> Rating:
    """Rate a decided application or a paid 免申即享 entitlement once. A score of 1–2 opens a
    差评 case for the item's department with a working-day deadline."""
    now = now or timezone.now()
    target = rating_target(kind=kind, pk=pk)
    if not access_rate(actor, target.enterprise_id):
        raise RatingRefused("只能评价本企业的申报或兑现", 403)
    if isinstance(target, Application) and target.status not in DECIDED:
        raise RatingRefused("该申报尚未办结（通过或不予通过）后才能评价", 409)
    if isinstance(target, Entitlement) and target.status != Entitlement.Status.PAID:
        raise RatingRefused("该兑现尚未拨付到账，到账后才能评价", 409)
    value, text, tag_list = _clean(score, comment, tags)
    item = target.item
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                subject=kind, application=target if isinstance(target, Application) else None,
                entitlement=target if isinstance(target, Entitlement) else None,
                enterprise_id=target.enterprise_id, item=item, department_id=item.department_id,
                region=target.enterprise.region, score=value, comment=text, tags=tag_list, by=actor,
                created_at=now, updated_at=now, editable_until=now + timedelta(days=EDIT_DAYS))
            audit_record(actor=actor, action="rating.create", obj=rating,
                         after={"subject": kind, "id": pk, "score": value, "tags": tag_list}, detail=text)
            if rating.poor:
                _case_open(rating, now=now)
    except IntegrityError:
        raise RatingRefused("已经评价过，不能重复评价；7 日内可修改原评价", 409) from None
    return rating


def rating_update(*, actor: Any, rating: Rating, score: Any, comment: str = "", tags: list[str] | None = None,
                  now: datetime | None = None) -> Rating:
    """Change one's rating within 7 days; a rating that becomes a 差评 opens a case."""
    now = now or timezone.now()
    if not access_rate(actor, rating.enterprise_id):
        raise RatingRefused("只能修改本企业的评价", 403)
    if now > rating.editable_until:
        raise RatingRefused("评价超过 7 日，不能再修改", 409)
    value, text, tag_list = _clean(score, comment, tags)
    with transaction.atomic():
        before = {"score": rating.score, "comment": rating.comment, "tags": rating.tags}
        Rating.objects.filter(pk=rating.pk).update(score=value, comment=text, tags=tag_list, updated_at=now)
        rating.score, rating.comment, rating.tags, rating.updated_at = value, text, tag_list, now
        audit_record(actor=actor, action="rating.update", obj=rating, before=before,
                     after={"score": value, "comment": text, "tags": tag_list})
        if rating.poor and not PoorRatingCase.objects.filter(rating=rating).exists():
            _case_open(rating, now=now)
    return rating


def _department_officers(department_id: int | None, region: str) -> list[User]:
    qs = User.objects.filter(role=Role.OFFICER, is_active=True)
    if department_id is not None:
        return list(qs.filter(department_id=department_id))
    return [u for u in qs if not u.region or region.startswith(u.region.rstrip("0"))]


def _case_open(rating: Rating, *, now: datetime) -> PoorRatingCase:
    case = PoorRatingCase.objects.create(
        rating=rating, department_id=rating.department_id, region=rating.region,
        **deadline_start(now=now, days=CASE_DAYS, warn_days=1, calendar=work_calendar()))
    audit_record(actor=None, action="poor_rating.open", obj=case, after={"rating": rating.pk, "due_at": case.due_at})
    notify(recipients=_department_officers(rating.department_id, rating.region), category="poor_rating",
           title=f"差评待整改答复：{rating.item.title}",
           body=f"企业评分 {rating.score} 分：{rating.comment or '（未填写意见）'}。请于 {case.due_at} 前答复整改情况。",
           link=f"/supervision/cases/{case.pk}/", dedupe_key=f"poor-rating:{case.pk}")
    return case


def case_answer(*, actor: Any, case: PoorRatingCase, reply: str, now: datetime | None = None) -> PoorRatingCase:
    """The department's 整改 reply to a 差评: on time when on or before the due date."""
    from .access import access_case_answer

    now = now or timezone.now()
    if not access_case_answer(actor, case):
        raise WorkflowError("只有责任部门的政策专员可以答复该差评")
    if not reply.strip():
        raise WorkflowError("请填写整改答复")
    today = timezone.localdate(now)
    on_time = case.due_at is not None and today <= case.due_at
    with transaction.atomic():
        matched = PoorRatingCase.objects.filter(pk=case.pk, status=PoorRatingCase.Status.OPEN).update(
            status=PoorRatingCase.Status.ANSWERED, reply=reply.strip()[:2000], answered_by=actor, answered_on=today,
            on_time=on_time, colour=Colour.DONE, colour_changed_at=now)
        if matched != 1:
            raise WorkflowError("该差评已答复，请刷新后查看")
        case.refresh_from_db()
        audit_record(actor=actor, action="poor_rating.answer", obj=case, before={"status": "open"},
                     after={"status": "answered", "on_time": on_time}, detail=reply)
        notify(recipients=_enterprise_users(case.rating.enterprise_id), category="poor_rating_answer",
               title=f"您的评价已得到整改答复：{case.rating.item.title}", body=reply.strip()[:300],
               link="/supervision/ratings/", dedupe_key=f"poor-rating-answer:{case.pk}")
    return case


def _case_alert(case: PoorRatingCase, colour: str) -> Alert:
    word = "已超期（红灯）" if colour == Colour.RED else "即将到期（黄灯）"
    return Alert(recipients=_department_officers(case.department_id, case.region),
                 title=f"差评整改答复{word}", body=f"期限 {case.due_at}。", link=f"/supervision/cases/{case.pk}/")


def cases_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    return sweep(PoorRatingCase.objects.filter(status=PoorRatingCase.Status.OPEN).select_related("rating"),
                 now=now, calendar=work_calendar(), dedupe_prefix="poor-rating-deadline",
                 audit_action="poor_rating.colour", alert=_case_alert)


# -- index settings and snapshots ----------------------------------------------------------------


MEASURE_WEIGHT_FIELDS = tuple(m.weight_setting for m in idx.MEASURES if m.weight_setting)
MEASURE_WEIGHT_MAX = Decimal("5")


def _weights(row: IndexSettings) -> idx.Weights:
    return idx.Weights(strength=float(row.weight_strength), speed=float(row.weight_speed),
                       convenience=float(row.weight_convenience), satisfaction=float(row.weight_satisfaction),
                       green_from=float(row.green_from), yellow_from=float(row.yellow_from),
                       measures={name: float(getattr(row, name)) for name in MEASURE_WEIGHT_FIELDS})


def index_weights() -> idx.Weights:
    """The weights and thresholds in force (the administrator's settings row)."""
    return _weights(selectors.settings_current())


def index_settings_update(*, actor: Any, values: dict[str, str]) -> IndexSettings:
    """Change the weights (each 0–1, summing to 1), the weights of single measures inside their
    sub-index (0–5; the other measures weigh 1) and thresholds (0 ≤ yellow < green ≤ 100)."""
    if not access_index_settings_edit(actor):
        raise WorkflowError("只有省级督查人员可以调整指数权重与阈值")
    row = selectors.settings_current()
    fields = ("weight_strength", "weight_speed", "weight_convenience", "weight_satisfaction", "green_from",
              "yellow_from", *MEASURE_WEIGHT_FIELDS)
    parsed: dict[str, Decimal] = {}
    for name in fields:
        try:
            parsed[name] = Decimal(str(values.get(name, getattr(row, name))).strip())
        except InvalidOperation:
            raise WorkflowError("权重和阈值应为数字") from None
    if any(not p.is_finite() for p in parsed.values()):
        raise WorkflowError("权重和阈值应为数字")
    weights = [parsed[n] for n in fields[:4]]
    if any(w < 0 or w > 1 for w in weights) or sum(weights) != Decimal("1"):
        raise WorkflowError("四项权重应在 0 到 1 之间，且合计为 1")
    if any(not Decimal("0") <= parsed[n] <= MEASURE_WEIGHT_MAX for n in MEASURE_WEIGHT_FIELDS):
        raise WorkflowError(f"单项指标在分项中的权重应在 0 到 {MEASURE_WEIGHT_MAX} 之间（其他指标的权重为 1）")
    if not Decimal("0") <= parsed["yellow_from"] < parsed["green_from"] <= Decimal("100"):
        raise WorkflowError("阈值应满足 0 ≤ 黄色下限 < 绿色下限 ≤ 100")
    before = {n: getattr(row, n) for n in fields}
    with transaction.atomic():
        IndexSettings.objects.filter(pk=row.pk).update(**parsed)
        row.refresh_from_db()
        audit_record(actor=actor, action="supervision.settings", obj=row, before=before, after=parsed)
    return row


def index_snapshot_month(*, actor: Any, month: date, now: datetime | None = None,
                         raise_orders: bool = True) -> int:
    """Compute and store the index of one month for every region level and department (replacing
    that month's rows); then raise the automatic 督办 orders. ``actor`` None is the monthly job;
    a person must be allowed to recompute. Returns the number of rows stored."""
    now = now or timezone.now()
    month = month.replace(day=1)
    if actor is not None and not access_index_recompute(actor):
        raise WorkflowError("只有省级督查人员可以重新计算指数")
    if month > timezone.localdate(now).replace(day=1):
        raise WorkflowError("不能计算未来月份的指数")
    settings_row = selectors.settings_current()
    weights = _weights(settings_row)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    facts = selectors.index_facts(calendar=work_calendar(), until=min(month_end, timezone.localdate(now)))
    table = idx.compute(facts, [selectors.month_key(month)], weights)
    used = {"weights": [weights.strength, weights.speed, weights.convenience, weights.satisfaction],
            "green_from": weights.green_from, "yellow_from": weights.yellow_from,
            "measure_weights": dict(weights.measures)}
    rows: list[IndexSnapshot] = []
    for rec in table.iter_rows(named=True):  # one row per region / department, not per application
        level = rec["level"]
        key = rec["key"]
        figures = {c: rec[c] for c in idx.FIGURE_COLUMNS}
        figures["paid_yuan"] = str(idx.yuan(rec["paid_fen"]))
        common = {"month": month, "strength": idx.one_decimal(rec["strength"]), "speed": idx.one_decimal(rec["speed"]),
                  "convenience": idx.one_decimal(rec["convenience"]),
                  "satisfaction": idx.one_decimal(rec["satisfaction"]), "score": idx.one_decimal(rec["score"]),
                  "colour": rec["colour"], "figures": figures, "settings_used": used, "computed_at": now}
        if level == "department":
            from huiqi.accounts.models import Department

            dept = Department.objects.filter(pk=int(key)).first()
            if dept is None:
                continue
            rows.append(IndexSnapshot(level=IndexSnapshot.Level.DEPARTMENT, region=dept.region, parent="",
                                      department=dept, **common))
        else:
            parent = "" if level == "province" else (key[:2] + "0000" if level == "prefecture" else key[:4] + "00")
            rows.append(IndexSnapshot(level=level, region=key, parent=parent, **common))
    with transaction.atomic():
        IndexSnapshot.objects.filter(month=month).delete()
        IndexSnapshot.objects.bulk_create(rows)
        audit_record(actor=actor, action="supervision.index_snapshot", object_type="supervision.indexsnapshot",
                     object_id=selectors.month_key(month), object_repr=f"{month:%Y年%m月}指数",
                     after={"rows": len(rows), "settings": used},
                     detail="重新计算" if actor is not None else "每月定时计算")
    if raise_orders:
        orders_auto(month=month, now=now)
        orders_auto_departments(month=month, now=now)
    return len(rows)


def index_monthly_job(*, now: datetime | None = None) -> int:
    """The scheduled job: store last month's snapshot once (a stored month never moves again
    unless someone recomputes it, audited)."""
    now = now or timezone.now()
    last = selectors.previous_month(timezone.localdate(now))
    if IndexSnapshot.objects.filter(month=last).exists():
        return 0
    return index_snapshot_month(actor=None, month=last, now=now)


# -- 督办 orders ----------------------------------------------------------------------------------


def _order_targets(order: SupervisionOrder) -> list[User]:
    qs = User.objects.filter(role=Role.OFFICER, is_active=True)
    if order.target_department_id is not None:
        return list(qs.filter(department_id=order.target_department_id))
    return list(qs.filter(region=order.target_region))


def _supervisors(region: str) -> list[User]:
    return [u for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True)
            if not u.region or region.startswith(u.region.rstrip("0"))]


def order_raise(*, actor: Any, target_region: str, target_department: Any = None, reason: str,
                figures: dict[str, Any], source: str, source_key: str = "", days: int = ORDER_DAYS,
                now: datetime | None = None) -> SupervisionOrder:
    """Issue a 督办单 (the one service other apps call: tickets, commitments, red lights …).
    ``actor`` None is the platform itself (automatic orders); ``source_key`` makes a repeated
    call for the same cause return the existing order instead of a second one."""
    now = now or timezone.now()
    if actor is not None and not access_order_raise(actor, target_region):
        raise WorkflowError("只有辖区督查人员可以下发督办单")
    if source not in SupervisionOrder.Source.values:
        raise WorkflowError("未知的督办来源")
    if not reason.strip():
        raise WorkflowError("请写明督办事由")
    if not 1 <= days <= 60:
        raise WorkflowError("整改期限应为 1 到 60 个工作日")
    if source_key:
        existing = SupervisionOrder.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    clock = deadline_start(now=now, days=days, warn_days=2, calendar=work_calendar())
    department_id = getattr(target_department, "pk", target_department)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                number=f"tmp-{uuid4().hex[:24]}", target_region=target_region,
                target_department_id=department_id, source=source, source_key=source_key, reason=reason.strip(),
                figures=figures, issued_by=actor, created_at=now, updated_at=now, **clock)
            order.number = f"督办〔{timezone.localdate(now).year}〕{order.pk:04d}号"
            SupervisionOrder.objects.filter(pk=order.pk).update(number=order.number)
            audit_record(actor=actor, action="supervision_order.raise", obj=order,
                         after={"region": target_region, "department": department_id, "source": source,
                                "figures": figures, "due_at": order.due_at}, detail=reason)
            notify(recipients=_order_targets(order), category="supervision_order",
                   title=f"督办单 {order.number}：{selectors.region_label(target_region)}",
                   body=f"{reason.strip()[:200]}。请于 {order.due_at} 前报送整改情况。",
                   link=f"/supervision/orders/{order.pk}/", dedupe_key=f"order-raise:{order.pk}")
    except IntegrityError:
        existing = SupervisionOrder.objects.filter(source_key=source_key).first()
        if existing is None:
            raise
        return existing
    return order


def _order_move(*, actor: Any, order: SupervisionOrder, name: str, text: str = "",
                now: datetime | None = None) -> SupervisionOrder:
    now = now or timezone.now()
    changes: dict[str, Any] = {"updated_at": now}
    if name in {"reply", "reply_again"}:
        if not text.strip():
            raise WorkflowError("请填写整改情况")
        changes.update(reply=text.strip()[:4000], replied_at=now)
    if name in {"accept", "return"}:
        if name == "return" and not text.strip():
            raise WorkflowError("退回须写明理由")
        changes["review_note"] = text.strip()[:2000]
    if name == "accept":
        changes.update(published_at=now, colour=Colour.DONE, colour_changed_at=now)
    before = order.status
    with transaction.atomic():
        step = workflow.transition(actor=actor, order=order, name=name, changes=changes)
        audit_record(actor=actor, action=f"supervision_order.{name}", obj=order, before={"status": before},
                     after={"status": order.status}, detail=text)
        recipients = _supervisors(order.target_region) if step.actor == "target" else _order_targets(order)
        notify(recipients=recipients, category="supervision_order",
               title=f"督办单 {order.number}：{step.label}", body=text.strip()[:300],
               link=f"/supervision/orders/{order.pk}/", dedupe_key=f"order:{order.pk}:{name}:{now.isoformat()}")
    return order


def order_acknowledge(*, actor: Any, order: SupervisionOrder, now: datetime | None = None) -> SupervisionOrder:
    return _order_move(actor=actor, order=order, name="acknowledge", now=now)


def order_reply(*, actor: Any, order: SupervisionOrder, text: str, now: datetime | None = None) -> SupervisionOrder:
    name = "reply_again" if order.status == SupervisionOrder.Status.RETURNED else "reply"
    return _order_move(actor=actor, order=order, name=name, text=text, now=now)


def order_accept(*, actor: Any, order: SupervisionOrder, note: str = "", now: datetime | None = None) -> SupervisionOrder:
    """整改通过: the result appears on the public page."""
    return _order_move(actor=actor, order=order, name="accept", text=note, now=now)


def order_return(*, actor: Any, order: SupervisionOrder, note: str, now: datetime | None = None) -> SupervisionOrder:
    return _order_move(actor=actor, order=order, name="return", text=note, now=now)


def order_close(*, actor: Any, order: SupervisionOrder, now: datetime | None = None) -> SupervisionOrder:
    return _order_move(actor=actor, order=order, name="close", now=now)


def _bottom_two(month: date) -> dict[str, list[IndexSnapshot]]:
    """Per parent region (a level's sibling group of at least three): the two lowest totals."""
    groups: dict[str, list[IndexSnapshot]] = {}
    for snap in IndexSnapshot.objects.filter(month=month, department__isnull=True, score__isnull=False).exclude(parent=""):
        groups.setdefault(snap.parent, []).append(snap)
    return {parent: sorted(rows, key=lambda s: (s.score, s.region))[:2]
            for parent, rows in groups.items() if len(rows) >= 3}


def orders_auto(*, month: date, now: datetime | None = None) -> list[SupervisionOrder]:
    """督办 every region that is among the bottom two of its level (siblings under one parent) in
    `month` and in the month before (two months running); once per region and month."""
    now = now or timezone.now()
    this, before = _bottom_two(month), _bottom_two(selectors.previous_month(month))
    raised = []
    for parent, rows in sorted(this.items()):
        earlier = {s.region: s for s in before.get(parent, [])}
        for snap in rows:
            if snap.region not in earlier:
                continue
            prev = earlier[snap.region]
            name = selectors.region_label(snap.region)
            figures = {"months": [selectors.month_key(prev.month), selectors.month_key(month)],
                       "scores": [str(prev.score), str(snap.score)],
                       "strength": str(snap.strength), "speed": str(snap.speed),
                       "convenience": str(snap.convenience), "satisfaction": str(snap.satisfaction)}
            raised.append(order_raise(
                actor=None, target_region=snap.region, reason=(
                    f"{name}政策兑现指数连续两个月在{selectors.region_label(parent)}下辖区域中排名末两位"
                    f"（{prev.month:%Y年%m月} {prev.score} 分，{month:%Y年%m月} {snap.score} 分）"),
                figures=figures, source=SupervisionOrder.Source.AUTO,
                source_key=f"auto:{selectors.month_key(month)}:{snap.region}", now=now))
    return raised


def _bottom_two_departments(month: date) -> dict[str, list[IndexSnapshot]]:
    """Per region: the two departments of that region's government with the lowest totals (only
    where at least three of its departments have a total, as for regions)."""
    groups: dict[str, list[IndexSnapshot]] = {}
    for snap in (IndexSnapshot.objects.filter(month=month, department__isnull=False, score__isnull=False)
                 .select_related("department")):
        groups.setdefault(snap.region, []).append(snap)
    return {region: sorted(rows, key=lambda s: (s.score, s.department_id))[:2]
            for region, rows in groups.items() if len(rows) >= 3}


def orders_auto_departments(*, month: date, now: datetime | None = None) -> list[SupervisionOrder]:
    """督办 every department among the bottom two of its region's departments in `month` and in
    the month before; once per department and month (a rerun returns the same order)."""
    now = now or timezone.now()
    this, before = _bottom_two_departments(month), _bottom_two_departments(selectors.previous_month(month))
    raised = []
    for region, rows in sorted(this.items()):
        earlier = {s.department_id: s for s in before.get(region, [])}
        for snap in rows:
            prev = earlier.get(snap.department_id)
            if prev is None or snap.department is None:
                continue
            figures = {"months": [selectors.month_key(prev.month), selectors.month_key(month)],
                       "scores": [str(prev.score), str(snap.score)],
                       "strength": str(snap.strength), "speed": str(snap.speed),
                       "convenience": str(snap.convenience), "satisfaction": str(snap.satisfaction)}
            raised.append(order_raise(
                actor=None, target_region=region, target_department=snap.department, reason=(
                    f"{snap.department.name}政策兑现指数连续两个月在{selectors.region_label(region)}各部门中排名末两位"
                    f"（{prev.month:%Y年%m月} {prev.score} 分，{month:%Y年%m月} {snap.score} 分）"),
                figures=figures, source=SupervisionOrder.Source.AUTO,
                source_key=f"auto-department:{selectors.month_key(month)}:{snap.department_id}", now=now))
    return raised


def _order_alert(order: SupervisionOrder, colour: str) -> Alert:
    word = "已超期（红灯）" if colour == Colour.RED else "即将到期（黄灯）"
    return Alert(recipients=_order_targets(order) + _supervisors(order.target_region),
                 title=f"督办单 {order.number} 整改{word}", body=f"整改期限 {order.due_at}。",
                 link=f"/supervision/orders/{order.pk}/")


def orders_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    return sweep(SupervisionOrder.objects.filter(status__in=SupervisionOrder.OPEN_STATUSES), now=now,
                 calendar=work_calendar(), dedupe_prefix="order-deadline", audit_action="supervision_order.colour",
                 alert=_order_alert)


def orders_in_region(region: str) -> Any:
    return SupervisionOrder.objects.filter(region_within_q(region, field="target_region"))
