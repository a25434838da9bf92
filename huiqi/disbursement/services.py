"""Every write of disbursement: granting entitlements against the item budget, 免申即享 runs and
their 公示, payment batches and the ledger, bank accounts, 不应享错享 suspects.

Each public function is keyword-only, runs in one transaction and leaves an audit event. Errors
shown to officers are Chinese and name the enterprise / row / field concerned."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from cnstd.workdays import CalendarYearMissing
from huiqi.accounts.access import user_covers_region
from huiqi.accounts.models import Role, User
from huiqi.audit.services import audit_record
from huiqi.core.crypto import decrypt_text, encrypt_text
from huiqi.core.deadlines import (
    ALERT_WORDS,
    Alert,
    Colour,
    SweepReport,
    deadline_pause,
    deadline_resume,
    deadline_start,
    sweep,
)
from huiqi.core.masking import mask_bank_account, mask_phone
from huiqi.core.retry import retry_conflicts
from huiqi.core.text import text_too_long
from huiqi.enterprises.models import Enterprise
from huiqi.notifications.reach import reach_enqueue
from huiqi.notifications.services import notify
from huiqi.policies.models import Mode, PolicyItem
from huiqi.workdays.selectors import work_calendar

from . import access
from .models import (
    AutoRun,
    BankAccount,
    CashPromise,
    Entitlement,
    LedgerEntry,
    Objection,
    PaymentBatch,
    PaymentLine,
    RunLine,
    Suspect,
)
from .workflow import WorkflowError, entitlement_transition, run_transition

log = logging.getLogger(__name__)

FEN = Decimal("0.01")
WARNING_RATIO = Decimal("0.9")
# Used when an item does not configure its own periods. 公示 of 5 working days is the usual Fujian
# practice for 免申即享 lists; 5 working days from the end of 公示 to cash matches 泉州's figure.
DEFAULT_PUBLICITY_DAYS = 5
DEFAULT_CASH_DAYS = 5


class BudgetExceeded(Exception):
    """The grant would take the item's committed money above its budget (100 % stop)."""


class AlreadyPaid(Exception):
    """The entitlement has already been paid by another request."""


class DisbursementError(ValueError):
    """A user-facing refusal (Chinese message)."""


def _bounded(value: str, *, label: str, limit: int = 300) -> str:
    """The text stripped, or a refusal when it is over ``limit`` (never cut silently)."""
    message = text_too_long((value or "").strip(), label=label, limit=limit)
    if message is not None:
        raise DisbursementError(message)
    return (value or "").strip()


MAX_AMOUNT = Decimal(10) ** 13  # 十万亿元: above any budget; NUMERIC(15,2)-safe


def _money(value: Decimal | int | str, *, field: str = "金额") -> Decimal:
    shown = str(value)[:40]
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
            raise InvalidOperation
        amount = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise DisbursementError(f"{field}“{shown}”不是有效金额") from exc
    return amount


def _yuan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{amount:,.2f} 元"


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# -- recipients ----------------------------------------------------------------------------------


def item_officers(item: PolicyItem) -> list[Any]:
    """The policy officers responsible for an item: its department's officers, else the region's."""
    qs = User.objects.filter(role=Role.OFFICER, is_active=True)
    if item.department_id:
        return list(qs.filter(department_id=item.department_id))
    return [u for u in qs if user_covers_region(u, item.region)]


def item_finance(item: PolicyItem) -> list[Any]:
    return [u for u in User.objects.filter(role=Role.FINANCE, is_active=True) if user_covers_region(u, item.region)]


def enterprise_users(enterprise_id: int) -> list[Any]:
    return list(User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True))


# -- budget --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetStatus:
    budget: Decimal | None
    granted: Decimal  # granted or in a batch, not yet paid
    paid: Decimal  # net of reversals, from the ledger
    committed: Decimal  # every active entitlement (granted + in batch + paid)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def ratio(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.committed / self.budget).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> str:
        return "—" if self.ratio is None else f"{self.ratio * 100:.1f}%"

    @property
    def level(self) -> str:
        """ok / warning (≥ 90 %) / stopped (100 %: no further grant fits)."""
        if self.ratio is None:
            return "ok"
        if self.ratio >= 1:
            return "stopped"
        return "warning" if self.ratio >= WARNING_RATIO else "ok"


def budget_of(item: PolicyItem) -> BudgetStatus:
    rows = Entitlement.objects.filter(item=item, status__in=Entitlement.ACTIVE).values("status").annotate(s=Sum("amount"))
    by_status = {r["status"]: r["s"] or Decimal(0) for r in rows}
    paid = LedgerEntry.objects.filter(entitlement__item=item).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    committed = sum(by_status.values(), Decimal(0))
    granted = by_status.get(Entitlement.Status.GRANTED, Decimal(0)) + by_status.get(Entitlement.Status.BATCHED, Decimal(0))
    return BudgetStatus(budget=item.budget, granted=granted, paid=paid, committed=committed)


def _budget_warning(item: PolicyItem, status: BudgetStatus) -> None:
    if status.level == "ok":
        return
    # The dedupe key makes the 90 % warning go out once per officer, however many grants follow.
    notify(recipients=item_officers(item) + item_finance(item), category="budget",
           title=f"《{item.title}》资金已使用 {status.percent}",
           body=(f"预算 {_yuan(status.budget)}，已核定及拨付 {_yuan(status.committed)}，"
                 f"剩余 {_yuan(status.remaining)}。达到 100% 后将停止新增兑现。"),
           link=f"/disbursement/budget/{item.pk}/", dedupe_key=f"budget-90:{item.pk}")


# -- entitlements --------------------------------------------------------------------------------


def _incentive_hold(enterprise_id: int) -> str:
    """The reason an enterprise's incentives are held (承诺必践), or "" when they are not."""
    from huiqi.commitments.selectors import active_hold

    hold = active_hold(enterprise_id)
    return hold.message if hold is not None else ""


