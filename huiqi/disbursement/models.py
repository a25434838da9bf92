"""Money going out: entitlements (who is owed what for which item and period), 免申即享 runs with
their public notice (公示) and objections, payment batches for the treasury/bank, the append-only
ledger that records what was actually paid, enterprise bank accounts (encrypted at rest) and the
不应享错享 suspects found by re-checking paid entitlements."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from huiqi.core.deadlines import Deadline


class BankAccount(models.Model):
    """The enterprise's account for receiving funds (对公账户). The number is sensitive: it is
    stored only as a Fernet token (`number_encrypted`); screens and exports use `number_masked`
    (`6222 **** **** 1234`). Decrypting it is a service call that leaves an audit event."""

    enterprise = models.OneToOneField("enterprises.Enterprise", on_delete=models.CASCADE, related_name="bank_account",
                                      verbose_name="企业")
    account_name = models.CharField("户名", max_length=200)
    bank_name = models.CharField("开户行", max_length=200)
    number_encrypted = models.TextField("账号（密文）")
    number_masked = models.CharField("账号（脱敏）", max_length=40)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "收款账户"
        verbose_name_plural = "收款账户"

    def __str__(self) -> str:
        return f"{self.account_name} {self.number_masked}"


class Entitlement(models.Model):
    """兑现资格: enterprise E is owed `amount` under item I for period P (e.g. "2025"). Created by an
    approved application or a 免申即享 run; paid at most once (see LedgerEntry.paid_key).
    The budget of an item counts entitlements in the ACTIVE statuses."""

    class Source(models.TextChoices):
        APPLICATION = "application", "申报审核"
        AUTO_RUN = "auto_run", "免申即享"

    class Status(models.TextChoices):
        GRANTED = "granted", "待拨付"
        BATCHED = "batched", "拨付中"
        PAID = "paid", "已拨付"
        DECLINED = "declined", "企业放弃"
        RETURNED = "returned", "退回不予拨付"
        REVERSED = "reversed", "已冲正追回"

    ACTIVE = frozenset({Status.GRANTED, Status.BATCHED, Status.PAID})

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="entitlements",
                                   verbose_name="企业")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="entitlements",
                             verbose_name="政策事项")
    period = models.CharField("兑现期间", max_length=20)
    amount = models.DecimalField("兑现金额（元）", max_digits=16, decimal_places=2)
    requested_amount = models.DecimalField("核定前金额（元）", max_digits=16, decimal_places=2)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    source_ref = models.CharField("来源编号", max_length=60)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.GRANTED, db_index=True)
    status_note = models.CharField("状态说明", max_length=300, blank=True)
    pay_due_on = models.DateField("应拨付日期", null=True, blank=True, db_index=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField("核定时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "兑现资格"
        verbose_name_plural = "兑现资格"
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "item", "period"], name="entitlement_once_per_period"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="entitlement_amount_positive"),
        ]
        indexes = [models.Index(fields=["item", "status"], name="entitlement_item_status")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}×{self.item_id}@{self.period} {self.amount}"


class CashPromise(Deadline):
    """承诺兑现时限: the promise that money reaches the enterprise within N working days — for a
    即申即享 application from its submission (day 0 the day of acceptance), for a 免申即享
    entitlement from the confirmation of its list (公示 days + days to pay). A clock of the shared
    kernel (huiqi.core.deadlines): the daily sweep turns it yellow as the date nears and red once
    it passed unpaid (逾期未兑付); it closes as paid when the ledger books the payment, or as
    no longer owed when the application is rejected or withdrawn or the entitlement given up.
    While the application waits for the enterprise's 补正 the clock is paused, like the node's."""

    class Source(models.TextChoices):
        APPLICATION = "application", "即申即享申报"
        AUTO_RUN = "auto_run", "免申即享"

    class Outcome(models.TextChoices):
        OPEN = "open", "待兑付"
        PAID = "paid", "已兑付"
        DROPPED = "dropped", "不再兑付"

    key = models.CharField("承诺编号", max_length=80, unique=True,
                           help_text="application:<申报编号> 或 entitlement:<兑现资格编号>")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="cash_promises",
                                   verbose_name="企业")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="cash_promises",
                             verbose_name="政策事项")
    region = models.CharField("企业所在行政区划", max_length=6, db_index=True)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    source_ref = models.CharField("来源编号", max_length=60)
    entitlement = models.ForeignKey(Entitlement, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="cash_promises", verbose_name="兑现资格")
    outcome = models.CharField("兑付情况", max_length=10, choices=Outcome.choices, default=Outcome.OPEN,
                               db_index=True)
    closed_on = models.DateField("办结日", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "承诺兑现时限"
        verbose_name_plural = "承诺兑现时限"
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["outcome", "colour"], name="cash_promise_open_colour")]

    def __str__(self) -> str:
        return f"{self.key} 至 {self.due_at}"


class AutoRun(models.Model):
    """A 免申即享 run (兑现批次): the platform lists the qualifying enterprises of one item for one
    period, an officer decides the doubtful ones and confirms, the list is publicly announced for
    the item's 公示 days, and afterwards every included, not-declined line becomes an entitlement.
    Status changes only through workflow.py."""

    class Status(models.TextChoices):
        LISTED = "listed", "待确认"
        PUBLICIZING = "publicizing", "公示中"
        GRANTED = "granted", "已转拨付"
        CANCELLED = "cancelled", "已撤销"

    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="auto_runs",
                             verbose_name="政策事项")
    period = models.CharField("兑现期间", max_length=20)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.LISTED, db_index=True)
    evaluated_on = models.DateField("核定日期")
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=0)
    cash_days = models.PositiveSmallIntegerField("兑现时限（工作日）", default=0)
    publicity_starts_on = models.DateField("公示开始", null=True, blank=True)
    publicity_ends_on = models.DateField("公示截止", null=True, blank=True, db_index=True)
    pay_due_on = models.DateField("应拨付日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "免申即享批次"
        verbose_name_plural = "免申即享批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"免申即享批次 #{self.pk}（{self.period}）"

    @property
    def ref(self) -> str:
        return f"run-{self.pk}"


class RunLine(models.Model):
    """One enterprise in a 免申即享 run. Eligible ones with an exact amount are included at once;
    possible ones (and eligible ones with an undecided amount) wait for an officer's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待人工判定"
        INCLUDED = "included", "纳入"
        EXCLUDED = "excluded", "不纳入"

    run = models.ForeignKey(AutoRun, on_delete=models.CASCADE, related_name="lines")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="企业")
    match_status = models.CharField("匹配结果", max_length=10)
    amount_min = models.DecimalField("金额下限（元）", max_digits=16, decimal_places=2)
    amount_max = models.DecimalField("金额上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("核定金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    unknown_fields = models.JSONField("待补充数据", default=list, blank=True)
    decision = models.CharField("判定", max_length=10, choices=Decision.choices)
    decision_reason = models.CharField("判定理由", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    declined_at = models.DateTimeField("企业放弃时间", null=True, blank=True)
    entitlement = models.ForeignKey(Entitlement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "免申即享名单"
        ordering = ["enterprise__name"]
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="run_line_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.enterprise_id} {self.decision}"


class Objection(models.Model):
    """公示异议: anyone may object to a listed enterprise or amount during the notice period; an
    officer upholds (the line is excluded) or rejects it with a reply. Open objections hold the run
    back from payment."""

    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    run = models.ForeignKey(AutoRun, on_delete=models.CASCADE, related_name="objections")
    line = models.ForeignKey(RunLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="objections",
                             verbose_name="涉及企业")
    name = models.CharField("异议人", max_length=50)
    contact_encrypted = models.TextField("联系电话（密文）", blank=True)
    contact_masked = models.CharField("联系电话", max_length=20, blank=True)
    content = models.TextField("异议内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reply = models.CharField("处理意见", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"异议 #{self.pk}（{self.get_status_display()}）"


class PaymentBatch(models.Model):
    """拨付批次: the granted entitlements of one item sent to the treasury/bank together. The bank
    file is exported, the bank's results imported; confirmation without a file (国库直接支付) is
    also possible. Lines record each attempt; the ledger records the money."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待发送"
        SENT = "sent", "已发送银行"
        CLOSED = "closed", "已完成"

    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="payment_batches",
                             verbose_name="政策事项")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "拨付批次"
        verbose_name_plural = "拨付批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"拨付批次 PB{self.pk:06d}"

    @property
    def code(self) -> str:
        return f"PB{self.pk:06d}"


class PaymentLine(models.Model):
    """One payment attempt of one entitlement inside a batch. A failed line may be retried (a new
    line in a new batch) or returned (the entitlement is closed and its budget released)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待拨付"
        PAID = "paid", "已到账"
        FAILED = "failed", "拨付失败"
        RETRIED = "retried", "已重新拨付"
        RETURNED = "returned", "已退回"

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payment_lines")
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    account_name = models.CharField("户名", max_length=200, blank=True)
    bank_name = models.CharField("开户行", max_length=200, blank=True)
    account_masked = models.CharField("账号（脱敏）", max_length=40, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    failure_reason = models.CharField("失败原因", max_length=300, blank=True)
    bank_reference = models.CharField("银行流水号", max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "拨付明细"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.amount}"

    @property
    def code(self) -> str:
        return f"PL{self.pk:08d}"


class LedgerEntry(models.Model):
    """资金台账: one movement of money, append-only (the model refuses updates and deletes; a
    correction is a reversal entry with a negative amount).

    Two database guarantees against paying twice: `idempotency_key` is unique, so a retried or
    double-clicked request finds its first entry instead of writing a second; `paid_key` is set
    only on payment entries to "<entitlement id>#<reversals so far>" and is unique, so two
    different requests for the same entitlement cannot both succeed — even concurrently. After a
    reversal the entitlement's next payment gets a new paid_key generation."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "拨付"
        REVERSAL = "reversal", "冲正"

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="ledger_entries")
    line = models.ForeignKey(PaymentLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    idempotency_key = models.CharField(max_length=120, unique=True)
    paid_key = models.CharField(max_length=40, unique=True, null=True, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    reference = models.CharField("凭证/流水号", max_length=80, blank=True)
    reason = models.CharField("说明", max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField("记账时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "资金台账"
        verbose_name_plural = "资金台账"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="payment", amount__gt=0, paid_key__isnull=False)
                           | models.Q(kind="reversal", amount__lt=0, paid_key__isnull=True,
                                      reverses__isnull=False)),
                name="ledger_kind_consistent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("资金台账只能追加，不能修改；更正请做冲正")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("资金台账只能追加，不能删除；更正请做冲正")


class Suspect(models.Model):
    """不应享错享 suspect: a paid entitlement that no longer holds against current data and rules
    (a 失信/经营异常 flag now set, conditions no longer met, more paid than the rules give). One
    row per (entitlement, kind); a daily scan refreshes the reason; an officer confirms or
    dismisses it."""

    class Kind(models.TextChoices):
        FLAG = "flag", "名单异常"
        CONDITIONS = "conditions", "条件不再满足"
        AMOUNT = "amount", "拨付金额高于规则金额"
        COMMITMENT = "commitment", "违反申报承诺"

    class Status(models.TextChoices):
        OPEN = "open", "待核查"
        CONFIRMED = "confirmed", "确认错享"
        DISMISSED = "dismissed", "排除"

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="suspects")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    reason = models.CharField("疑点", max_length=500)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    found_at = models.DateTimeField("发现时间")
    last_seen_at = models.DateTimeField("最近核查")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution = models.CharField("核查意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "不应享错享疑点"
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["entitlement", "kind"], name="suspect_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.reason}"
