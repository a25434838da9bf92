"""承诺必践 (政企合同双兑现): investment agreements (招商引资合同 / 投资协议) split clause by clause
into commitments of both sides, each on the kernel clock, with evidence, checks from data and the
hold an officer may place on an enterprise's incentives while it breaks its word."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cnstd.workdays import CalendarYearMissing, WorkCalendar
from huiqi.core.deadlines import Colour, Deadline, colour_for


class Contract(models.Model):
    """One 招商引资合同 / 投资协议 between a government (甲方, usually a 管委会 or bureau) and an
    enterprise (乙方): the project, the signing date, the amount and the document itself. Drafted
    from the uploaded text; an officer confirms its commitments."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        ACTIVE = "active", "履约中"

    title = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="contracts",
                                   verbose_name="签约企业")
    government_party = models.CharField("甲方", max_length=200)
    enterprise_party = models.CharField("乙方", max_length=200)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="contracts",
                                   verbose_name="签约责任部门")
    region = models.CharField("所属区划代码", max_length=6, db_index=True)
    signed_on = models.DateField("签约日期")
    amount = models.DecimalField("合同金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    document = models.FileField("合同文本", upload_to="commitments/contracts/%Y/", blank=True)
    document_name = models.CharField("原文件名", max_length=200, blank=True)
    text = models.TextField("合同文字", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "政企合同"
        verbose_name_plural = "政企合同"
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Commitment(Deadline):
    """One promise of one side: the government's (a responsible department and person) or the
    enterprise's; what, by when (the kernel clock: started_on = signing, due_at = due date,
    warn_days = reminder lead), optionally a measurable target on a profile figure
    (``target_field`` ``target_op`` ``target_value`` for years ``year_from``..``year_to``), and
    the clause it came from. Commitments signed in an application (以承诺代证明) have no contract
    but point to the application. ``status`` changes only through workflow.py."""

    class Side(models.TextChoices):
        GOVERNMENT = "government", "政府方"
        ENTERPRISE = "enterprise", "企业方"

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        PENDING = "pending", "未到期"
        DUE_SOON = "due_soon", "临期"
        OVERDUE = "overdue", "逾期"
        FULFILLED = "fulfilled", "已兑现"
        PARTIAL = "partial", "部分兑现"
        FAILED = "failed", "无法兑现"

    OPEN = (Status.PENDING, Status.DUE_SOON, Status.OVERDUE)
    RUNNING = (Status.PENDING, Status.DUE_SOON)
    BROKEN = (Status.OVERDUE, Status.PARTIAL, Status.FAILED)

    class Op(models.TextChoices):
        GTE = ">=", "不低于"
        LTE = "<=", "不高于"
        NONE = "none", "不出现"
        WITHIN = "within", "不迁出"

    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="commitments", verbose_name="合同")
    application = models.ForeignKey("fulfilment.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="commitment_rows", verbose_name="申报")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="commitments",
                                   verbose_name="企业")
    region = models.CharField("所属区划代码", max_length=6, db_index=True)
    side = models.CharField("承诺方", max_length=12, choices=Side.choices)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="commitments", verbose_name="责任部门")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="commitments_responsible", verbose_name="责任人")
    content = models.CharField("承诺事项", max_length=300)
    clause_path = models.CharField("条款", max_length=40, blank=True)
    clause_text = models.TextField("条款原文", blank=True)
    recurring = models.BooleanField("按年度考核", default=False)
    target_field = models.CharField("考核指标", max_length=40, blank=True)
    target_op = models.CharField("比较", max_length=8, choices=Op.choices, blank=True)
    target_value = models.DecimalField("目标值", max_digits=18, decimal_places=2, null=True, blank=True)
    target_text = models.CharField("目标（文字）", max_length=60, blank=True)
    year_from = models.PositiveSmallIntegerField("考核起始年度", null=True, blank=True)
    year_to = models.PositiveSmallIntegerField("考核截止年度", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reason = models.CharField("说明", max_length=500, blank=True)
    check_result = models.CharField("数据核验", max_length=10, blank=True)
    check_year = models.PositiveSmallIntegerField("核验年度", null=True, blank=True)
    check_figure = models.CharField("核验数据", max_length=60, blank=True)
    check_source = models.CharField("核验数据来源", max_length=120, blank=True)
    checked_at = models.DateTimeField("核验时间", null=True, blank=True)
    periods = models.JSONField("历次考核", default=list, blank=True,
                               help_text="按年度考核的承诺每期达标后的记录：[{year, due_on, figure, source, checked_at}]")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "承诺事项"
        verbose_name_plural = "承诺事项"
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "colour"], name="commitment_status_colour")]
        constraints = [
            models.CheckConstraint(condition=Q(contract__isnull=False) | Q(application__isnull=False),
                                   name="commitment_has_origin"),
            models.CheckConstraint(condition=Q(side="enterprise") | Q(department__isnull=False),
                                   name="government_commitment_has_department"),
        ]

    def __str__(self) -> str:
        return self.content

    def colour_at(self, *, now: datetime, calendar: WorkCalendar) -> str:
        """As the kernel's, but a due date beyond the published holiday calendar is far enough
        away to be green (yellow only needs the last few working days)."""
        assert self.due_at is not None
        today = timezone.localtime(now).date()
        if today > self.due_at:
            return Colour.RED
        try:
            return colour_for(due_at=self.due_at, warn_days=self.warn_days, today=today, calendar=calendar)
        except CalendarYearMissing:
            return Colour.GREEN

    @property
    def light(self) -> str:
        if self.status == self.Status.FULFILLED:
            return "done"
        if self.status in self.BROKEN:
            return "red"
        if self.status == self.Status.DUE_SOON:
            return "yellow"
        return "green"

    @property
    def due_text(self) -> str:
        return self.due_at.isoformat() if self.due_at else ""


class Evidence(models.Model):
    """A file one side uploads to show it kept a commitment; the other side confirms or rejects it
    (the enterprise's evidence is confirmed by the responsible department and vice versa)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "不予确认"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("佐证材料", upload_to="commitments/evidence/%Y/")
    filename = models.CharField("原文件名", max_length=200)
    note = models.CharField("说明", max_length=300, blank=True)
    partial = models.BooleanField("仅部分兑现", default=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    opinion = models.CharField("确认意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "践诺佐证"
        verbose_name_plural = "践诺佐证"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class IncentiveHold(models.Model):
    """An officer's hold on an enterprise's incentives while it has overdue unmet commitments:
    while it is not lifted, 即申即享 final approval and 免申即享 payment refuse the enterprise with
    ``reason`` (which the enterprise sees)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="incentive_holds")
    reason = models.CharField("暂停原因", max_length=500)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField("解除原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "暂停享受政策"
        verbose_name_plural = "暂停享受政策"
        constraints = [models.UniqueConstraint(fields=["enterprise"], condition=Q(lifted_at__isnull=True),
                                               name="one_active_hold_per_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.reason}"

    @property
    def message(self) -> str:
        return f"该企业有逾期未兑现的承诺，已暂停享受惠企政策：{self.reason}"