def entitlement_grant(*, actor: Any, enterprise: Enterprise, item: PolicyItem, period: str, amount: Decimal,
                      source: str = "application", source_ref: str) -> Entitlement:
    """Record that `enterprise` is owed `amount` under `item` for `period`.

    Idempotent per (enterprise, item, period): a second call returns the first entitlement
    unchanged. The amount is cut to the item's per-enterprise cap. The item row is locked so that
    concurrent grants check the budget one after the other; a grant that would take the committed
    total above the budget raises BudgetExceeded; reaching 90 % warns the item's officers once.
    The caller decides whether `actor` may grant (reviewers after approval, the 免申即享 run)."""
    period = (period or "").strip()
    if not period or len(period) > 20:
        raise DisbursementError("兑现期间不能为空，且不超过20个字符")
    if source not in Entitlement.Source.values:
        raise DisbursementError(f"未知的兑现来源：{source}")
    requested = _money(amount, field="兑现金额")
    if requested <= 0:
        raise DisbursementError(f"{enterprise.name}：兑现金额必须大于0（收到 {requested}）")
    held = _incentive_hold(enterprise.pk)
    if held:
        audit_record(actor=actor, action="entitlement.grant", obj=item, result="denied",
                     after={"enterprise": enterprise.pk, "period": period, "amount": requested}, detail=held)
        raise DisbursementError(f"{enterprise.name}：{held}")

    def attempt() -> Entitlement | BudgetExceeded:
        with transaction.atomic():
            # FOR NO KEY UPDATE: grants of one item queue behind each other, but not behind the
            # worker, whose match-result inserts take FOR KEY SHARE on the item for the whole
            # (long) recompute. A plain FOR UPDATE waited on that and deadlocked.
            locked = PolicyItem.objects.select_for_update(no_key=True).get(pk=item.pk)
            existing = Entitlement.objects.filter(enterprise=enterprise, item=locked, period=period).first()
            if existing is not None:
                return existing
            granted = requested
            if locked.per_enterprise_cap is not None and granted > locked.per_enterprise_cap:
                granted = locked.per_enterprise_cap
            before = budget_of(locked)
            if locked.budget is not None and before.committed + granted > locked.budget:
                return BudgetExceeded(
                    f"《{locked.title}》预算不足：预算 {_yuan(locked.budget)}，已核定及拨付 {_yuan(before.committed)}，"
                    f"剩余 {_yuan(before.remaining)}，无法为“{enterprise.name}”核定 {_yuan(granted)}")
            return _create_entitlement(actor=actor, enterprise=enterprise, item=locked, period=period,
                                       granted=granted, requested=requested, source=source, source_ref=source_ref)

    outcome = retry_conflicts(attempt)
    if isinstance(outcome, BudgetExceeded):
        refusal = outcome
        # Recorded outside the (empty) transaction so that the refusal itself stays on the log.
        audit_record(actor=actor, action="entitlement.grant", obj=item, result="denied",
                     after={"enterprise": enterprise.pk, "period": period, "amount": requested}, detail=str(refusal))
        raise refusal
    return outcome


def _create_entitlement(*, actor: Any, enterprise: Enterprise, item: PolicyItem, period: str, granted: Decimal,
                        requested: Decimal, source: str, source_ref: str) -> Entitlement:
    """The write half of entitlement_grant, inside its transaction with the item row locked."""
    due = None
    if item.cash_days is not None:
        try:
            due = work_calendar().add_workdays(timezone.localdate(), item.cash_days)
        except CalendarYearMissing as exc:
            # Next year's holidays are published each November; a grant must not wait for them.
            log.warning("pay-by date of %s left open: %s", item.code, exc)
    entitlement = Entitlement.objects.create(
        enterprise=enterprise, item=item, period=period, amount=granted, requested_amount=requested,
        source=source, source_ref=source_ref[:60], pay_due_on=due,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="entitlement.grant", obj=entitlement,
                 after={"enterprise": enterprise.pk, "item": item.pk, "period": period, "amount": granted,
                        "requested": requested, "source": source, "source_ref": source_ref},
                 detail="超过单企上限，按上限核定" if granted != requested else "")
    if source == Entitlement.Source.APPLICATION:  # the promise made at submission now has its money
        CashPromise.objects.filter(key=application_promise_key(source_ref), entitlement__isnull=True).update(
            entitlement=entitlement)
    _budget_warning(item, budget_of(item))
    return entitlement


def entitlement_decline(*, actor: Any, entitlement: Entitlement, reason: str = "") -> Entitlement:
    """The enterprise gives up a granted, unpaid entitlement (its budget is released)."""
    reason = _bounded(reason, label="放弃理由")
    if not access.access_own_enterprise(actor, entitlement.enterprise_id):
        raise PermissionError("只能放弃本企业的兑现资格")
    with transaction.atomic():
        entitlement_transition(actor=actor, entitlement=entitlement, name="decline", note=reason or "企业放弃")
        cash_promise_drop(entitlement=entitlement, reason="企业放弃")
        audit_record(actor=actor, action="entitlement.decline", obj=entitlement, before={"status": "granted"},
                     after={"status": "declined"}, detail=reason)
    return entitlement


# -- bank accounts -------------------------------------------------------------------------------


def _account_digits(number: str) -> str:
    digits = "".join(number.split())
    if not digits.isdigit() or not 8 <= len(digits) <= 30:
        raise DisbursementError("银行账号应为8至30位数字（可含空格）")
    return digits


def bank_account_set(*, actor: Any, enterprise: Enterprise, account_name: str, bank_name: str,
                     number: str) -> BankAccount:
    """The enterprise registers or changes its receiving account. Only the token and the mask are stored."""
    if not access.access_own_enterprise(actor, enterprise.pk):
        raise PermissionError("只能维护本企业的收款账户")
    if not account_name.strip():
        raise DisbursementError("户名不能为空")
    if not bank_name.strip():
        raise DisbursementError("开户行不能为空")
    digits = _account_digits(number)
    with transaction.atomic():
        previous = BankAccount.objects.filter(enterprise=enterprise).first()
        before = None if previous is None else {"masked": previous.number_masked, "bank": previous.bank_name}
        account, _ = BankAccount.objects.update_or_create(enterprise=enterprise, defaults={
            "account_name": account_name.strip()[:200], "bank_name": bank_name.strip()[:200],
            "number_encrypted": encrypt_text(digits), "number_masked": mask_bank_account(digits), "updated_by": actor})
        audit_record(actor=actor, action="bank_account.set", obj=account, before=before,
                     after={"masked": account.number_masked, "bank": account.bank_name})
    return account


def bank_account_reveal(*, actor: Any, account: BankAccount, purpose: str) -> str:
    """The full account number, for the bank file only. Every reveal is an audit event."""
    number = decrypt_text(account.number_encrypted)
    audit_record(actor=actor, action="bank_account.reveal", obj=account,
                 after={"masked": account.number_masked}, detail=purpose[:500])
    return number


# -- 免申即享 runs -------------------------------------------------------------------------------


