"""JSON API of the enterprise portal: 一键匹配, an enterprise's matches, the policy library."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from huiqi.accounts.access import access_enterprise_view
from huiqi.core.apiparams import PageNumber
from huiqi.core.ratelimit import over_limit
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyItem
from huiqi.policies.search import search_items

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
