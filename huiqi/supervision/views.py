"""Pages of 评与督: the 驾驶舱 (ranking, map, trend, drill-down, Excel export, print), index
settings and recompute, 督办 orders and their public results, ratings and 差评 answers."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huiqi.accounts.models import Department, Role
from huiqi.core.access_views import require
from huiqi.core.workflow import WorkflowError
from huiqi.fulfilment.models import Application
from huiqi.policies.models import PolicyItem

from . import index as idx
from . import selectors, services, workflow
from .access import (
    access_case_answer,
    access_case_view,
    access_index_recompute,
    access_index_region,
    access_index_settings_edit,
    access_order_raise,
    access_order_view,
    access_rate,
    access_supervision_view,
)
from .models import RATING_TAGS, IndexSnapshot, PoorRatingCase, Rating, SupervisionOrder

FIGURE_LABELS = (
    ("paid_yuan", "兑现金额（元）"), ("enterprises_paid", "当月兑现企业数"), ("enterprises_paid_ytd", "年初至当月兑现企业数"),
    ("eligible", "符合条件企业数"), ("coverage", "覆盖率"), ("median_days", "到账工作日中位数"),
    ("p90_days", "到账工作日第90百分位"), ("steps", "办结/超期审核环节数"), ("on_time_share", "按时办结率"),
    ("red_lights", "红灯数（审核超期＋逾期未兑付）"), ("cash_breaches", "逾期未兑付"), ("items", "在办事项数"), ("fast_share", "免申即享/即申即享占比"),
    ("applications", "申报件数"), ("materials_per_app", "每件材料数"), ("ratings", "评价数"),
    ("avg_rating", "平均评分"), ("poor", "差评数"), ("poor_rate", "差评率"),
    ("poor_answered_on_time", "差评按时答复数"), ("poor_unanswered", "差评未答复数"),
    ("poor_answered_share", "差评按时答复率"),
    ("red_lights_per_app", "每件申报红灯数"), ("fields_prefilled", "预填字段数"), ("form_fields", "申报表字段数"),
    ("prefilled_share", "字段预填率"), ("gov_commitments_due", "已到期政府方承诺数"),
    ("gov_commitments_overdue", "逾期政府方承诺数"), ("gov_overdue_share", "政府方承诺逾期率"),
)
RATIOS = {"coverage", "on_time_share", "fast_share", "poor_rate", "poor_answered_share", "prefilled_share",
          "gov_overdue_share"}


def _month(request: HttpRequest) -> date | None:
    text = request.GET.get("month", "")
    if not text:
        return selectors.latest_month()
    try:
        wanted = selectors.month_start(text)
    except ValueError:
        raise Http404("月份格式不正确") from None
    if wanted > timezone.localdate().replace(day=1):
        raise Http404("不能查看未来月份")
    return wanted


def _fmt(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if name in RATIOS:
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    if name == "paid_yuan":
        return f"{Decimal(value):,.2f}"
    return str(value)


def _figures(snap: IndexSnapshot | None) -> list[tuple[str, str]]:
    if snap is None:
        return []
    return [(label, _fmt(name, snap.figures.get(name))) for name, label in FIGURE_LABELS]


def _rows(snaps: list[IndexSnapshot]) -> list[dict[str, Any]]:
    return [{"snap": s, "name": selectors.region_label(s.region) if s.department is None else s.department.name,
             "rank": i + 1} for i, s in enumerate(snaps)]


def _measure_rows() -> list[dict[str, Any]]:
    """指标说明: every measure with its references and its weight inside its sub-index."""
    weights = services.index_weights()
    return [{"subindex": m.subindex, "label": m.label, "worst": m.worst, "best": m.best, "weight": weights.of(m),
             "admin_weight": bool(m.weight_setting)} for m in idx.MEASURES]


def dashboard(request: HttpRequest) -> HttpResponse:
    """驾驶舱: a supervisor's region (or a child region via ?region=), an officer's department."""
    user: Any = request.user
    require(request, access_supervision_view(user))
    month = _month(request)
    latest = selectors.latest_month()
    months = selectors.months_back(latest, 12) if latest else []
    context: dict[str, Any] = {"month": month, "months": [selectors.month_key(m) for m in months],
                               "month_key": selectors.month_key(month) if month else "",
                               "measures": _measure_rows(), "subindices": idx.SUBINDICES,
                               "settings": selectors.settings_current(), "tags": RATING_TAGS}
    if user.role == Role.OFFICER:
        dept = user.department
        snaps = selectors.department_snapshots(month=month, region="", department_id=getattr(dept, "pk", -1)) if month else []
        context.update(officer=True, department=dept, snap=snaps[0] if snaps else None,
                       figures=_figures(snaps[0] if snaps else None),
                       trend=selectors.trend(region="", last=month, department_id=getattr(dept, "pk", -1)) if month else [],
                       orders=selectors.orders_for(user)[:20], cases=selectors.cases_for(user)[:20])
        return render(request, "supervision/dashboard.html", context)
    region = request.GET.get("region") or selectors.scope_region(user)
    require(request, access_index_region(user, region))
    snap = selectors.region_snapshot(month=month, region=region) if month else None
    children = selectors.child_snapshots(month=month, region=region) if month else []
    context.update(
        region=region, region_name=selectors.region_label(region), snap=snap, figures=_figures(snap),
        rows=_rows(children), departments=_rows(selectors.department_snapshots(month=month, region=region)) if month else [],
        trend=selectors.trend(region=region, last=month) if month else [],
        map_file=selectors.boundary_map_file(region), parent=snap.parent if snap else "",
        chart_rows=[{"code": r.region, "name": selectors.region_label(r.region),
                     "score": float(r.score) if r.score is not None else None, "colour": r.colour} for r in children],
        missed=selectors.missed_and_wrong(region=region), orders=selectors.orders_for(user).filter(
            target_region__startswith=region.rstrip("0"))[:20],
        may_recompute=access_index_recompute(user), may_settings=access_index_settings_edit(user),
        may_raise=access_order_raise(user, region))
    return render(request, "supervision/dashboard.html", context)


def department(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: one department's items reaching a region, with application counts and ratings."""
    user: Any = request.user
    require(request, access_supervision_view(user))
    dept = get_object_or_404(Department, pk=pk)
    region = request.GET.get("region") or selectors.scope_region(user)
    if user.role == Role.OFFICER:
        require(request, user.department_id == dept.pk)
    else:
        require(request, access_index_region(user, region))
    items = [{"item": it, "rating": selectors.item_rating(it),
              "applications": selectors.applications_of(item=it, region=region).count()}
             for it in selectors.items_of(region=region, department_id=dept.pk)]
    return render(request, "supervision/department.html", {"department": dept, "region": region,
                                                            "region_name": selectors.region_label(region), "items": items})