def run_create(*, actor: Any, item: PolicyItem, period: str, today: date | None = None) -> AutoRun:
    """List every enterprise the rules find for a 免申即享 item, from freshly recomputed matches.

    Eligible enterprises with an exact amount are included; possible ones, and eligible ones whose
    amount is a range, wait for an officer's decision; those already holding an entitlement for the
    period are excluded with the reason."""
    from huiqi.matching.models import MatchResult
    from huiqi.matching.services import MatchBusy, match_item_recompute

    today = _today(today)
    if not access.access_run_manage(actor, item):
        raise PermissionError("只有该事项的主管部门政策专员可以发起免申即享批次")
    if item.mode != Mode.AUTO:
        raise DisbursementError(f"《{item.title}》的兑现方式是“{item.mode}”，不是免申即享")
    if item.status != PolicyItem.Status.PUBLISHED:
        raise DisbursementError(f"《{item.title}》尚未发布，不能发起免申即享")
    period = (period or "").strip()
    if not period or len(period) > 20:
        raise DisbursementError("兑现期间不能为空，且不超过20个字符（如 2025）")
    open_run = AutoRun.objects.filter(item=item, period=period,
                                      status__in=[AutoRun.Status.LISTED, AutoRun.Status.PUBLICIZING]).first()
    if open_run is not None:
        raise DisbursementError(f"《{item.title}》{period} 已有未完成的批次 #{open_run.pk}，请先处理或撤销")
    try:
        match_item_recompute(item_id=item.pk, on=today)
    except MatchBusy as exc:
        raise DisbursementError(f"{exc}（全量匹配完成后再发起《{item.title}》的免申即享批次）") from exc
    already = set(Entitlement.objects.filter(item=item, period=period).values_list("enterprise_id", flat=True))
    with transaction.atomic():
        run = AutoRun.objects.create(item=item, period=period, evaluated_on=today, created_by=actor)
        lines = []
        for match in MatchResult.objects.filter(item=item).order_by("enterprise_id"):
            line = RunLine(run=run, enterprise_id=match.enterprise_id, match_status=match.status,
                           amount_min=match.amount_min, amount_max=match.amount_max,
                           unknown_fields=match.unknown_fields, decision=RunLine.Decision.PENDING)
            exact = match.amount_max is not None and match.amount_min == match.amount_max
            if match.enterprise_id in already:
                line.decision, line.decision_reason = RunLine.Decision.EXCLUDED, f"{period} 已有兑现资格"
            elif match.status == MatchResult.Status.ELIGIBLE and exact and match.amount_min > 0:
                line.decision, line.amount, line.decision_reason = RunLine.Decision.INCLUDED, match.amount_min, "规则核定符合"
            elif match.status == MatchResult.Status.ELIGIBLE and exact:
                line.decision, line.decision_reason = RunLine.Decision.EXCLUDED, "规则核定金额为0"
            lines.append(line)
        RunLine.objects.bulk_create(lines)
        counts = {d: sum(1 for ln in lines if ln.decision == d) for d in RunLine.Decision.values}
        audit_record(actor=actor, action="auto_run.create", obj=run,
                     after={"item": item.pk, "period": period, "on": today, **counts})
    return run


def run_line_decide(*, actor: Any, line: RunLine, include: bool, reason: str,
                    amount: Decimal | str | None = None) -> RunLine:
    """An officer's decision on a doubtful line (or a change of mind before confirmation)."""
    reason = _bounded(reason, label="判定理由")
    run = line.run
    if not access.access_run_manage(actor, run.item):
        raise PermissionError("只有该事项的主管部门政策专员可以判定名单")
    if run.status != AutoRun.Status.LISTED:
        raise DisbursementError("名单已确认，不能再修改；如有问题请通过公示异议处理或撤销批次")
    reason = (reason or "").strip()
    name = line.enterprise.name
    if not reason:
        raise DisbursementError(f"{name}：请填写判定理由")
    value: Decimal | None = None
    if include:
        if amount in (None, ""):
            if line.amount_max is None or line.amount_min != line.amount_max:
                raise DisbursementError(f"{name}：金额为区间，请填写核定金额")
            value = line.amount_min
        else:
            value = _money(amount, field=f"{name} 的核定金额")  # type: ignore[arg-type]
        if value <= 0 or value < line.amount_min or (line.amount_max is not None and value > line.amount_max):
            upper = "不限" if line.amount_max is None else _yuan(line.amount_max)
            raise DisbursementError(f"{name}：核定金额 {_yuan(value)} 超出规则区间 {_yuan(line.amount_min)}～{upper}，且须大于0")
    with transaction.atomic():
        before = {"decision": line.decision, "amount": line.amount}
        line.decision = RunLine.Decision.INCLUDED if include else RunLine.Decision.EXCLUDED
        line.amount = value
        line.decision_reason = reason[:300]
        line.decided_by = actor
        line.save(update_fields=["decision", "amount", "decision_reason", "decided_by"])
        audit_record(actor=actor, action="auto_run.decide", obj=run, before=before,
                     after={"enterprise": line.enterprise_id, "decision": line.decision, "amount": value}, detail=reason)
    return line


def run_lines_decide_pending(*, actor: Any, run: AutoRun, include: bool, reason: str) -> int:
    """One decision for every line still undecided, all or nothing: including needs an exact rule
    amount for each (a range must be fixed line by line), and the names of those that lack one
    are given."""
    pending = list(run.lines.filter(decision=RunLine.Decision.PENDING).select_related("enterprise", "run__item"))
    if include:
        ranged = [ln.enterprise.name for ln in pending if ln.amount_max is None or ln.amount_min != ln.amount_max]
        if ranged:
            raise DisbursementError(f"以下企业金额为区间，须逐一核定后纳入：{'、'.join(ranged[:10])}"
                                    + ("等" if len(ranged) > 10 else ""))
    with transaction.atomic():
        for line in pending:
            run_line_decide(actor=actor, line=line, include=include, reason=reason)
    return len(pending)


def _publicity_window(item: PolicyItem, start: date) -> tuple[int, int, date, date]:
    publicity = item.publicity_days if item.publicity_days is not None else DEFAULT_PUBLICITY_DAYS
    cash = item.cash_days if item.cash_days is not None else DEFAULT_CASH_DAYS
    calendar = work_calendar()
    try:
        ends = calendar.add_workdays(start, publicity)
        return publicity, cash, ends, calendar.add_workdays(ends, cash)
    except CalendarYearMissing as exc:
        raise DisbursementError(f"无法计算公示截止日和拨付日期：{exc}") from exc


