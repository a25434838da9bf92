from __future__ import annotations

from django.conf import settings
from django.db import models

from huiqi.core.crypto import EncryptedTextField


class Ownership(models.TextChoices):
    PRIVATE = "private", "民营"
    STATE = "state", "国有"
    FOREIGN = "foreign", "外资"
    HMT = "hmt", "港澳台资"
    COLLECTIVE = "collective", "集体"
    OTHER = "other", "其他"


class Listing(models.TextChoices):
    NONE = "none", "未上市"
    NEEQ = "neeq", "新三板"
    BSE = "bse", "北交所"
    STAR = "star", "科创板"
    CHINEXT = "chinext", "创业板"
    MAIN = "main", "主板"
    OVERSEAS = "overseas", "境外上市"


class DataStatus(models.TextChoices):
    """Whether a value came from a government source or from the enterprise itself."""

    OFFICIAL = "official", "部门数据"
    SELF_REPORTED = "self_reported", "企业自报，待核实"
    CONFIRMED = "confirmed", "企业自报，已核实"


class Enterprise(models.Model):
    """一企一档: one enterprise's registered facts, each with where it came from and as of when.

    Static facts are columns; `sources` maps each static field name to
    {"source": "市场监管", "as_of": "2025-03-31", "status": "official"}. Yearly figures,
    qualifications and list flags live in their own tables with their own provenance.
    """

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_check_overridden = models.BooleanField(
        "校验码异常已人工确认", default=False,
        help_text="早期代码可能不满足校验规则：官员核实后确认保留",
    )
    name = models.CharField("企业名称", max_length=200, db_index=True)
    region = models.CharField("所在行政区划代码", max_length=6, db_index=True)
    industry = models.CharField("国民经济行业代码", max_length=5, blank=True, db_index=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    registered_capital = models.DecimalField("注册资本（元）", max_digits=18, decimal_places=2, null=True, blank=True)
    ownership = models.CharField("所有制", max_length=12, choices=Ownership.choices, blank=True)
    listed = models.CharField("上市情况", max_length=10, choices=Listing.choices, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)  # personal data: encrypted at rest
    contact_email = EncryptedTextField("联系邮箱", blank=True)  # personal data: encrypted at rest
    address = models.CharField("住所", max_length=200, blank=True)
    sources = models.JSONField("字段来源", default=dict, blank=True)
    qualifications_source = models.CharField(
        "资质清单来源", max_length=50, blank=True,
        help_text="为空表示尚未取得资质数据：资质视为未知，而非没有",
    )
    qualifications_as_of = models.DateField("资质清单数据日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class YearFigure(models.Model):
    """One yearly figure of an enterprise (营业收入, 研发费用, 从业人员 …) for one year, with its
    source. An absent row means unknown — never zero."""

    FIELDS: dict[str, str] = {
        "revenue": "营业收入",
        "main_revenue": "主营业务收入",
        "employees": "从业人员",
        "insured_employees": "参保人数",
        "rd_expense": "研发费用",
        "tax_paid": "纳税额",
        "total_assets": "资产总额",
        "output_value": "工业总产值",
        "export_value": "出口额",
        "fixed_asset_investment": "固定资产投资",
        "profit": "利润总额",
        "tax_credit_rating": "纳税信用等级",
        "invention_patents": "发明专利数",
    }
    MONEY_FIELDS = frozenset({"revenue", "main_revenue", "rd_expense", "tax_paid", "total_assets",
                              "output_value", "export_value", "fixed_asset_investment", "profit"})
    COUNT_FIELDS = frozenset({"employees", "insured_employees", "invention_patents"})
    TEXT_FIELDS = frozenset({"tax_credit_rating"})
    PRIVATE_FIELDS = frozenset(FIELDS)  # every yearly figure is private to the enterprise and officers

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField("年度")
    field = models.CharField("指标", max_length=30, choices=list(FIELDS.items()))
    value_number = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    value_text = models.CharField(max_length=10, blank=True)
    source = models.CharField("数据来源", max_length=50)
    as_of = models.DateField("数据日期")
    status = models.CharField("状态", max_length=15, choices=DataStatus.choices, default=DataStatus.OFFICIAL)

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "field"], name="year_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.field}"

    @property
    def value(self) -> object:
        return self.value_text if self.field in self.TEXT_FIELDS else self.value_number


class Qualification(models.Model):
    """An entry of the qualification catalogue (资质目录): a designation policies reward, such as
    高新技术企业 or 省级专精特新中小企业. Officers extend it when a policy needs a new one."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        OTHER = "other", "其他"

    code = models.SlugField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("认定层级", max_length=10, choices=Level.choices)
    validity_years = models.PositiveSmallIntegerField("通常有效期（年）", null=True, blank=True)
    issuer = models.CharField("认定部门", max_length=100, blank=True)
    is_public = models.BooleanField("公开信息", default=True, help_text="公示名单中的资质可用于一键匹配")
    aliases = models.JSONField("别名", default=list, blank=True)

    class Meta:
        verbose_name = "资质目录"
        verbose_name_plural = "资质目录"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EnterpriseQualification(models.Model):
    """A certificate an enterprise holds, valid between two dates (either end may be open)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="qualifications")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="holders")
    certificate_no = models.CharField("证书编号", max_length=60, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)
    source = models.CharField("数据来源", max_length=50)
    as_of = models.DateField("数据日期")

    class Meta:
        verbose_name = "企业资质"
        verbose_name_plural = "企业资质"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "qualification", "valid_from"], name="enterprise_qualification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.qualification_id} {self.valid_from or '…'}–{self.valid_to or '…'}"