def item(request: HttpRequest, pk: int) -> HttpResponse:
    """Drill-down: the applications behind an item's figures in a region."""
    user: Any = request.user
    require(request, access_supervision_view(user))
    it = get_object_or_404(PolicyItem, pk=pk)
    region = request.GET.get("region") or selectors.scope_region(user)
    if user.role == Role.OFFICER:
        require(request, user.department_id == it.department_id)
    else:
        require(request, access_index_region(user, region))
    return render(request, "supervision/item.html", {
        "item": it, "region": region, "region_name": selectors.region_label(region),
        "applications": selectors.applications_of(item=it, region=region)[:200], "rating": selectors.item_rating(it)})


def export(request: HttpRequest) -> HttpResponse:
    """The month's report as an Excel file (text cells are plain values, never formulas)."""
    from openpyxl import Workbook

    user: Any = request.user
    require(request, access_supervision_view(user) and user.role == Role.SUPERVISOR)
    month = _month(request)
    if month is None:
        raise Http404("还没有指数数据")
    region = request.GET.get("region") or selectors.scope_region(user)
    require(request, access_index_region(user, region))
    wb = Workbook()
    ws = wb.active
    ws.title = "区域排名"
    ws.append([f"{selectors.region_label(region)} {month:%Y年%m月} 惠企政策兑现指数"])
    ws.append(["排名", "区划", "区划代码", "力度", "速度", "便利度", "满意度", "总指数", "三色"]
              + [label for _n, label in FIGURE_LABELS])
    colour = {"green": "绿", "yellow": "黄", "red": "红", "": "—"}

    def text(value: Any) -> Any:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            return "'" + value  # never a formula
        return value

    for i, s in enumerate(selectors.child_snapshots(month=month, region=region), start=1):
        ws.append([i, text(selectors.region_label(s.region)), text(s.region)]
                  + [float(v) if v is not None else None for v in (s.strength, s.speed, s.convenience,
                                                                   s.satisfaction, s.score)]
                  + [colour.get(s.colour, "")] + [text(_fmt(n, s.figures.get(n))) for n, _l in FIGURE_LABELS])
    ws2 = wb.create_sheet("部门排名")
    ws2.append(["排名", "部门", "力度", "速度", "便利度", "满意度", "总指数", "三色"])
    for i, s in enumerate(selectors.department_snapshots(month=month, region=region), start=1):
        ws2.append([i, text(s.department.name if s.department else "")] + [float(v) if v is not None else None for v in (
            s.strength, s.speed, s.convenience, s.satisfaction, s.score)] + [colour.get(s.colour, "")])
    ws3 = wb.create_sheet("指标说明")
    ws3.append(["分项", "指标", "最差参照", "最好参照", "分项内权重"])
    names = dict(idx.SUBINDICES)
    for m in _measure_rows():
        ws3.append([names[m["subindex"]], text(m["label"]), m["worst"], m["best"], m["weight"]])
    ws3.append([text("得分 = 限定在0到1之间的（指标值 − 最差参照）÷（最好参照 − 最差参照）× 100；分项指数为其有数据指标得分的加权平均；总指数为各分项按权重的加权平均")])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="supervision-{month:%Y-%m}-{region}.xlsx"'
    return response


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    require(request, access_index_recompute(request.user))
    try:
        month = selectors.month_start(request.POST.get("month", ""))
        n = services.index_snapshot_month(actor=request.user, month=month)
        messages.success(request, f"已重新计算 {month:%Y年%m月} 指数（{n} 条），并已留痕")
    except (ValueError, WorkflowError) as e:
        messages.error(request, str(e))
    return redirect(f"/supervision/?month={request.POST.get('month', '')}")