def run_confirm(*, actor: Any, run: AutoRun, today: date | None = None) -> AutoRun:
    """Confirm the list and start the 公示 (today is day 0; it lasts the item's publicity days)."""
    today = _today(today)
    if not access.access_run_manage(actor, run.item):
        raise PermissionError("只有该事项的主管部门政策专员可以确认名单")
    pending = list(run.lines.filter(decision=RunLine.Decision.PENDING).select_related("enterprise")[:5])
    if pending:
        names = "、".join(ln.enterprise.name for ln in pending)
        raise DisbursementError(f"还有企业待人工判定（{names}…），请先逐一纳入或不纳入")
    included = list(run.lines.filter(decision=RunLine.Decision.INCLUDED).select_related("enterprise"))
    if not included:
        raise DisbursementError("名单中没有纳入的企业，无需公示；可撤销本批次")
    total = sum((ln.amount or Decimal(0) for ln in included), Decimal(0))
    remaining = budget_of(run.item).remaining
    if remaining is not None and total > remaining:
        # A list announced in public must be payable: refuse before the 公示, not after it.
        raise BudgetExceeded(f"名单合计 {_yuan(total)} 超出《{run.item.title}》剩余预算 {_yuan(remaining)}，"
                             "请核减名单或追加预算后再确认")
    publicity, cash, ends, due = _publicity_window(run.item, today)
    with transaction.atomic():
        run_transition(actor=actor, run=run, name="confirm", confirmed_by=actor, confirmed_at=timezone.now(),
                       publicity_days=publicity, cash_days=cash, publicity_starts_on=today, publicity_ends_on=ends,
                       pay_due_on=due)
        audit_record(actor=actor, action="auto_run.confirm", obj=run, before={"status": "listed"},
                     after={"status": run.status, "publicity_ends_on": ends, "pay_due_on": due,
                            "included": len(included)})
        for line in included:
            reach_enqueue(enterprise=line.enterprise, item=run.item, event="publicity", period=run.period,
                          amount=line.amount, due_on=due)
            notify(recipients=enterprise_users(line.enterprise_id), category="auto_run",
                   title=f"您已列入《{run.item.title}》免申即享名单",
                   body=(f"无需申请。拟兑现 {_yuan(line.amount)}，公示至 {ends:%Y年%m月%d日}，"
                         f"无异议后于 {due:%Y年%m月%d日} 前拨付。如不愿享受，可在“我的兑现”中放弃。"),
                   link="/disbursement/mine/", dedupe_key=f"auto-run-listed:{run.pk}:{line.enterprise_id}")
    return run


def run_cancel(*, actor: Any, run: AutoRun, reason: str) -> AutoRun:
    reason = _bounded(reason, label="撤销理由")
    if not access.access_run_manage(actor, run.item):
        raise PermissionError("只有该事项的主管部门政策专员可以撤销批次")
    if not reason.strip():
        raise DisbursementError("请填写撤销理由")
    with transaction.atomic():
        before = run.status
        run_transition(actor=actor, run=run, name="cancel", note=reason.strip()[:300])
        audit_record(actor=actor, action="auto_run.cancel", obj=run, before={"status": before},
                     after={"status": run.status}, detail=reason)
    return run


def run_line_decline(*, actor: Any, line: RunLine, reason: str = "") -> RunLine:
    """The enterprise declines before payment: a listed line is skipped at grant time; once granted,
    the entitlement is declined."""
    reason = _bounded(reason, label="放弃理由")
    if not access.access_own_enterprise(actor, line.enterprise_id):
        raise PermissionError("只能放弃本企业的兑现")
    run = line.run
    if run.status == AutoRun.Status.GRANTED and line.entitlement_id:
        entitlement = Entitlement.objects.get(pk=line.entitlement_id)
        entitlement_decline(actor=actor, entitlement=entitlement, reason=reason)
        return line
    if run.status not in (AutoRun.Status.LISTED, AutoRun.Status.PUBLICIZING):
        raise DisbursementError("该批次已结束，不能放弃")
    with transaction.atomic():
        now = timezone.now()
        if RunLine.objects.filter(pk=line.pk, declined_at__isnull=True).update(declined_at=now) != 1:
            raise DisbursementError("已经放弃过了")
        line.declined_at = now
        audit_record(actor=actor, action="auto_run.decline", obj=run, after={"enterprise": line.enterprise_id},
                     detail=reason)
    return line


def objection_file(*, run: AutoRun, name: str, contact: str, content: str, line: RunLine | None = None,
                   today: date | None = None) -> Objection:
    """Anyone may object during the 公示 (no login). The phone is stored encrypted."""
    content = _bounded(content, label="异议内容", limit=2000)
    name = _bounded(name, label="异议人", limit=50)
    today = _today(today)
    if run.status != AutoRun.Status.PUBLICIZING or (run.publicity_ends_on and today > run.publicity_ends_on):
        raise DisbursementError("公示期已结束或尚未开始，不能提出异议")
    name, content, contact = name.strip(), content.strip(), contact.strip()
    if not name:
        raise DisbursementError("请填写异议人姓名或单位（异议人）")
    if not content:
        raise DisbursementError("请填写异议内容")
    if len(content) > 2000:
        raise DisbursementError("异议内容不超过2000字")
    if contact and not contact.replace("-", "").isdigit():
        raise DisbursementError("联系电话只能包含数字和“-”")
    if line is not None and line.run_id != run.pk:
        raise DisbursementError("所选企业不在本公示名单中")
    with transaction.atomic():
        objection = Objection.objects.create(
            run=run, line=line, name=name[:50], content=content,
            contact_encrypted=encrypt_text(contact) if contact else "", contact_masked=mask_phone(contact) if contact else "")
        audit_record(actor="公众", action="auto_run.objection", obj=run,
                     after={"objection": objection.pk, "line": line.pk if line else None})
        notify(recipients=item_officers(run.item), category="objection",
               title=f"《{run.item.title}》免申即享公示收到异议",
               body=content[:200], link=f"/disbursement/runs/{run.pk}/", dedupe_key=f"objection:{objection.pk}")
    return objection


def objection_resolve(*, actor: Any, objection: Objection, uphold: bool, reply: str) -> Objection:
    """Upholding an objection about one enterprise takes it off the list."""
    run = objection.run
    if not access.access_run_manage(actor, run.item):
        raise PermissionError("只有该事项的主管部门政策专员可以处理异议")
    reply = reply.strip()
    if not reply:
        raise DisbursementError("请填写处理意见")
    if run.status != AutoRun.Status.PUBLICIZING:
        raise DisbursementError("批次已不在公示中，异议不能再改变名单")
    status = Objection.Status.UPHELD if uphold else Objection.Status.REJECTED
    with transaction.atomic():
        if Objection.objects.filter(pk=objection.pk, status=Objection.Status.OPEN).update(
                status=status, reply=reply[:500], resolved_by=actor, resolved_at=timezone.now()) != 1:
            raise DisbursementError("该异议已被处理")
        if uphold and objection.line_id:
            RunLine.objects.filter(pk=objection.line_id).update(
                decision=RunLine.Decision.EXCLUDED, decision_reason=f"公示异议成立：{reply}"[:300], decided_by=actor)
        audit_record(actor=actor, action="auto_run.objection_resolve", obj=run,
                     after={"objection": objection.pk, "status": status, "line": objection.line_id}, detail=reply)
    objection.refresh_from_db()
    return objection


def run_publicity_over(run: AutoRun, today: date) -> bool:
    if run.publicity_ends_on is None:
        return False
    if run.publicity_days == 0:
        return today >= run.publicity_ends_on
    return today > run.publicity_ends_on


