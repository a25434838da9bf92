"""Pages of 兑现拨付: 免申即享 runs, the public 公示 with its objection form, budgets, payment
batches with bank files, 不应享错享 suspects, and the enterprise's own entitlements."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from huiqi.accounts.access import access_own_enterprise_pages
from huiqi.core.access_views import require
from huiqi.core.ratelimit import over_limit
from huiqi.policies.models import PolicyItem
from huiqi.policies.services import policy_item_update

from . import access, bankfiles, selectors, services
from .models import AutoRun, Entitlement, LedgerEntry, Objection, PaymentBatch, PaymentLine, RunLine
from .services import AlreadyPaid, BudgetExceeded, DisbursementError
from .workflow import WorkflowError, run_allowed

View = Callable[..., HttpResponse]


def _refusals(view: View) -> View:
    """Turn a service's refusal into a message on the page the user came from (or a 403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from exc
        except (DisbursementError, WorkflowError, BudgetExceeded, AlreadyPaid) as exc:
            messages.error(request, str(exc))
            return redirect(request.META.get("HTTP_REFERER") or _page_of(request.path))

    return wrapper


def _page_of(path: str) -> str:
    """The page an action URL belongs to (…/action/, …/export/, …/batch/ → its parent)."""
    for suffix in ("action/", "export/", "batch/"):
        if path.endswith("/" + suffix):
            return path[: -len(suffix)]
    return "/disbursement/" if path.endswith("/runs/") else path


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if access_own_enterprise_pages(user):
        return redirect("disbursement:mine")
    require(request, access.access_disbursement_home(user))
    return render(request, "disbursement/index.html", {
        "auto_items": selectors.auto_items(viewer=user),
        "runs": selectors.runs_visible(viewer=user)[:50],
        "batches": selectors.batches_visible(viewer=user)[:20],
        "breaches": selectors.cash_breach_count(viewer=user),
        "default_period": str(timezone.localdate().year - 1),
    })


MAX_TERM_DAYS = 60


@require_POST
def item_terms(request: HttpRequest, item_id: int) -> HttpResponse:
    """The 公示 length (0 where the policy needs none) and the promised working days to money,
    set per item by its department's officer."""
    item = get_object_or_404(PolicyItem, pk=item_id)
    require(request, access.access_run_manage(request.user, item))
    values: dict[str, int] = {}
    for field, label in (("publicity_days", "公示期"), ("cash_days", "兑现时限")):
        text = request.POST.get(field, "").strip()
        if not text.isdigit() or int(text) > MAX_TERM_DAYS:
            messages.error(request, f"“{item.title}”的{label}应为 0 至 {MAX_TERM_DAYS} 的整数（工作日）")
            return redirect("disbursement:index")
        values[field] = int(text)
    policy_item_update(actor=request.user, item=item, **values)
    total = values["publicity_days"] + values["cash_days"]
    messages.success(request, f"已保存：“{item.title}”公示 {values['publicity_days']} 个工作日，"
                              f"公示期满后 {values['cash_days']} 个工作日内拨付（确认名单后最迟 {total} 个工作日到账）")
    return redirect("disbursement:index")


@require_POST
@_refusals
def run_create(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PolicyItem, pk=item_id)
    require(request, access.access_run_manage(request.user, item))
    run = services.run_create(actor=request.user, item=item, period=request.POST.get("period", ""))
    messages.success(request, f"已生成名单：{run.lines.count()} 家企业，请判定待定企业后确认公示")
    return redirect("disbursement:run", pk=run.pk)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AutoRun.objects.select_related("item"), pk=pk)
    require(request, access.access_run_view(request.user, run.item))
    today = timezone.localdate()
    return render(request, "disbursement/run.html", {
        "run": run, "groups": selectors.run_lines(run), "objections": run.objections.select_related("line__enterprise"),
        "can_manage": access.access_run_manage(request.user, run.item),
        "actions": {t.name for t in run_allowed(user=request.user, run=run)},
        "publicity_over": services.run_publicity_over(run, today), "budget": services.budget_of(run.item),
    })