def settings_edit(request: HttpRequest) -> HttpResponse:
    require(request, access_index_settings_edit(request.user))
    if request.method == "POST":
        try:
            services.index_settings_update(actor=request.user, values=request.POST.dict())
            messages.success(request, "权重与阈值已保存（已留痕），重新计算后生效")
            return redirect("supervision:settings")
        except WorkflowError as e:
            messages.error(request, str(e))
    return render(request, "supervision/settings.html", {"settings": selectors.settings_current()})


# -- orders --------------------------------------------------------------------------------------


def orders(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request, access_supervision_view(user))
    if request.method == "POST":
        region = request.POST.get("target_region", "")
        require(request, access_order_raise(user, region))
        dept_id = request.POST.get("target_department") or None
        try:
            days = int(request.POST.get("days") or services.ORDER_DAYS)
            order = services.order_raise(
                actor=user, target_region=region, target_department=int(dept_id) if dept_id else None,
                reason=request.POST.get("reason", ""), source=request.POST.get("source", "manual"),
                figures={"说明": request.POST.get("figures", "")[:500]}, days=days)
        except (ValueError, WorkflowError) as e:
            messages.error(request, str(e) if isinstance(e, WorkflowError) else "整改期限应为整数（工作日）")
            return redirect(f"/supervision/orders/?region={region}")
        messages.success(request, f"已下发 {order.number}")
        return redirect("supervision:order", pk=order.pk)
    initial = {k: request.GET.get(k, "") for k in ("region", "source", "reason", "department")}
    return render(request, "supervision/orders.html", {
        "orders": selectors.orders_for(user)[:200], "initial": initial,
        "sources": SupervisionOrder.Source.choices, "may_raise": user.role == Role.SUPERVISOR,
        "departments": Department.objects.order_by("region", "name")})