def run_to_payment(*, actor: Any, run: AutoRun, today: date | None = None) -> list[Entitlement]:
    """After the 公示 (every working day of it has passed) and with no open objection, grant an
    entitlement to every included line that was not declined. All or nothing: if the budget does
    not cover the list, nothing is granted and the officers are told."""
    today = _today(today)
    if actor is not None and not access.access_run_manage(actor, run.item):
        raise PermissionError("只有该事项的主管部门政策专员可以转入拨付")
    if not run_publicity_over(run, today):
        raise DisbursementError(f"公示期至 {run.publicity_ends_on} 结束，期满后方可转入拨付")
    open_count = run.objections.filter(status=Objection.Status.OPEN).count()
    if open_count:
        raise DisbursementError(f"还有 {open_count} 条公示异议未处理，处理后方可转入拨付")
    granted: list[Entitlement] = []
    with transaction.atomic():
        run_transition(actor=actor, run=run, name="grant", granted_at=timezone.now())
        lines = run.lines.filter(decision=RunLine.Decision.INCLUDED, declined_at__isnull=True).select_related("enterprise")
        for line in lines:
            held = _incentive_hold(line.enterprise_id)
            if held:  # 承诺必践: a held enterprise is not paid; the rest of the list goes on
                audit_record(actor=actor or "系统", action="auto_run.line_held", obj=run, result="denied",
                             after={"enterprise": line.enterprise_id, "amount": line.amount}, detail=held)
                notify(recipients=enterprise_users(line.enterprise_id) + item_officers(run.item), category="auto_run",
                       title=f"《{run.item.title}》暂不拨付：{line.enterprise.name}", body=held,
                       link="/commitments/mine/", dedupe_key=f"auto-run-held-line:{run.pk}:{line.enterprise_id}")
                continue
            assert line.amount is not None
            entitlement = entitlement_grant(actor=actor or "系统", enterprise=line.enterprise, item=run.item,
                                            period=run.period, amount=line.amount, source=Entitlement.Source.AUTO_RUN,
                                            source_ref=run.ref)
            Entitlement.objects.filter(pk=entitlement.pk).update(pay_due_on=run.pay_due_on)
            assert run.publicity_starts_on is not None
            cash_promise_open(key=f"entitlement:{entitlement.pk}", enterprise=line.enterprise, item=run.item,
                              source=CashPromise.Source.AUTO_RUN, source_ref=run.ref, entitlement=entitlement,
                              started_at=timezone.make_aware(datetime.combine(run.publicity_starts_on, time(9))),
                              days=run.publicity_days + run.cash_days)
            RunLine.objects.filter(pk=line.pk).update(entitlement=entitlement)
            granted.append(entitlement)
            notify(recipients=enterprise_users(line.enterprise_id), category="auto_run",
                   title=f"《{run.item.title}》公示期满，转入拨付",
                   body=f"兑现金额 {_yuan(entitlement.amount)}，将于 {run.pay_due_on:%Y年%m月%d日} 前拨付至贵企业登记的收款账户。",
                   link="/disbursement/mine/", dedupe_key=f"auto-run-granted:{run.pk}:{line.enterprise_id}")
        audit_record(actor=actor or "系统", action="auto_run.grant", obj=run, before={"status": "publicizing"},
                     after={"status": run.status, "entitlements": len(granted)})
        notify(recipients=item_finance(run.item), category="payment",
               title=f"《{run.item.title}》免申即享名单待拨付（{len(granted)} 家）",
               body=f"请于 {run.pay_due_on:%Y年%m月%d日} 前完成拨付。", link=f"/disbursement/budget/{run.item_id}/",
               dedupe_key=f"auto-run-to-pay:{run.pk}")
    return granted


def runs_sweep(*, today: date | None = None) -> list[int]:
    """The scheduled step: every run whose 公示 has passed goes to payment; a run held back by an
    open objection or the budget is reported to its officers once per day."""
    today = _today(today)
    moved: list[int] = []
    for run in AutoRun.objects.filter(status=AutoRun.Status.PUBLICIZING, publicity_ends_on__lte=today).select_related("item"):
        if not run_publicity_over(run, today):
            continue
        try:
            run_to_payment(actor=None, run=run, today=today)
        except (DisbursementError, BudgetExceeded, WorkflowError) as exc:
            log.info("auto run %s held back: %s", run.pk, exc)
            notify(recipients=item_officers(run.item), category="auto_run",
                   title=f"免申即享批次 #{run.pk} 公示期满但未能转入拨付", body=str(exc),
                   link=f"/disbursement/runs/{run.pk}/", dedupe_key=f"auto-run-held:{run.pk}:{today}")
            continue
        moved.append(run.pk)
    return moved


# -- payment batches and the ledger --------------------------------------------------------------


def batch_create(*, actor: Any, item: PolicyItem, entitlement_ids: list[int] | None = None) -> tuple[PaymentBatch, list[str]]:
    """Put the item's granted entitlements into a new batch. Enterprises without a registered
    account are left out and named in the returned list."""
    if not access.access_pay(actor, item):
        raise PermissionError("只有财政人员可以编制拨付批次")
    qs = Entitlement.objects.filter(item=item, status=Entitlement.Status.GRANTED).select_related("enterprise")
    if entitlement_ids is not None:
        qs = qs.filter(pk__in=entitlement_ids)
    candidates = list(qs)
    if not candidates:
        raise DisbursementError("没有待拨付的兑现资格")
    accounts = {a.enterprise_id: a for a in BankAccount.objects.filter(enterprise_id__in=[c.enterprise_id for c in candidates])}
    skipped = [c.enterprise.name for c in candidates if c.enterprise_id not in accounts]
    ready = [c for c in candidates if c.enterprise_id in accounts]
    if not ready:
        raise DisbursementError("待拨付企业均未登记收款账户：" + "、".join(skipped[:10]))
    with transaction.atomic():
        batch = PaymentBatch.objects.create(item=item, created_by=actor)
        for entitlement in ready:
            entitlement_transition(actor=actor, entitlement=entitlement, name="batch")
            account = accounts[entitlement.enterprise_id]
            PaymentLine.objects.create(batch=batch, entitlement=entitlement, amount=entitlement.amount,
                                       account_name=account.account_name, bank_name=account.bank_name,
                                       account_masked=account.number_masked)
        audit_record(actor=actor, action="payment_batch.create", obj=batch,
                     after={"item": item.pk, "lines": len(ready), "skipped": len(skipped)})
    for name in skipped:
        log.info("batch %s: %s has no bank account", batch.pk, name)
    return batch, skipped


def _close_batch_if_done(batch: PaymentBatch) -> None:
    open_lines = batch.lines.filter(status__in=[PaymentLine.Status.PENDING, PaymentLine.Status.FAILED]).exists()
    if not open_lines:
        PaymentBatch.objects.filter(pk=batch.pk).exclude(status=PaymentBatch.Status.CLOSED).update(
            status=PaymentBatch.Status.CLOSED, closed_at=timezone.now())


