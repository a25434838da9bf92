from __future__ import annotations

from django.db import models


class MatchResult(models.Model):
    """政策找企的结果: one enterprise is eligible (符合) or possibly eligible (可能符合) for one
    published item, with the amount (exact, a range, or unbounded) and the data that would decide
    it. Ineligible pairs are not stored (results are sparse)."""

    class Status(models.TextChoices):
        ELIGIBLE = "eligible", "符合"
        POSSIBLE = "possible", "可能符合"

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="matches")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.CASCADE, related_name="matches")
    status = models.CharField("匹配结果", max_length=10, choices=Status.choices)
    amount_min = models.DecimalField("金额下限（元）", max_digits=16, decimal_places=2)
    amount_max = models.DecimalField("金额上限（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                     help_text="为空表示按申报额计算，无上限")
    unknown_fields = models.JSONField("待补充数据", default=list, blank=True)
    rules_version = models.CharField("规则版本", max_length=64)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "匹配结果"
        verbose_name_plural = "匹配结果"
        constraints = [models.UniqueConstraint(fields=["enterprise", "item"], name="match_result_unique")]
        indexes = [
            models.Index(fields=["item", "status"], name="match_item_status"),
            models.Index(fields=["enterprise", "status"], name="match_enterprise_status"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} × {self.item_id}: {self.status}"


class MatchJob(models.Model):
    """One recomputation run in the background: all pairs, one item, one enterprise, or the
    enterprises one import changed, with the progress the job page shows. A worker that runs it
    stamps ``heartbeat_at``; a running job whose heartbeat went stale is taken over by the next
    worker (the recomputation replaces its scope's results, so running it again is harmless)."""

    class Kind(models.TextChoices):
        FULL = "full", "全量匹配"
        ITEM = "item", "事项匹配"
        ENTERPRISE = "enterprise", "企业匹配"
        ENTERPRISES = "enterprises", "批量企业匹配"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    target = models.CharField("对象", max_length=60, blank=True)
    target_label = models.CharField("对象名称", max_length=200, blank=True)
    targets = models.JSONField("对象企业", default=list, blank=True, help_text="批量企业匹配的企业编号")
    reason = models.CharField("触发原因", max_length=100, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    total = models.PositiveIntegerField("总量", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    pairs = models.PositiveIntegerField("符合/可能符合对数", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    class Meta:
        verbose_name = "匹配任务"
        verbose_name_plural = "匹配任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_label or self.target}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class ScheduleSlot(models.Model):
    """A periodic job and when it next runs. Workers claim a due slot with a compare-and-set
    update, so with several workers each run happens once."""

    name = models.CharField(max_length=60, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "定时任务"

    def __str__(self) -> str:
        return self.name