def order(request: HttpRequest, pk: int) -> HttpResponse:
    o = get_object_or_404(SupervisionOrder.objects.select_related("target_department"), pk=pk)
    require(request, access_order_view(request.user, o))
    if request.method == "POST":
        name = request.POST.get("action", "")
        text = request.POST.get("text", "")
        try:
            if name == "acknowledge":
                services.order_acknowledge(actor=request.user, order=o)
            elif name in {"reply", "reply_again"}:
                services.order_reply(actor=request.user, order=o, text=text)
            elif name == "accept":
                services.order_accept(actor=request.user, order=o, note=text)
            elif name == "return":
                services.order_return(actor=request.user, order=o, note=text)
            elif name == "close":
                services.order_close(actor=request.user, order=o)
            else:
                raise WorkflowError("未知操作")
            messages.success(request, "已办理")
        except WorkflowError as e:
            messages.error(request, str(e))
        return redirect("supervision:order", pk=o.pk)
    return render(request, "supervision/order.html", {
        "order": o, "actions": workflow.available(user=request.user, order=o),
        "region_name": selectors.region_label(o.target_region)})


def results(request: HttpRequest) -> HttpResponse:
    """Public: accepted 整改 results (no login)."""
    return render(request, "supervision/results.html", {
        "orders": [{"order": o, "region_name": selectors.region_label(o.target_region)}
                   for o in selectors.orders_published()[:200]]})


# -- ratings -------------------------------------------------------------------------------------


def ratings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request, getattr(user, "role", None) == Role.ENTERPRISE and user.is_active)
    return render(request, "supervision/ratings.html", {
        "pending": selectors.rateable_for(user), "mine": selectors.ratings_for_enterprise(user.enterprise_id)})


def rate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user: Any = request.user
    try:
        target = services.rating_target(kind=kind, pk=pk)
    except services.RatingRefused:
        raise Http404("没有找到评价对象") from None
    require(request, access_rate(user, target.enterprise_id))
    field = "application" if kind == "application" else "entitlement"
    existing = Rating.objects.filter(**{field: target}).first()
    if request.method == "POST":
        tags = request.POST.getlist("tags")
        try:
            if existing is None:
                services.rating_create(actor=user, kind=kind, pk=pk, score=request.POST.get("score"),
                                       comment=request.POST.get("comment", ""), tags=tags)
            else:
                services.rating_update(actor=user, rating=existing, score=request.POST.get("score"),
                                       comment=request.POST.get("comment", ""), tags=tags)
            messages.success(request, "感谢您的评价")
            return redirect("supervision:ratings")
        except services.RatingRefused as e:
            messages.error(request, str(e))
    return render(request, "supervision/rate.html", {
        "target": target, "kind": kind, "existing": existing, "tags": RATING_TAGS,
        "title": target.item.title, "ref": target.reference if isinstance(target, Application) else f"{target.period} 免申即享"})


def cases(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request, access_supervision_view(user))
    return render(request, "supervision/cases.html", {"cases": selectors.cases_for(user)[:200],
                                                      "may_raise": user.role == Role.SUPERVISOR})


def case(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(PoorRatingCase.objects.select_related("rating__item", "rating__enterprise"), pk=pk)
    require(request, access_case_view(request.user, c))
    if request.method == "POST":
        try:
            services.case_answer(actor=request.user, case=c, reply=request.POST.get("reply", ""))
            messages.success(request, "整改答复已提交")
        except WorkflowError as e:
            messages.error(request, str(e))
        return redirect("supervision:case", pk=c.pk)
    return render(request, "supervision/case.html", {"case": c, "may_answer": access_case_answer(request.user, c)})