def payment_record(*, actor: Any, line: PaymentLine, idempotency_key: str, reference: str = "") -> LedgerEntry:
    """Book the payment of one batch line.

    A request repeated with the same `idempotency_key` (double click, retried HTTP call, the same
    bank file imported twice) returns the entry of the first one. A different request for an
    entitlement already paid raises AlreadyPaid: the unique `paid_key` column makes this hold
    even for two transactions racing on different connections."""
    key = idempotency_key.strip()
    if not key or len(key) > 120:
        raise DisbursementError("缺少幂等键（idempotency_key），或超过120个字符")
    item = line.batch.item
    if actor is not None and not access.access_pay(actor, item):
        raise PermissionError("只有财政人员可以确认拨付")
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # One lock order for every payment path: the batch, then the line (the batch is
            # closed below once its last line is paid).
            PaymentBatch.objects.select_for_update(no_key=True).filter(pk=line.batch_id).first()
            locked = PaymentLine.objects.select_for_update().select_related("entitlement").get(pk=line.pk)
            # Re-read under the lock: a concurrent request with the same key may have just committed.
            earlier = LedgerEntry.objects.filter(idempotency_key=key).first()
            if earlier is not None:
                return earlier
            entitlement = locked.entitlement
            if locked.status != PaymentLine.Status.PENDING:
                raise AlreadyPaid(f"明细 {locked.code} 当前为“{locked.get_status_display()}”，不能再次拨付")
            generation = LedgerEntry.objects.filter(entitlement=entitlement, kind=LedgerEntry.Kind.REVERSAL).count()
            entry = LedgerEntry.objects.create(
                entitlement=entitlement, line=locked, kind=LedgerEntry.Kind.PAYMENT, amount=locked.amount,
                idempotency_key=key, paid_key=f"{entitlement.pk}#{generation}", reference=reference[:80],
                actor=actor if getattr(actor, "is_authenticated", False) else None)
            PaymentLine.objects.filter(pk=locked.pk, status=PaymentLine.Status.PENDING).update(
                status=PaymentLine.Status.PAID, bank_reference=reference[:80], updated_at=timezone.now())
            entitlement_transition(actor=actor, entitlement=entitlement, name="pay")
            cash_promise_paid(entitlement=entitlement)
            audit_record(actor=actor or "银行回单", action="ledger.payment", obj=entry,
                         after={"entitlement": entitlement.pk, "amount": entry.amount, "line": locked.pk,
                                "key": key, "reference": reference})
            reach_enqueue(enterprise=entitlement.enterprise, item=item, event="paid", period=entitlement.period,
                          amount=entry.amount)
            notify(recipients=enterprise_users(entitlement.enterprise_id), category="payment",
                   title=f"《{item.title}》资金已拨付 {_yuan(entry.amount)}",
                   body=f"已拨付至 {locked.bank_name} {locked.account_masked}。", link="/disbursement/mine/",
                   dedupe_key=f"paid:{entry.pk}")
    except IntegrityError as exc:
        # Lost a race: either the same key committed first (return it) or the entitlement was paid.
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        raise AlreadyPaid("该兑现资格已拨付，不会重复拨付") from exc
    _close_batch_if_done(line.batch)
    return entry


def batch_confirm_paid(*, actor: Any, batch: PaymentBatch, idempotency_key: str, reference: str = "") -> list[LedgerEntry]:
    """国库直接支付: the finance officer confirms every pending line of the batch as paid. The
    form carries one key; line keys derive from it, so a double submission books nothing twice."""
    if not access.access_pay(actor, batch.item):
        raise PermissionError("只有财政人员可以确认拨付")
    entries: list[LedgerEntry] = []
    paid_elsewhere = 0
    with transaction.atomic():
        # A second tab confirming the same batch waits here and then finds the lines paid.
        PaymentBatch.objects.select_for_update(no_key=True).filter(pk=batch.pk).first()
        for line in batch.lines.filter(status__in=[PaymentLine.Status.PENDING, PaymentLine.Status.PAID]):
            line_key = f"{idempotency_key}:{line.pk}"
            if line.status == PaymentLine.Status.PAID:
                previous = LedgerEntry.objects.filter(idempotency_key=line_key).first()
                if previous is not None:
                    entries.append(previous)
                else:
                    paid_elsewhere += 1
                continue
            entries.append(payment_record(actor=actor, line=line, idempotency_key=line_key, reference=reference))
    if not entries and paid_elsewhere:
        raise DisbursementError(f"批次 {batch.code} 的 {paid_elsewhere} 笔明细已由另一次操作（可能是另一个浏览器标签页）"
                                "确认拨付，本次未重复拨付")
    return entries


def line_fail(*, actor: Any, line: PaymentLine, reason: str) -> PaymentLine:
    reason = _bounded(reason, label="失败原因")
    if actor is not None and not access.access_pay(actor, line.batch.item):
        raise PermissionError("只有财政人员可以登记拨付失败")
    if not reason.strip():
        raise DisbursementError(f"明细 {line.code}：请填写失败原因")
    with transaction.atomic():
        if PaymentLine.objects.filter(pk=line.pk, status=PaymentLine.Status.PENDING).update(
                status=PaymentLine.Status.FAILED, failure_reason=reason.strip()[:300], updated_at=timezone.now()) != 1:
            raise DisbursementError(f"明细 {line.code} 不是待拨付状态")
        audit_record(actor=actor or "银行回单", action="payment_line.fail", obj=line.batch,
                     after={"line": line.pk, "reason": reason})
        notify(recipients=item_finance(line.batch.item), category="payment",
               title=f"拨付失败：{line.entitlement.enterprise.name}", body=reason,
               link=f"/disbursement/batches/{line.batch_id}/", dedupe_key=f"line-failed:{line.pk}")
    line.refresh_from_db()
    return line


def line_retry(*, actor: Any, line: PaymentLine) -> PaymentLine:
    """A failed line is sent again: a new line in the newest draft batch of the item (or a new
    batch), with the enterprise's current account (it may have corrected it)."""
    item = line.batch.item
    if not access.access_pay(actor, item):
        raise PermissionError("只有财政人员可以重新拨付")
    account = BankAccount.objects.filter(enterprise_id=line.entitlement.enterprise_id).first()
    if account is None:
        raise DisbursementError(f"{line.entitlement.enterprise.name} 未登记收款账户，无法重新拨付")
    with transaction.atomic():
        if PaymentLine.objects.filter(pk=line.pk, status=PaymentLine.Status.FAILED).update(
                status=PaymentLine.Status.RETRIED, updated_at=timezone.now()) != 1:
            raise DisbursementError(f"明细 {line.code} 不是拨付失败状态")
        batch = PaymentBatch.objects.filter(item=item, status=PaymentBatch.Status.DRAFT).exclude(pk=line.batch_id).first()
        if batch is None:
            batch = PaymentBatch.objects.create(item=item, created_by=actor)
        new_line = PaymentLine.objects.create(batch=batch, entitlement=line.entitlement, amount=line.amount,
                                              account_name=account.account_name, bank_name=account.bank_name,
                                              account_masked=account.number_masked)
        audit_record(actor=actor, action="payment_line.retry", obj=batch, after={"from_line": line.pk, "line": new_line.pk})
        _close_batch_if_done(line.batch)
    return new_line


