"""评与督: what enterprises think of the service (ratings, 差评 and the department's 整改 reply),
the monthly supervision index per region and department (stored snapshots, so past months do not
move), its administrator-set weights and thresholds, and 督办 orders with their 整改 clock."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from huiqi.core.deadlines import Deadline

RATING_TAGS = ("速度", "材料", "态度", "金额")


class Rating(models.Model):
    """One enterprise's rating (1–5) of one decided application or one 免申即享 payment, with an
    optional comment and tags. One per thing (unique constraints); editable for 7 days by the
    enterprise's own users. `region` is the enterprise's, `department` the item's (who answers a
    差评), copied at rating time so the index groups without joins."""

    class Subject(models.TextChoices):
        APPLICATION = "application", "申报办理"
        PAYMENT = "payment", "免申即享兑现"

    subject = models.CharField("评价对象", max_length=12, choices=Subject.choices)
    application = models.ForeignKey("fulfilment.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    entitlement = models.ForeignKey("disbursement.Entitlement", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("policies.PolicyItem", on_delete=models.PROTECT, related_name="ratings")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    region = models.CharField("企业所在区划", max_length=6, db_index=True)
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价内容", max_length=500, blank=True)
    tags = models.JSONField("评价标签", default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("评价时间")
    updated_at = models.DateTimeField("修改时间")
    editable_until = models.DateTimeField("可修改至")

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(application__isnull=False),
                                    name="rating_once_per_application"),
            models.UniqueConstraint(fields=["entitlement"], condition=Q(entitlement__isnull=False),
                                    name="rating_once_per_payment"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"评价 {self.score} 分"

    @property
    def poor(self) -> bool:
        return self.score <= 2


class PoorRatingCase(Deadline):
    """差评整改: a rating of 1–2 sent to the responsible department, which must answer (整改
    reply) within a working-day deadline (the kernel clock). Answered on time or late, or still
    unanswered, are counted apart in the index."""

    class Status(models.TextChoices):
        OPEN = "open", "待整改答复"
        ANSWERED = "answered", "已答复"

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="case")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    region = models.CharField("企业所在区划", max_length=6, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reply = models.TextField("整改答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_on = models.DateField("答复日", null=True, blank=True)
    on_time = models.BooleanField("按时答复", null=True, blank=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"


class IndexSettings(models.Model):
    """The weights of the four sub-indices in the total and the colour thresholds (green from
    `green_from`, yellow from `yellow_from`, red below). One row; an administrator changes it
    (audited); a snapshot keeps the values it was computed with."""

    weight_strength = models.DecimalField("力度权重", max_digits=4, decimal_places=2, default=Decimal("0.30"))
    weight_speed = models.DecimalField("速度权重", max_digits=4, decimal_places=2, default=Decimal("0.30"))
    weight_convenience = models.DecimalField("便利度权重", max_digits=4, decimal_places=2, default=Decimal("0.20"))
    weight_satisfaction = models.DecimalField("满意度权重", max_digits=4, decimal_places=2, default=Decimal("0.20"))
    # Weights of single measures inside their sub-index (the others weigh 1): index.Measure.weight_setting.
    weight_red_lights = models.DecimalField("审核红灯在速度中的权重", max_digits=4, decimal_places=2,
                                            default=Decimal("1.00"))
    weight_gov_overdue = models.DecimalField("政府方承诺逾期在速度中的权重", max_digits=4, decimal_places=2,
                                             default=Decimal("1.00"))
    weight_prefilled = models.DecimalField("字段预填率在便利度中的权重", max_digits=4, decimal_places=2,
                                           default=Decimal("1.00"))
    green_from = models.DecimalField("绿色下限", max_digits=5, decimal_places=1, default=Decimal("80"))
    yellow_from = models.DecimalField("黄色下限", max_digits=5, decimal_places=1, default=Decimal("60"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "指数权重与阈值"

    def __str__(self) -> str:
        return "指数权重与阈值"


class IndexSnapshot(models.Model):
    """The index of one region (province, prefecture or county; `department` empty) or one
    department (`department` set, `region` its region) for one month, as computed by the monthly
    job or an audited recompute. `figures` keeps the raw measures shown on the page."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        PREFECTURE = "prefecture", "市"
        COUNTY = "county", "县（市、区）"
        DEPARTMENT = "department", "部门"

    month = models.DateField("月份", help_text="当月1日")
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    region = models.CharField("区划代码", max_length=6, db_index=True)
    parent = models.CharField("上级区划代码", max_length=6, blank=True, db_index=True)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    strength = models.DecimalField("力度指数", max_digits=5, decimal_places=1, null=True)
    speed = models.DecimalField("速度指数", max_digits=5, decimal_places=1, null=True)
    convenience = models.DecimalField("便利度指数", max_digits=5, decimal_places=1, null=True)
    satisfaction = models.DecimalField("满意度指数", max_digits=5, decimal_places=1, null=True)
    score = models.DecimalField("总指数", max_digits=5, decimal_places=1, null=True)
    colour = models.CharField("三色", max_length=6, blank=True)
    figures = models.JSONField("原始指标", default=dict)
    settings_used = models.JSONField("计算所用权重与阈值", default=dict)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "月度指数"
        verbose_name_plural = "月度指数"
        ordering = ["month", "region"]
        constraints = [
            models.UniqueConstraint(fields=["month", "region"], condition=Q(department__isnull=True),
                                    name="snapshot_once_per_region_month"),
            models.UniqueConstraint(fields=["month", "department"], condition=Q(department__isnull=False),
                                    name="snapshot_once_per_department_month"),
        ]
        indexes = [models.Index(fields=["month", "parent"], name="snapshot_month_parent")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region} {self.score}"


class SupervisionOrder(Deadline):
    """督办单: a numbered order to a region (and optionally one department) to put something
    right, with the figures that caused it and a 整改 deadline in working days (the kernel clock).
    issued → acknowledged → replied (整改 reply) → accepted (published) → closed, or replied →
    returned → replied again. Status changes only through workflow.py."""

    class Status(models.TextChoices):
        ISSUED = "issued", "已下发"
        ACKNOWLEDGED = "acknowledged", "已签收"
        REPLIED = "replied", "已报整改"
        RETURNED = "returned", "整改退回"
        ACCEPTED = "accepted", "整改通过"
        CLOSED = "closed", "已办结"

    class Source(models.TextChoices):
        AUTO = "auto", "连续两月排名末两位"
        RED_LIGHT = "red_light", "审核红灯"
        RED_INDEX = "red_index", "指数红色"
        POOR_RATING = "poor_rating", "差评未答复"
        TICKET = "ticket", "诉求超期"
        COMMITMENT = "commitment", "承诺超期"
        MANUAL = "manual", "其他"

    OPEN_STATUSES = (Status.ISSUED, Status.ACKNOWLEDGED, Status.RETURNED)

    number = models.CharField("督办编号", max_length=30, unique=True)
    target_region = models.CharField("督办对象区划", max_length=6, db_index=True)
    target_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", verbose_name="督办对象部门")
    source = models.CharField("督办来源", max_length=12, choices=Source.choices)
    source_key = models.CharField("来源标识", max_length=80, blank=True,
                                  help_text="同一来源只督办一次（如 auto:2026-11:350300）")
    reason = models.TextField("督办事由")
    figures = models.JSONField("触发数据", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ISSUED, db_index=True)
    reply = models.TextField("整改情况", blank=True)
    replied_at = models.DateTimeField("报送时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField("下发时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_key"], condition=~Q(source_key=""), name="order_once_per_source"),
        ]

    def __str__(self) -> str:
        return self.number
