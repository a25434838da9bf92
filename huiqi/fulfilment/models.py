"""申报兑现: an enterprise's application for a policy item, its review steps (one per configured
node), the clock of each step in working days, and the timeline the enterprise sees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from huiqi.core.deadlines import Deadline


class Application(models.Model):
    """One enterprise applying for one policy item (即申即享 / 申报审核) for one period.

    Declared figures (`input.<name>` of the rules language) live in `inputs` as decimal strings;
    `profile_figures` keeps the profile values the item read at submission, with their sources
    (数据最多采一次: the enterprise never types them). `status` and `node_index` change only
    through workflow.py with a compare-and-set UPDATE."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "审核中"
        RETURNED = "returned", "退回补正"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "不予通过"
        WITHDRAWN = "withdrawn", "已撤回"

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="applications",
                                   verbose_name="申报企业")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="applications",
                             verbose_name="政策事项")
    period = models.CharField("享受期次", max_length=20,
                              help_text="申报窗口所在年度（无窗口时为提交年度），同一企业同一事项同一期次只享受一次")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    node_index = models.PositiveSmallIntegerField("当前审核节点序号", default=0)
    inputs = models.JSONField("申报填报数据", default=dict, blank=True)
    commitments = models.JSONField("已签署承诺", default=list, blank=True)
    checks = models.JSONField("审核认定事项", default=dict, blank=True,
                              help_text="规则中 check 条件的审核结论：{条件原文: true/false}")
    profile_figures = models.JSONField("引用的企业档案数据", default=list, blank=True)
    # 便利度 of the supervision index: of the form's fields at submission, how many the platform
    # filled from the 一企一档 (null: submitted before this was recorded).
    prefilled_fields = models.PositiveSmallIntegerField("预填字段数", null=True, blank=True,
                                                        help_text="提交时由一企一档自动带出的字段数")
    form_fields = models.PositiveSmallIntegerField("申报表字段数", null=True, blank=True,
                                                   help_text="提交时申报表的字段总数（档案字段 + 企业填报字段）")
    correction = models.JSONField(
        "补正要求", default=dict, blank=True,
        help_text="最近一次退回补正：{reasons, materials: [须补交的材料], facts: [须说明的事项], answers: {事项: 企业说明}, asked_at}")
    amount_min = models.DecimalField("测算金额下限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField("测算金额上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    amount_approved = models.DecimalField("核定金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    amount_reason = models.CharField("核定金额理由", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_on = models.DateField("受理日", null=True, blank=True, help_text="第0日，次日起算工作日")
    cash_due_on = models.DateField("承诺兑现日", null=True, blank=True, db_index=True)
    first_reviewed_at = models.DateTimeField("首次审核时间", null=True, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_reason = models.TextField("办结意见", blank=True)
    entitlement_ref = models.CharField("兑现登记号", max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "item", "period"], name="application_one_live_per_period",
                condition=~Q(status__in=["withdrawn", "rejected"]),
            ),
        ]
        indexes = [models.Index(fields=["item", "status"], name="application_item_status")]

    def __str__(self) -> str:
        return f"申报#{self.pk} {self.item_id}"

    @property
    def reference(self) -> str:
        return f"SB{self.pk:08d}"


class ReviewStep(Deadline):
    """One review node of one application (e.g. 主管部门初审, 财政复核), copied from the item's
    `review_nodes` when the node starts so a later change of the item does not move a running
    clock. The clock (started_on = day 0, days, warn_days, 补正 pauses, due_at, colour kept current
    by the daily sweep) is the shared kernel's huiqi.core.deadlines.Deadline."""

    class Outcome(models.TextChoices):
        OPEN = "open", "待审核"
        APPROVED = "approved", "通过"
        REJECTED = "rejected", "不予通过"
        CANCELLED = "cancelled", "已撤回"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    index = models.PositiveSmallIntegerField("节点序号")
    name = models.CharField("节点名称", max_length=60)
    role = models.CharField("办理角色", max_length=20)
    department = models.CharField("办理部门", max_length=100, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    decided_on = models.DateField("办结日", null=True, blank=True)
    opinion = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "审核节点"
        verbose_name_plural = "审核节点"
        ordering = ["application_id", "index"]
        constraints = [models.UniqueConstraint(fields=["application", "index"], name="review_step_once_per_node")]
        indexes = [models.Index(fields=["outcome", "colour"], name="review_step_open_colour")]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.index} {self.name}"


class ApplicationMaterial(models.Model):
    """An uploaded 申报材料 file, stored under MEDIA_ROOT with a random name; the enterprise's own
    file name is kept only for display."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    label = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="applications/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    kind = models.CharField("类型", max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["label", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.label}：{self.original_name}"


class ApplicationEvent(models.Model):
    """One line of the enterprise's timeline (一案一卡): every status change and node, append-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事件", max_length=30)
    label = models.CharField("说明", max_length=200)
    step = models.ForeignKey(ReviewStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    detail = models.TextField("详情", blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.label


class Urge(models.Model):
    """催办: the enterprise presses an overdue node; at most once per working day (the unique
    constraint is the guarantee, even with two clicks at once)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="urges")
    step = models.ForeignKey(ReviewStep, on_delete=models.CASCADE, related_name="urges")
    workday = models.DateField("催办工作日")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "催办"
        verbose_name_plural = "催办"
        constraints = [models.UniqueConstraint(fields=["application", "workday"], name="urge_once_per_workday")]

    def __str__(self) -> str:
        return f"催办 {self.application_id} {self.workday}"