def line_return(*, actor: Any, line: PaymentLine, reason: str) -> PaymentLine:
    """A failed line is given up: the entitlement is returned and its budget released."""
    reason = _bounded(reason, label="退回原因")
    if not access.access_pay(actor, line.batch.item):
        raise PermissionError("只有财政人员可以退回")
    if not reason.strip():
        raise DisbursementError(f"明细 {line.code}：请填写退回原因")
    with transaction.atomic():
        if PaymentLine.objects.filter(pk=line.pk, status=PaymentLine.Status.FAILED).update(
                status=PaymentLine.Status.RETURNED, updated_at=timezone.now()) != 1:
            raise DisbursementError(f"明细 {line.code} 不是拨付失败状态")
        entitlement = Entitlement.objects.get(pk=line.entitlement_id)
        entitlement_transition(actor=actor, entitlement=entitlement, name="return", note=reason)
        cash_promise_drop(entitlement=entitlement, reason=reason)
        audit_record(actor=actor, action="payment_line.return", obj=line.batch, after={"line": line.pk}, detail=reason)
        notify(recipients=enterprise_users(entitlement.enterprise_id), category="payment",
               title=f"《{line.batch.item.title}》资金退回", body=reason, link="/disbursement/mine/",
               dedupe_key=f"line-returned:{line.pk}")
        _close_batch_if_done(line.batch)
    line.refresh_from_db()
    return line


def reversal_record(*, actor: Any, entry: LedgerEntry, reason: str, idempotency_key: str) -> LedgerEntry:
    """冲正: a new negative entry pointing at the payment; the entitlement becomes reversed. A
    payment can be reversed once (one-to-one `reverses`)."""
    reason = _bounded(reason, label="冲正原因")
    entitlement = entry.entitlement
    if not access.access_pay(actor, entitlement.item):
        raise PermissionError("只有财政人员可以冲正")
    if entry.kind != LedgerEntry.Kind.PAYMENT:
        raise DisbursementError("只能冲正拨付记录")
    if not reason.strip():
        raise DisbursementError("请填写冲正原因")
    existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                entitlement=entitlement, kind=LedgerEntry.Kind.REVERSAL, amount=-entry.amount, reverses=entry,
                idempotency_key=idempotency_key, reason=reason.strip()[:300], actor=actor)
            entitlement.refresh_from_db()
            entitlement_transition(actor=actor, entitlement=entitlement, name="reverse", note=reason)
            audit_record(actor=actor, action="ledger.reversal", obj=reversal,
                         after={"reverses": entry.pk, "amount": reversal.amount}, detail=reason)
    except IntegrityError as exc:
        raise DisbursementError("该笔拨付已冲正过") from exc
    return reversal


# -- 不应享错享 ------------------------------------------------------------------------------------


FLAG_REASONS = {"dishonest": "现已列入失信主体名单", "abnormal_operation": "现已列入经营异常名录",
                "major_violation_3y": "现有近三年重大违法违规记录"}


def _atom_text(atom: Any) -> str:
    if not isinstance(atom, dict):
        return str(atom)
    if "check" in atom:
        return f"「{atom['check']}」"
    return f"{atom.get('field')} {atom.get('op')} {atom.get('value')}"


def suspects_scan(*, today: date | None = None) -> int:
    """Re-check every paid entitlement against current data and rules; returns the number of open
    suspects found or refreshed. Dismissed suspects stay dismissed (the officer has seen them)."""
    from huiqi.enterprises.selectors import profile_of, profiles_queryset
    from rules.evaluate import compile_item, evaluate

    today = _today(today)
    now = timezone.now()
    paid = list(Entitlement.objects.filter(status=Entitlement.Status.PAID).select_related("item", "item__document"))
    enterprise_ids = {e.enterprise_id for e in paid}
    profiles = {e.pk: profile_of(e) for e in profiles_queryset(Enterprise.objects.filter(pk__in=enterprise_ids))}
    compiled: dict[int, Any] = {}
    found: list[tuple[Entitlement, str, str]] = []
    for entitlement in paid:
        item = entitlement.item
        profile = profiles[entitlement.enterprise_id]
        flags = profile.get("flags") or {}
        flagged = [text for name, text in FLAG_REASONS.items() if flags.get(name)]
        if flagged:
            found.append((entitlement, Suspect.Kind.FLAG, "；".join(flagged)))
        rules_item = item.as_rules_item()
        if item.pk not in compiled:
            compiled[item.pk] = compile_item(rules_item)
        evaluation = evaluate(rules_item, profile, on=today, compiled=compiled[item.pk])
        if not evaluation.in_force:
            continue
        if evaluation.status == "ineligible":
            failed = "；".join(_atom_text(a) for a in evaluation.failed[:3]) or "条件不满足"
            found.append((entitlement, Suspect.Kind.CONDITIONS, f"按现行数据不再符合条件：{failed}"))
        elif evaluation.amount is not None and evaluation.amount.max is not None:
            limit = Decimal(evaluation.amount.max)
            if entitlement.amount > limit:
                found.append((entitlement, Suspect.Kind.AMOUNT,
                              f"已拨付 {_yuan(entitlement.amount)}，按现行数据规则最高 {_yuan(limit)}"))
    with transaction.atomic():
        for entitlement, kind, reason in found:
            suspect, created = Suspect.objects.get_or_create(
                entitlement=entitlement, kind=kind,
                defaults={"reason": reason[:500], "found_at": now, "last_seen_at": now})
            if not created and suspect.status == Suspect.Status.OPEN:
                Suspect.objects.filter(pk=suspect.pk).update(reason=reason[:500], last_seen_at=now)
        audit_record(actor="系统", action="suspects.scan", object_type="disbursement.suspect",
                     after={"checked": len(paid), "found": len(found), "on": today})
    return len(found)


def suspect_flag(*, entitlement_id: int, reason: str, kind: str = Suspect.Kind.COMMITMENT) -> Suspect | None:
    """Put one paid or granted entitlement on the 不应享错享 list with ``reason`` (e.g. a broken
    application commitment found by 承诺必践); refreshes the reason of an open suspect."""
    entitlement = Entitlement.objects.filter(pk=entitlement_id).first()
    if entitlement is None:
        return None
    now = timezone.now()
    suspect, created = Suspect.objects.get_or_create(
        entitlement=entitlement, kind=kind, defaults={"reason": reason[:500], "found_at": now, "last_seen_at": now})
    if not created and suspect.status == Suspect.Status.OPEN:
        Suspect.objects.filter(pk=suspect.pk).update(reason=reason[:500], last_seen_at=now)
    audit_record(actor="系统", action="suspect.flag", obj=entitlement, after={"suspect": suspect.pk, "kind": kind},
                 detail=reason[:300])
    return suspect


