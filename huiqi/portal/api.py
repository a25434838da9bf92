"""JSON API of the enterprise portal: 一键匹配, an enterprise's matches, the policy library."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from huiqi.accounts.access import access_enterprise_view
from huiqi.core.apiparams import PageNumber
from huiqi.core.ratelimit import over_limit
from huiqi.core.workflow import FormErrors
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyItem
from huiqi.policies.search import search_items

from . import calculator
from .explaining import amount_text
from .selectors import AmbiguousName, find_enterprise_exact, my_matches, quick_match, suggest_enterprises

router = Router(tags=["政策找企"])
MAX_PAGE = 100


@router.get("/quick-match/suggest", summary="一键匹配：企业名称/信用代码联想（最多 5 条）")
def quick_match_suggest(request: HttpRequest, q: str = "") -> dict[str, Any]:
    message = over_limit(request, "suggest")
    if message:
        raise HttpError(429, message)
    return {"suggestions": suggest_enterprises(q=q)}


@router.get("/quick-match", summary="一键匹配：仅依据公开信息（完整企业名称或统一社会信用代码）")
def quick_match_api(request: HttpRequest, q: str = "", limit: PageNumber = 10) -> dict[str, Any]:
    """Each status lists its ``limit`` (at most 50) best items with reasons; totals count all."""
    message = over_limit(request, "quick")
    if message:
        raise HttpError(429, message)
    try:
        enterprise = find_enterprise_exact(q=q)
    except AmbiguousName:
        raise HttpError(409, "有多家企业使用该名称，请输入统一社会信用代码") from None
    if enterprise is None:
        raise HttpError(404, "未找到该企业：请输入完整的企业名称或 18 位统一社会信用代码")
    shown = max(1, min(limit, 50))
    return quick_match(enterprise=enterprise, on=timezone.localdate(), shown=shown).to_dict()


@router.get("/enterprises/{uscc}/matches", summary="企业的匹配结果（企业本身或辖区内的政府人员）")
def enterprise_matches(request: HttpRequest, uscc: str) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "请先登录")
    enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
    if enterprise is None or not access_enterprise_view(user, enterprise):
        # The same answer for "no such enterprise" and "not yours": no probing of the list.
        raise HttpError(404, "未找到该企业或无权查看")
    return my_matches(enterprise=enterprise, on=timezone.localdate()).to_dict()


def _item_summary(item: PolicyItem) -> dict[str, Any]:
    doc = getattr(item, "search_doc", None)
    return {
        "code": item.code, "title": item.title, "mode": item.mode, "support_type": item.support_type,
        "region": item.region, "level": item.document.level,
        "department": item.department.name if item.department else None,
        "doc": item.document.doc_number or item.document.title, "clause": item.clause_path,
        "window": {"start": item.window_start.isoformat() if item.window_start else None,
                   "end": item.window_end.isoformat() if item.window_end else None},
        "max_amount": None if doc is None or doc.amount_max is None else str(doc.amount_max),
        "max_amount_text": amount_text(Decimal(0), doc.amount_max) if doc is not None and doc.amount_max is not None
        else "按申报额计算",
        "tags": list(item.tags or []),
    }


@router.get("/policies", summary="政策库检索（分词全文检索，筛选与排序）")
def policies(request: HttpRequest, q: str = "", region: str = "", department: str = "", level: str = "",
             mode: str = "", support_type: str = "", open_now: bool = False, sort: str = "",
             offset: PageNumber = 0, limit: PageNumber = 20) -> dict[str, Any]:
    qs = search_items(q=q, region=region, department=department or None, level=level, mode=mode,
                      support_type=support_type, open_now=open_now, sort=sort).select_related("search_doc")
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    return {"count": qs.count(), "offset": offset, "limit": limit,
            "results": [_item_summary(item) for item in qs[offset:offset + limit]]}


@router.get("/policies/{code}", summary="政策事项详情")
def policy_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    item = get_object_or_404(PolicyItem.objects.select_related("document", "department", "search_doc"),
                             code=code, status=PolicyItem.Status.PUBLISHED)
    return _item_summary(item) | {
        "summary": item.summary, "target": item.target, "clause_text": item.clause_text,
        "conditions": item.conditions, "reward": item.reward, "materials": item.materials,
        "commitments": item.commitments, "exclusive_group": item.exclusive_group or None,
        "contact": item.contact, "legal_basis": item.legal_basis,
        "document": {"title": item.document.title, "issuer": item.document.issuer,
                     "issued_on": item.document.issued_on.isoformat() if item.document.issued_on else None},
    }


# -- 政策计算器 ---------------------------------------------------------------------------------


class CalculatorIn(Schema):
    region: str = Field("", description="所在地区：6 位行政区划代码（如 350582）或名称（如 泉州市晋江市）；空：不限")
    industry: str = Field("", description="所属行业：GB/T 4754-2017 代码（门类字母或 2～4 位数字，如 C、19、1951）或行业名称")
    qualifications: list[str] = Field([], description="已有资质的代码（资质目录，如 hnte 高新技术企业）")
    flags: dict[str, bool] = Field({}, description="信用记录：dishonest 失信主体、abnormal_operation 经营异常名录、"
                                                    "major_violation_3y 近三年重大违法违规；true 为被列入，不填为不清楚")
    figures: dict[str, str | int | float] = Field(
        {}, description="数据，按画像路径：years.<年度>.<字段>（如 years.2025.revenue 营业收入）、"
                        "input.<申报数据>（如 input.equipment_investment 设备投入）、registered_capital、established_on；"
                        "金额单位为元，比例为小数（0.15 即 15%），写成十进制字符串最精确")
    item: str = Field("", description="要重点查看的事项编码：它排在结果最前")


class CalculatorAmount(Schema):
    min: str = Field(description="最低金额（元，十进制字符串）")
    max: str | None = Field(description="最高金额（元，十进制字符串）；空：按申报额计算")
    text: str = Field(description="金额的中文表述")


class CalculatorMissing(Schema):
    key: str
    label: str


class CalculatorItemOut(Schema):
    code: str
    title: str
    verdict: str = Field(description="eligible 符合 / possible 可能符合 / ineligible 不符合")
    verdict_label: str
    amount: CalculatorAmount | None
    missing: list[CalculatorMissing] = Field(description="还缺的数据")
    needs: list[str] = Field(description="还需要的数据和审核确认事项（中文）")
    failed: list[str] = Field(description="不符合时未满足的条件（中文）")
    alternative_to: str | None = Field(None, description="同类政策就高不重复：被推荐的同组事项编码")


class CalculatorOut(Schema):
    items: list[CalculatorItemOut]
    figures: list[CalculatorMissing] = Field(description="已发布事项用到的数据项（figures 可填的键）")


@router.post("/calculator", response=CalculatorOut,
             summary="政策计算器：按地区、行业、资质和数据测算可享受的政策与金额（不保存任何输入）")
def calculator_api(request: HttpRequest, body: CalculatorIn) -> dict[str, Any]:
    """Every published item the figures would be eligible or possibly eligible for, then the
    items of the region they fail (with the failed conditions). Nothing sent is stored."""
    message = over_limit(request, "calculator")
    if message:
        raise HttpError(429, message)
    on = timezone.localdate()
    figures = calculator.published_figures(on=on)
    try:
        what = calculator.parse_input(body.dict(), figures=figures, catalogue=calculator.qualification_catalogue(),
                                      form_units=False)
    except FormErrors as refusal:
        raise HttpError(400, str(refusal)) from None
    result = calculator.calculate(what, on=on, focus_code=body.item.strip())
    out = result.to_dict()
    return {"items": out["items"], "figures": [{"key": f.key, "label": f.label} for f in figures]}
