"""JSON API of disbursement: 免申即享 runs (policy officers run them), payment batches and ledger
entries (finance officers pay), item budgets; enterprises see only their own entitlements and
payments. Writes need a session with CSRF (django_auth); a payment needs an idempotency key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from huiqi.accounts.models import Role
from huiqi.core.apiparams import ObjectId
from huiqi.policies.models import PolicyItem

from . import access, selectors, services
from .models import AutoRun, Objection, PaymentBatch
from .schemas import (
    BatchOut,
    BudgetOut,
    EntitlementOut,
    EntryOut,
    PayIn,
    PaymentLineOut,
    RunDetailOut,
    RunLineOut,
    RunOut,
)
from .services import AlreadyPaid, BudgetExceeded, DisbursementError
from .workflow import WorkflowError

router = Router(tags=["兑现拨付"])
MAX_PAGE = 200


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "请先登录")
    return user


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _run(run: AutoRun) -> dict[str, Any]:
    public = run.status in (AutoRun.Status.PUBLICIZING, AutoRun.Status.GRANTED)
    return {"id": run.pk, "item_code": run.item.code, "item_title": run.item.title, "period": run.period,
            "status": run.status, "status_label": run.get_status_display(), "evaluated_on": run.evaluated_on,
            "publicity_starts_on": run.publicity_starts_on, "publicity_ends_on": run.publicity_ends_on,
            "pay_due_on": run.pay_due_on, "notice_url": f"/disbursement/notices/{run.pk}/" if public else None}


def _run_detail(run: AutoRun) -> dict[str, Any]:
    lines = [RunLineOut(enterprise=ln.enterprise.name, uscc=ln.enterprise.uscc, match_status=ln.match_status,
                        decision=ln.decision, amount=_money(ln.amount), amount_min=f"{ln.amount_min:.2f}",
                        amount_max=_money(ln.amount_max), reason=ln.decision_reason, declined=ln.declined_at is not None)
             for ln in run.lines.select_related("enterprise").order_by("enterprise__name")]
    return {**_run(run), "lines": lines,
            "open_objections": run.objections.filter(status=Objection.Status.OPEN).count()}


@router.get("/disbursement/runs", response=list[RunOut], summary="免申即享批次列表")
def runs(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    user = _user(request)
    if not access.access_disbursement_home(user):
        raise HttpError(403, "无权查看免申即享批次")
    qs = selectors.runs_visible(viewer=user)
    if status:
        qs = qs.filter(status=status)
    return [_run(run) for run in qs[:MAX_PAGE]]


@router.get("/disbursement/runs/{run_id}", response=RunDetailOut, summary="免申即享批次详情（含名单）")
def run_detail(request: HttpRequest, run_id: ObjectId) -> dict[str, Any]:
    user = _user(request)
    run = get_object_or_404(AutoRun.objects.select_related("item"), pk=run_id)
    if not access.access_run_view(user, run.item):
        raise HttpError(403, "无权查看该批次")
    return _run_detail(run)


@router.post("/disbursement/runs/{run_id}/confirm", response=RunDetailOut, auth=django_auth,
             summary="确认名单并开始公示（政策专员）")
def run_confirm(request: HttpRequest, run_id: ObjectId) -> dict[str, Any]:
    user = _user(request)
    run = get_object_or_404(AutoRun.objects.select_related("item"), pk=run_id)
    try:
        services.run_confirm(actor=user, run=run)
    except PermissionError as exc:
        raise HttpError(403, str(exc)) from exc
    except (DisbursementError, WorkflowError, BudgetExceeded) as exc:
        raise HttpError(409, str(exc)) from exc
    return _run_detail(run)


def _batch(batch: PaymentBatch, *, with_lines: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": batch.pk, "code": batch.code, "item_code": batch.item.code, "status": batch.status,
                           "created_at": batch.created_at}
    if with_lines:
        out["lines"] = [PaymentLineOut(code=ln.code, enterprise=ln.entitlement.enterprise.name, amount=f"{ln.amount:.2f}",
                                       account=ln.account_masked, status=ln.status, failure_reason=ln.failure_reason)
                        for ln in batch.lines.select_related("entitlement__enterprise")]
    return out


@router.get("/disbursement/batches", response=list[BatchOut], summary="拨付批次列表")
def batches(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if not access.access_disbursement_home(user):
        raise HttpError(403, "无权查看拨付批次")
    return [_batch(b, with_lines=False) for b in selectors.batches_visible(viewer=user)[:MAX_PAGE]]


@router.get("/disbursement/batches/{batch_id}", response=BatchOut, summary="拨付批次详情（账号脱敏）")
def batch_detail(request: HttpRequest, batch_id: ObjectId) -> dict[str, Any]:
    user = _user(request)
    batch = get_object_or_404(PaymentBatch.objects.select_related("item"), pk=batch_id)
    if not access.access_payments_view(user, batch.item):
        raise HttpError(403, "无权查看该批次")
    return _batch(batch, with_lines=True)


@router.post("/disbursement/batches/{batch_id}/pay", response=BatchOut, auth=django_auth,
             summary="确认批次已拨付（财政人员；同一 idempotency_key 重复提交只记一次）")
def batch_pay(request: HttpRequest, batch_id: ObjectId, payload: PayIn) -> dict[str, Any]:
    user = _user(request)
    batch = get_object_or_404(PaymentBatch.objects.select_related("item"), pk=batch_id)
    try:
        services.batch_confirm_paid(actor=user, batch=batch, idempotency_key=payload.idempotency_key,
                                    reference=payload.reference)
    except PermissionError as exc:
        raise HttpError(403, str(exc)) from exc
    except (AlreadyPaid, DisbursementError, WorkflowError, BudgetExceeded) as exc:
        raise HttpError(409, str(exc)) from exc
    batch.refresh_from_db()
    return _batch(batch, with_lines=True)


@router.get("/disbursement/entries", response=list[EntryOut], summary="资金台账（企业只见本企业）")
def entries(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.ENTERPRISE and not access.access_disbursement_home(user):
        raise HttpError(403, "无权查看资金台账")
    return [{"id": e.pk, "kind": e.kind, "amount": f"{e.amount:.2f}", "enterprise": e.entitlement.enterprise.name,
             "item_code": e.entitlement.item.code, "period": e.entitlement.period, "reference": e.reference, "at": e.at}
            for e in selectors.ledger_visible(viewer=user)[:MAX_PAGE]]


@router.get("/disbursement/entitlements", response=list[EntitlementOut], summary="兑现资格（企业只见本企业）")
def entitlements(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.role != Role.ENTERPRISE and not access.access_disbursement_home(user):
        raise HttpError(403, "无权查看兑现资格")
    return [{"id": e.pk, "enterprise": e.enterprise.name, "item_code": e.item.code, "item_title": e.item.title,
             "period": e.period, "amount": f"{e.amount:.2f}", "source": e.source, "status": e.status,
             "pay_due_on": e.pay_due_on} for e in selectors.entitlements_visible(viewer=user)[:MAX_PAGE]]


@router.get("/disbursement/budget/{item_id}", response=BudgetOut, summary="事项资金预算使用情况")
def budget(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    user = _user(request)
    item = get_object_or_404(PolicyItem, pk=item_id)
    if not access.access_payments_view(user, item):
        raise HttpError(403, "无权查看该事项资金")
    status = services.budget_of(item)
    return {"item_code": item.code, "budget": _money(status.budget), "granted": f"{status.granted:.2f}",
            "paid": f"{status.paid:.2f}", "committed": f"{status.committed:.2f}", "remaining": _money(status.remaining),
            "percent": status.percent, "level": status.level}