def suspect_resolve(*, actor: Any, suspect: Suspect, confirm: bool, note: str) -> Suspect:
    note = _bounded(note, label="处理说明")
    if not access.access_suspect_resolve(actor, suspect.entitlement.item):
        raise PermissionError("无权核查该疑点")
    if not note.strip():
        raise DisbursementError("请填写核查意见")
    status = Suspect.Status.CONFIRMED if confirm else Suspect.Status.DISMISSED
    with transaction.atomic():
        if Suspect.objects.filter(pk=suspect.pk, status=Suspect.Status.OPEN).update(
                status=status, resolved_by=actor, resolution=note.strip()[:300]) != 1:
            raise DisbursementError("该疑点已被处理")
        audit_record(actor=actor, action="suspect.resolve", obj=suspect.entitlement,
                     after={"suspect": suspect.pk, "status": status}, detail=note)
    suspect.refresh_from_db()
    return suspect



# -- 承诺兑现时限: the promised days to cash --------------------------------------------------------


def cash_warn_days(days: int) -> int:
    """Yellow for the last fifth of the allowance, at least the last two working days (a day to
    pay after the warning) and at most a working week: a 40-day promise warns 5 working days
    before (time to batch and pay), a 5-day 免申即享 promise on its last two."""
    return max(2, min(5, days // 5))


def application_promise_key(application_ref: str) -> str:
    return f"application:{application_ref}"


def cash_promise_open(*, key: str, enterprise: Enterprise, item: PolicyItem, source: str, source_ref: str,
                      started_at: datetime, days: int, entitlement: Entitlement | None = None) -> CashPromise | None:
    """Start the clock of a cash promise (idempotent on ``key``): day 0 is the local day of
    ``started_at`` (submission, or confirmation of the 免申即享 list). The light is the one of that
    moment; the sweep brings it to today's (and tells finance and supervisors of a new yellow or
    red). None when the promised date falls in a year whose holidays are not entered yet."""
    calendar = work_calendar()
    try:
        fields = deadline_start(now=started_at, days=days, warn_days=cash_warn_days(days), calendar=calendar)
    except CalendarYearMissing as exc:
        log.warning("cash promise %s not watched: %s", key, exc)
        return None
    with transaction.atomic():
        promise, created = CashPromise.objects.get_or_create(key=key, defaults={
            "enterprise": enterprise, "item": item, "region": enterprise.region, "source": source,
            "source_ref": source_ref[:60], "entitlement": entitlement, **fields})
        if created:
            audit_record(actor=None, action="cash_promise.open", obj=promise,
                         after={"key": key, "started_on": promise.started_on, "days": days, "due_at": promise.due_at})
    return promise


def _cash_promise_end(promises: Any, *, outcome: str, today: date, reason: str) -> int:
    """Close the open promises of ``promises`` (compare-and-set on still open), audited."""
    ended = 0
    for promise in promises.filter(outcome=CashPromise.Outcome.OPEN):
        if CashPromise.objects.filter(pk=promise.pk, outcome=CashPromise.Outcome.OPEN).update(
                outcome=outcome, colour=Colour.DONE, closed_on=today, paused_since=None,
                colour_changed_at=timezone.now()) == 1:
            ended += 1
            audit_record(actor=None, action="cash_promise.close", obj=promise,
                         before={"colour": promise.colour}, after={"outcome": outcome, "closed_on": today},
                         detail=reason)
    return ended


def cash_promise_paid(*, entitlement: Entitlement, today: date | None = None) -> int:
    """The money was booked: the promise is kept if today is on or before its date."""
    return _cash_promise_end(CashPromise.objects.filter(entitlement=entitlement),
                             outcome=CashPromise.Outcome.PAID, today=_today(today), reason="已拨付")


def cash_promise_drop(*, key: str | None = None, entitlement: Entitlement | None = None, reason: str,
                      today: date | None = None) -> int:
    """Nothing is owed any more (application rejected or withdrawn, entitlement given up or returned)."""
    promises = CashPromise.objects.filter(key=key) if key else CashPromise.objects.filter(entitlement=entitlement)
    return _cash_promise_end(promises, outcome=CashPromise.Outcome.DROPPED, today=_today(today), reason=reason)


def cash_promise_pause(*, key: str, today: date, now: datetime) -> None:
    """补正: the promise waits with the application's node (the enterprise has the file)."""
    CashPromise.objects.filter(key=key, outcome=CashPromise.Outcome.OPEN, paused_since__isnull=True).update(
        **deadline_pause(today=today, now=now))


def cash_promise_resume(*, key: str, today: date, now: datetime) -> date | None:
    """The enterprise resubmitted: the promised date moves on by the paused working days."""
    promise = CashPromise.objects.filter(key=key, outcome=CashPromise.Outcome.OPEN,
                                         paused_since__isnull=False).first()
    if promise is None:
        return None
    resumed = deadline_resume(promise, today=today, calendar=work_calendar(), now=now)
    CashPromise.objects.filter(pk=promise.pk, paused_since=promise.paused_since).update(**resumed)
    return resumed["due_at"]  # type: ignore[no-any-return]


def _cash_promise_alert(promise: CashPromise, colour: str) -> Alert:
    from huiqi.commitments.services import supervisors_of

    item, name = promise.item, promise.enterprise.name
    recipients = item_finance(item)
    if colour == Colour.RED:
        recipients += [u for u in supervisors_of(promise.region) if u not in recipients]
    promised = f"承诺{promise.due_at:%Y年%m月%d日}前兑付（{promise.get_source_display()}，{promise.days}个工作日）"
    body = (f"{promised}，现已逾期未兑付，请尽快拨付并说明原因。" if colour == Colour.RED
            else f"{promised}，即将到期，请及时编制拨付批次。")
    return Alert(recipients=recipients, title=f"承诺兑现{ALERT_WORDS[Colour(colour)]}：{item.title}（{name}）", body=body,
                 link="/disbursement/promises/?light=" + colour)


def cash_promises_sweep(*, now: datetime) -> SweepReport:
    """The daily sweep of open cash promises through the one kernel sweep (compare-and-set, one
    notification per person per new light and due date)."""
    return sweep(CashPromise.objects.filter(outcome=CashPromise.Outcome.OPEN).select_related("item", "enterprise"),
                 now=now, calendar=work_calendar(), dedupe_prefix="cash-promise", audit_action="cash_promise.colour",
                 alert=_cash_promise_alert, category="cash_promise")