class EnterpriseFlag(models.Model):
    """Membership of a public list: 失信主体, 经营异常名录, 近三年重大违法违规. A missing row is unknown."""

    FLAGS: dict[str, str] = {
        "dishonest": "失信主体",
        "abnormal_operation": "经营异常名录",
        "major_violation_3y": "近三年重大违法违规",
    }

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="flags")
    flag = models.CharField("名单", max_length=30, choices=list(FLAGS.items()))
    value = models.BooleanField("是否在名单中")
    source = models.CharField("数据来源", max_length=50)
    as_of = models.DateField("数据日期")

    class Meta:
        verbose_name = "名单标记"
        verbose_name_plural = "名单标记"
        constraints = [models.UniqueConstraint(fields=["enterprise", "flag"], name="enterprise_flag_unique")]

    def __str__(self) -> str:
        return f"{self.get_flag_display()}：{'是' if self.value else '否'}"


class CorrectionRequest(models.Model):
    """企业纠错: an enterprise disputes or supplies one field; an officer confirms or rejects it.

    `field_path` uses the profile's paths (`registered_capital`, `years.2024.revenue`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        CONFIRMED = "confirmed", "已确认"
        REJECTED = "rejected", "已驳回"

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="corrections")
    field_path = models.CharField("字段", max_length=60)
    current_value = models.CharField("当前值", max_length=100, blank=True)
    proposed_value = models.CharField("申请值", max_length=100)
    reason = models.TextField("理由", blank=True)
    evidence = models.FileField("佐证材料", upload_to="corrections/%Y/%m/", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "企业纠错申请"
        verbose_name_plural = "企业纠错申请"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.field_path}: {self.current_value} → {self.proposed_value}"


class ImportJob(models.Model):
    """A large enterprise-data file being written in the background after it passed every check.
    The writes are one transaction (all or nothing); the page shows the worker's progress. A
    running job whose worker stopped beating (``heartbeat_at`` stale) is run again by the next
    worker: its transaction died with the worker, and re-importing the same file changes nothing
    that was already written."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    filename = models.CharField("原文件名", max_length=200)
    source = models.CharField("数据来源", max_length=50, blank=True)
    as_of = models.DateField("数据日期", null=True, blank=True)
    rows = models.PositiveIntegerField("数据行", default=0)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    report = models.JSONField("结果", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "企业数据导入任务"
        verbose_name_plural = "企业数据导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"