@require_POST
@_refusals
def run_action(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(AutoRun.objects.select_related("item"), pk=pk)
    require(request, access.access_run_manage(request.user, run.item))
    op, post = request.POST.get("op", ""), request.POST
    if op == "decide":
        line = get_object_or_404(RunLine, pk=post.get("line"), run=run)
        services.run_line_decide(actor=request.user, line=line, include=post.get("include") == "1",
                                 amount=post.get("amount") or None, reason=post.get("reason", ""))
        messages.success(request, f"已判定：{line.enterprise.name}")
    elif op == "decide_all":
        decided = services.run_lines_decide_pending(actor=request.user, run=run, include=post.get("include") == "1",
                                                    reason=post.get("reason", ""))
        messages.success(request, f"已{'纳入' if post.get('include') == '1' else '不纳入'} {decided} 家待判定企业")
    elif op == "confirm":
        services.run_confirm(actor=request.user, run=run)
        messages.success(request, f"名单已确认，公示至 {run.publicity_ends_on:%Y-%m-%d}")
    elif op == "cancel":
        services.run_cancel(actor=request.user, run=run, reason=post.get("reason", ""))
        messages.success(request, "批次已撤销")
    elif op == "resolve":
        objection = get_object_or_404(Objection, pk=post.get("objection"), run=run)
        services.objection_resolve(actor=request.user, objection=objection, uphold=post.get("uphold") == "1",
                                   reply=post.get("reply", ""))
        messages.success(request, "异议已处理")
    elif op == "to_payment":
        granted = services.run_to_payment(actor=request.user, run=run)
        messages.success(request, f"已转入拨付：{len(granted)} 家企业")
    else:
        messages.error(request, f"未知操作：{op}")
    return redirect("disbursement:run", pk=run.pk)


OBJECTION_LIMIT_MESSAGE = "提交过于频繁：每小时最多提交 {limit} 条异议"


def notices(request: HttpRequest) -> HttpResponse:
    """The public list of 公示: no login, linked from the home page and the item pages."""
    page = Paginator(selectors.public_notices(), 20).get_page(request.GET.get("page"))
    return render(request, "disbursement/notices.html", {"page": page, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The public 公示 page: no login; credit codes masked; anyone may object while it runs."""
    run = selectors.notice_for_public(pk)
    if run is None:
        return render(request, "disbursement/notice_missing.html", status=404)
    today = timezone.localdate()
    open_for_objections = run.status == AutoRun.Status.PUBLICIZING and not services.run_publicity_over(run, today)
    form: dict[str, str] = {}
    refused = over_limit(request, "objection", OBJECTION_LIMIT_MESSAGE) if request.method == "POST" else ""
    if refused:
        messages.error(request, refused)
    elif request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("name", "contact", "content", "line")}
        line = RunLine.objects.filter(pk=form["line"], run=run).first() if form["line"].isdigit() else None
        try:
            services.objection_file(run=run, name=form["name"], contact=form["contact"], content=form["content"],
                                    line=line)
        except DisbursementError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "异议已提交，主管部门将核实处理。")
            return redirect("disbursement:notice", pk=run.pk)
    return render(request, "disbursement/notice.html", {
        "run": run, "rows": selectors.notice_rows(run), "open_for_objections": open_for_objections, "form": form,
    })


def budget_list(request: HttpRequest) -> HttpResponse:
    require(request, access.access_disbursement_home(request.user))
    return render(request, "disbursement/budget.html", {"rows": selectors.budget_rows(viewer=request.user),
                                                        "breaches": selectors.cash_breach_count(viewer=request.user)})


PROMISE_LIGHTS = (("red", "逾期未兑付"), ("yellow", "即将到期"), ("green", "正常"), ("paused", "补正中"),
                  ("done", "已办结"))


def promises(request: HttpRequest) -> HttpResponse:
    """承诺兑现时限: every promise of the viewer's items with its light; 逾期未兑付 first."""
    require(request, access.access_disbursement_home(request.user))
    light = request.GET.get("light", "")
    if light not in dict(PROMISE_LIGHTS):
        light = ""
    counts = [(key, label, selectors.cash_promises_visible(viewer=request.user, light=key).count())
              for key, label in PROMISE_LIGHTS]
    rows = selectors.cash_promises_visible(viewer=request.user, light=light)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "disbursement/promises.html", {
        "page": page, "light": light, "counts": counts})


def budget_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PolicyItem, pk=item_id)
    require(request, access.access_payments_view(request.user, item))
    entitlements = Entitlement.objects.filter(item=item).select_related("enterprise").order_by("status", "enterprise__name")
    return render(request, "disbursement/budget_item.html", {
        "item": item, "budget": services.budget_of(item), "entitlements": entitlements,
        "granted_count": entitlements.filter(status=Entitlement.Status.GRANTED).count(),
        "can_pay": access.access_pay(request.user, item),
        "batches": PaymentBatch.objects.filter(item=item).order_by("-created_at"),
    })


@require_POST
@_refusals
def batch_create(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PolicyItem, pk=item_id)
    require(request, access.access_pay(request.user, item))
    batch, skipped = services.batch_create(actor=request.user, item=item)
    messages.success(request, f"已编制拨付批次 {batch.code}：{batch.lines.count()} 笔")
    if skipped:
        messages.warning(request, "以下企业未登记收款账户，未编入批次：" + "、".join(skipped[:20]))
    return redirect("disbursement:batch", pk=batch.pk)


def batch_list(request: HttpRequest) -> HttpResponse:
    require(request, access.access_disbursement_home(request.user))
    return render(request, "disbursement/batches.html", {"batches": selectors.batches_visible(viewer=request.user)})


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch.objects.select_related("item"), pk=pk)
    require(request, access.access_payments_view(request.user, batch.item))
    lines = batch.lines.select_related("entitlement__enterprise")
    entries = LedgerEntry.objects.filter(line__batch=batch).select_related("entitlement__enterprise")
    return render(request, "disbursement/batch.html", {
        "batch": batch, "lines": lines, "entries": entries, "can_pay": access.access_pay(request.user, batch.item),
        "pending": lines.filter(status=PaymentLine.Status.PENDING).count(),
        "total": sum((ln.amount for ln in lines), Decimal(0)), "form_key": uuid.uuid4().hex,
    })


