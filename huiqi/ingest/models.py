"""Policy ingestion (政策颗粒化): an uploaded document and the items drafted from its clauses,
waiting for an officer to correct and confirm them into the policy workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huiqi.policies.models import Level, Mode


class IngestBatch(models.Model):
    """One uploaded policy document with its (editable) metadata and drafted items. Confirming
    the first item creates the PolicyDocument once; later confirmations reuse it."""

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        DONE = "done", "已完成"
        DISCARDED = "discarded", "已放弃"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="牵头部门")
    source_file = models.FileField("原文文件", upload_to="ingest/%Y/")
    filename = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    text = models.TextField("正文（规范化）")
    title = models.CharField("标题", max_length=300, blank=True)
    doc_number = models.CharField("文号", max_length=80, blank=True)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices, blank=True)
    region = models.CharField("适用区划代码", max_length=6, blank=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    valid_from = models.DateField("施行日期", null=True, blank=True)
    valid_to = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    document = models.ForeignKey("policies.PolicyDocument", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="政策文件")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政策解析批次"
        verbose_name_plural = "政策解析批次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.filename


class DraftItem(models.Model):
    """A policy item drafted by the extractor from one clause; every element editable until it is
    confirmed (then it points at the PolicyItem it became) or discarded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待确认"
        CONFIRMED = "confirmed", "已确认"
        DISCARDED = "discarded", "已放弃"

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="drafts")
    position = models.PositiveIntegerField("序号")
    clause_path = models.CharField("条款", max_length=60, blank=True)
    clause_text = models.TextField("条款原文")
    clause_start = models.PositiveIntegerField(default=0)
    clause_end = models.PositiveIntegerField(default=0)
    spans = models.JSONField("要素位置", default=list, blank=True)
    title = models.CharField("事项名称", max_length=200, blank=True)
    conditions = models.JSONField("申报条件（规则）", null=True, blank=True)
    reward = models.JSONField("奖补标准（规则）", null=True, blank=True)
    mode = models.CharField("兑现方式", max_length=10, choices=Mode.choices, blank=True)
    window_start = models.DateField("申报开始", null=True, blank=True)
    window_end = models.DateField("申报截止", null=True, blank=True)
    materials = models.JSONField("申报材料", default=list, blank=True)
    reviewing_departments = models.JSONField("受理审核部门", default=list, blank=True)
    paying_department = models.CharField("拨付部门", max_length=100, blank=True)
    budget = models.DecimalField("资金预算（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    per_enterprise_cap = models.DecimalField("单企上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    exclusive_group = models.CharField("同类不重复组", max_length=60, blank=True)
    proposed_qualifications = models.JSONField("建议新增资质", default=list, blank=True)
    # How sure the extractor was: the least sure element's confidence, and every element with its
    # confidence and reasons (lowest first), so the review page puts the officer's time there.
    confidence = models.FloatField("起草把握", default=1.0)
    doubts = models.JSONField("待核对要素", default=list, blank=True)
    unmodelled = models.CharField("无法计算的待遇", max_length=200, blank=True)
    suggestion = models.JSONField("大模型建议", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    policy_item = models.ForeignKey("policies.PolicyItem", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="政策事项")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "事项草稿"
        verbose_name_plural = "事项草稿"
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="ingest_draft_position_unique")]

    def __str__(self) -> str:
        return f"{self.clause_path} {self.title}".strip()
