"""Pages of the enterprise portal: 一键匹配 (anyone), 我的政策 (enterprise users), 补充数据,
订阅, one-click unsubscribe, and the officers' 应享未享 list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from huiqi.accounts.access import (
    access_enterprise_correct,
    access_enterprise_own,
    access_match_jobs,
    access_own_enterprise_pages,
)
from huiqi.accounts.models import Department
from huiqi.core.access_views import require
from huiqi.core.ratelimit import over_limit
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.values import parse_field_path

from .models import Subscription
from .selectors import (
    AmbiguousName,
    find_enterprise_exact,
    missed_entitlements,
    my_matches,
    quick_match,
    remind_workdays,
    suggest_enterprises,
)
from .services import (
    reminded,
    subscription_cancel,
    subscription_create,
    subscription_of_token,
    supplement_submit,
    unsubscribe_by_token,
)


def quick_match_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    context: dict[str, object] = {"q": q}
    if q:
        message = over_limit(request, "quick")
        if message:
            context["error"] = message
            return render(request, "portal/quick_match.html", context, status=429)
        try:
            enterprise = find_enterprise_exact(q=q)
        except AmbiguousName:
            enterprise = None
            context["error"] = "有多家企业使用该名称，请输入统一社会信用代码"
        if enterprise is not None:
            context["result"] = quick_match(enterprise=enterprise, on=timezone.localdate())
            context["own"] = access_enterprise_own(request.user, enterprise.pk)
        elif "error" not in context:
            context["suggestions"] = suggest_enterprises(q=q)
            context["error"] = "未找到该企业：请输入完整的企业名称或 18 位统一社会信用代码，或从下方联想中选择"
    return render(request, "portal/quick_match.html", context)


def _own_enterprise(request: HttpRequest) -> Enterprise:
    user = request.user
    require(request, access_own_enterprise_pages(user))
    enterprise = getattr(user, "enterprise", None)
    assert isinstance(enterprise, Enterprise)
    return enterprise


def my_page(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    matches = my_matches(enterprise=enterprise, on=timezone.localdate())
    return render(request, "portal/my.html", {"m": matches, "enterprise": enterprise})


def supplement_page(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    require(request, access_enterprise_correct(request.user, enterprise))
    field_path = (request.POST.get("field") or request.GET.get("field") or "").strip()
    try:
        target = parse_field_path(field_path)
    except ValueError:
        messages.error(request, f"无法补充“{field_path or '（未指定）'}”：请从“我的政策”中缺少数据的提示进入")
        return redirect("portal:my")
    context = {"field": field_path, "label": target.label, "item": request.GET.get("item", ""),
               "year": target.year, "unit_hint": "金额单位万元（如 3500），人数填整数，纳税信用等级填 A/B/M/C/D"}
    if request.method == "POST":
        value = request.POST.get("value", "")
        try:
            supplement_submit(actor=request.user, enterprise=enterprise, field_path=field_path, value=value,
                              reason=request.POST.get("reason", ""))
        except ValidationError as error:
            context["error"] = f"{target.label}：{'；'.join(error.messages)}"
            context["value"] = value
            return render(request, "portal/supplement.html", context, status=400)
        messages.success(request, f"已提交{target.label}，显示为“企业自报，待核实”；匹配结果正在重新计算。")
        return redirect("portal:my")
    return render(request, "portal/supplement.html", context)


def subscriptions_page(request: HttpRequest) -> HttpResponse:
    _own_enterprise(request)
    if request.method == "POST":
        try:
            subscription_create(actor=request.user, kind=request.POST.get("kind", ""),
                                value=request.POST.get("value", ""))
            messages.success(request, "已订阅：新的或变化的匹配、申报截止和应享未享提醒会发到消息中心和邮箱。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("portal:subscriptions")
    subs = Subscription.objects.filter(user_id=int(request.user.pk or 0))
    departments = {str(d.pk): d.name for d in Department.objects.all()}
    rows = [{"sub": s, "value_label": departments.get(s.value, s.value)} for s in subs]
    return render(request, "portal/subscriptions.html", {"rows": rows, "departments": departments.items(),
                                                          "kinds": Subscription.Kind.choices})


@require_POST
def subscription_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    _own_enterprise(request)
    sub = get_object_or_404(Subscription, pk=pk, user_id=request.user.pk)
    subscription_cancel(actor=request.user, subscription=sub)
    messages.success(request, f"已退订：{sub}")
    return redirect("portal:subscriptions")


@csrf_exempt  # the signed token is the credential (RFC 8058 one-click POST from mail clients)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET (a person, or a mail scanner prefetching the link) only asks for confirmation; the
    POST of the confirmation button unsubscribes."""
    try:
        if request.method == "POST":
            return render(request, "portal/unsubscribe.html", {"sub": unsubscribe_by_token(token=token), "done": True})
        sub = subscription_of_token(token)
    except ValidationError as error:
        return render(request, "portal/unsubscribe.html", {"error": "；".join(error.messages)}, status=400)
    return render(request, "portal/unsubscribe.html", {"sub": sub, "done": not sub.active})


def missed_page(request: HttpRequest) -> HttpResponse:
    require(request, access_match_jobs(request.user))
    rows = missed_entitlements(on=timezone.localdate(), region=getattr(request.user, "region", "") or "")
    listing = [{"m": m, "reminded": reminded(enterprise=m.enterprise, item=m.item)} for m in rows]
    return render(request, "portal/missed.html", {"rows": listing, "workdays": remind_workdays()})