@_refusals
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch.objects.select_related("item"), pk=pk)
    bank = request.GET.get("bank") == "1"
    if bank and request.method != "POST":
        raise PermissionDenied("银行文件须通过页面按钮导出")
    rows = bankfiles.export_rows(actor=request.user, batch=batch, bank=bank)
    stem = f"{batch.code}-{'银行拨付文件' if bank else '拨付清单'}"
    if request.GET.get("fmt") == "xlsx":
        body = bankfiles.to_xlsx(rows, title=batch.code)
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        filename = f"{stem}.xlsx"
    else:
        response = HttpResponse(bankfiles.to_csv(rows), content_type="text/csv; charset=utf-8")
        filename = f"{stem}.csv"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@_refusals
def batch_action(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch.objects.select_related("item"), pk=pk)
    require(request, access.access_pay(request.user, batch.item))
    op, post = request.POST.get("op", ""), request.POST
    if op == "confirm_paid":
        entries = services.batch_confirm_paid(actor=request.user, batch=batch, idempotency_key=post.get("key", ""),
                                              reference=post.get("reference", ""))
        messages.success(request, f"已确认拨付 {len(entries)} 笔")
    elif op == "import":
        upload = request.FILES.get("file")
        if upload is None:
            raise DisbursementError("请选择银行回单文件（.csv 或 .xlsx）")
        if upload.size and upload.size > 10 * 1024 * 1024:
            raise DisbursementError("回单文件不能超过 10 MB")
        report = bankfiles.import_results(actor=request.user, batch=batch, filename=upload.name or "",
                                          content=upload.read())
        messages.success(request, f"回单已导入：到账 {report.paid} 笔，失败 {report.failed} 笔，此前已处理 {report.unchanged} 笔")
    elif op in {"fail", "retry", "return"}:
        line = get_object_or_404(PaymentLine, pk=post.get("line"), batch=batch)
        if op == "fail":
            services.line_fail(actor=request.user, line=line, reason=post.get("reason", ""))
        elif op == "retry":
            new_line = services.line_retry(actor=request.user, line=line)
            messages.success(request, f"已重新编入批次 {new_line.batch.code}")
        else:
            services.line_return(actor=request.user, line=line, reason=post.get("reason", ""))
    elif op == "reverse":
        entry = get_object_or_404(LedgerEntry, pk=post.get("entry"), line__batch=batch)
        services.reversal_record(actor=request.user, entry=entry, reason=post.get("reason", ""),
                                 idempotency_key=post.get("key", ""))
        messages.success(request, "已冲正")
    else:
        messages.error(request, f"未知操作：{op}")
    return redirect("disbursement:batch", pk=batch.pk)


@require_http_methods(["GET", "POST"])
@_refusals
def suspects(request: HttpRequest) -> HttpResponse:
    require(request, access.access_suspects(request.user))
    if request.method == "POST":
        if request.POST.get("op") == "scan":
            found = services.suspects_scan()
            messages.success(request, f"核查完成：发现 {found} 个疑点")
        else:
            from .models import Suspect

            suspect = get_object_or_404(Suspect.objects.select_related("entitlement__item"), pk=request.POST.get("suspect"))
            services.suspect_resolve(actor=request.user, suspect=suspect, confirm=request.POST.get("confirm") == "1",
                                     note=request.POST.get("note", ""))
            messages.success(request, "疑点已处理")
        return redirect("disbursement:suspects")
    status = request.GET.get("status", "open")
    return render(request, "disbursement/suspects.html", {
        "suspects": selectors.suspects_visible(viewer=request.user, status=status), "status": status})


@require_http_methods(["GET", "POST"])
@_refusals
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(request, access_own_enterprise_pages(user))
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "account":
            services.bank_account_set(actor=user, enterprise=user.enterprise, account_name=request.POST.get("account_name", ""),
                                      bank_name=request.POST.get("bank_name", ""), number=request.POST.get("number", ""))
            messages.success(request, "收款账户已保存（账号加密存储）")
        elif op == "decline_line":
            line = get_object_or_404(RunLine, pk=request.POST.get("line"), enterprise_id=user.enterprise_id)
            services.run_line_decline(actor=user, line=line, reason=request.POST.get("reason", ""))
            messages.success(request, "已放弃")
        elif op == "decline":
            entitlement = get_object_or_404(Entitlement, pk=request.POST.get("entitlement"), enterprise_id=user.enterprise_id)
            services.entitlement_decline(actor=user, entitlement=entitlement, reason=request.POST.get("reason", ""))
            messages.success(request, "已放弃")
        return redirect("disbursement:mine")
    return render(request, "disbursement/mine.html", {
        "lines": selectors.my_run_lines(viewer=user), "entitlements": selectors.entitlements_visible(viewer=user),
        "entries": selectors.ledger_visible(viewer=user)[:50], "account": selectors.bank_account_of(viewer=user),
    })
