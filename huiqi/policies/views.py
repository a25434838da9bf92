"""Policy library pages: the public list and detail, workflow buttons, and 事项管理 for officers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cnstd.numbers import format_wan
from cnstd.regions import region_name
from huiqi.disbursement.selectors import public_notices

from . import selectors, workflow
from .models import Level, Mode, PolicyItem, SupportType
from .presentation import amount_label, condition_lines, days_left, reward_lines

PAGE_SIZE = 12


def _decorate(item: PolicyItem, today: object) -> PolicyItem:
    item.amount_text = amount_label(item.reward, item.per_enterprise_cap)  # type: ignore[attr-defined]
    item.days_left = days_left(item.window_end, today=today)  # type: ignore[attr-defined,arg-type]
    item.region_text = region_name(item.region) if item.region else ""  # type: ignore[attr-defined]
    item.cap_text = format_wan(item.per_enterprise_cap) if item.per_enterprise_cap else ""  # type: ignore[attr-defined]
    item.budget_text = format_wan(item.budget) if item.budget else ""  # type: ignore[attr-defined]
    item.expired = item.valid_to is not None and item.valid_to < today  # type: ignore[attr-defined,operator]
    return item


def policy_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = selectors.PolicyFilters.from_query(request.GET)
    items = selectors.search_published(viewer=request.user, filters=filters, today=today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        _decorate(item, today)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "policies/list.html", {
        "page": page, "filters": filters, "total": len(items), "query": urlencode(query),
        "regions": selectors.region_options(), "departments": selectors.department_options(),
        "levels": Level.choices, "modes": Mode.choices, "supports": SupportType.choices, "sorts": selectors.SORTS,
        "filtered": bool(query.keys() - {"sort"}), "can_manage": selectors.can_manage(request.user),
    })


def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_for_viewer(viewer=request.user, code=code)
    if item is None:
        raise Http404("没有找到该政策事项，或事项尚未发布")
    today = timezone.localdate()
    _decorate(item, today)
    vocab = selectors.vocabulary_for(item)
    transitions = (workflow.allowed_transitions(user=request.user, item=item)
                   if selectors.can_act_on(viewer=request.user, item=item) else [])
    review_days = sum(int(n.get("days") or 0) for n in item.review_nodes if isinstance(n, dict))
    group_items = selectors.exclusive_group_titles(item)
    my_application = selectors.live_application_of(viewer=request.user, item=item)
    return render(request, "policies/detail.html", {
        "item": item, "document": item.document,
        "condition_lines": condition_lines(item.conditions, vocab),
        "reward_lines": reward_lines(item.reward, vocab),
        "transitions": transitions, "review_days": review_days,
        "is_open": not item.expired and (  # type: ignore[attr-defined]
            item.window_end is None or (item.days_left is not None and item.days_left >= 0)),  # type: ignore[attr-defined]
        "group_items": group_items, "my_application": my_application,
        "notices": list(public_notices(item=item)[:1]) if item.mode == "免申即享" else [],
        "level_label": Level(item.document.level).label if item.document.level in Level.values else "",
        "document_region": region_name(item.document.region) if item.document.region else "",
    })


@login_required
@require_POST
def policy_transition(request: HttpRequest, code: str, name: str) -> HttpResponse:
    item = selectors.item_for_viewer(viewer=request.user, code=code)
    if item is None:
        raise Http404("没有找到该政策事项")
    if not selectors.can_act_on(viewer=request.user, item=item):
        raise PermissionDenied("无权处理该事项")
    detail_url = reverse("policies:detail", args=[item.code])
    seen = request.POST.get("status", "")
    if seen and seen != item.status:
        # The page the user acted on is stale: act only on what they saw (compare-and-set).
        messages.error(request, f"该事项已被他人处理（当前状态：{item.get_status_display()}），请查看最新状态后再操作")
        return HttpResponseRedirect(detail_url)
    try:
        workflow.transition(actor=request.user, item=item, name=name, note=request.POST.get("note", "")[:300])
    except workflow.WorkflowConflict as exc:
        messages.error(request, str(exc))
    except workflow.WorkflowError as exc:
        messages.error(request, f"“{item.title}”：{exc}")
    else:
        label = workflow.BY_NAME[name].label
        messages.success(request, f"“{item.title}”已{label}")
    return HttpResponseRedirect(detail_url)


@login_required
def policy_manage(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage(request.user):
        raise PermissionDenied("事项管理仅对政策专员、审核人员和督查人员开放")
    status = request.GET.get("status", "")
    qs = selectors.managed_items(viewer=request.user, status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for item in page.object_list:
        _decorate(item, today)
    counts = {s: selectors.managed_items(viewer=request.user, status=s).count() for s in PolicyItem.Status.values}
    return render(request, "policies/manage.html", {
        "page": page, "status": status, "statuses": PolicyItem.Status.choices, "counts": counts,
        "query": urlencode({"status": status}) if status else "",
    })
