from __future__ import annotations

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县（区）级"


class Mode(models.TextChoices):
    AUTO = "免申即享", "免申即享"
    INSTANT = "即申即享", "即申即享"
    REVIEWED = "申报审核", "申报审核"


class SupportType(models.TextChoices):
    SUBSIDY = "subsidy", "资金补助"
    AWARD = "award", "奖励"
    INTEREST = "interest", "贷款贴息"
    TAX = "tax", "税费减免"
    SERVICE = "service", "非资金支持"


class PolicyDocument(models.Model):
    """A published policy document (政策文件), e.g. 泉政文〔2024〕12号, from which items are cut."""

    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=80, blank=True, db_index=True)
    issuer = models.CharField("发文机关", max_length=200)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="documents", verbose_name="牵头部门")
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    region = models.CharField("适用区划代码", max_length=6, db_index=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    effective_from = models.DateField("施行日期", null=True, blank=True)
    effective_to = models.DateField("有效期至", null=True, blank=True)
    source_url = models.URLField("原文链接", blank=True)
    source_file = models.FileField("原文文件", upload_to="policy-docs/%Y/", blank=True)
    text = models.TextField("正文", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title


class PolicyItem(models.Model):
    """A policy item (政策事项): one benefit an enterprise can get, cut from one clause of a
    document, with its ~30 key elements. Conditions and reward are rules-language JSON
    (docs/rules/RULES.md), validated on every save; status moves only through workflow.py."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEWED = "reviewed", "已审核"
        PUBLISHED = "published", "已发布"
        EXPIRED = "expired", "已失效"

    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="items", verbose_name="政策文件")
    code = models.SlugField("事项编码", max_length=60, unique=True)
    title = models.CharField("事项名称", max_length=200)
    summary = models.TextField("政策要点", blank=True)
    clause_path = models.CharField("条款", max_length=60, blank=True)
    clause_text = models.TextField("条款原文", blank=True)
    region = models.CharField("适用区划代码", max_length=6, db_index=True)
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="items", verbose_name="主管部门")
    target = models.CharField("申报对象", max_length=300, blank=True)
    conditions = models.JSONField("申报条件（规则）", default=dict)
    reward = models.JSONField("奖补标准（规则）", default=dict)
    rules_version = models.CharField("规则版本", max_length=64, blank=True)
    mode = models.CharField("兑现方式", max_length=10, choices=Mode.choices)
    support_type = models.CharField("支持方式", max_length=10, choices=SupportType.choices, default=SupportType.SUBSIDY)
    tags = models.JSONField("标签", default=list, blank=True)
    window_start = models.DateField("申报开始", null=True, blank=True)
    window_end = models.DateField("申报截止", null=True, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_to = models.DateField("有效期止", null=True, blank=True)
    materials = models.JSONField("申报材料", default=list, blank=True)
    commitments = models.JSONField("承诺事项（以承诺代证明）", default=list, blank=True)
    inputs = models.JSONField("申报填报项", default=list, blank=True,
                              help_text='[{"name": "equipment_investment", "label": "设备投资额", "unit": "元"}]')
    review_nodes = models.JSONField("审核节点", default=list, blank=True,
                                    help_text='[{"name": "主管部门初审", "role": "reviewer", "department": "…", "days": 5, "warn_days": 2}]')
    reviewing_department = models.CharField("受理审核部门", max_length=100, blank=True)
    paying_department = models.CharField("拨付部门", max_length=100, blank=True)
    funding_source = models.CharField("资金来源", max_length=100, blank=True)
    budget = models.DecimalField("资金预算（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    per_enterprise_cap = models.DecimalField("单企上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    exclusive_group = models.CharField("同类不重复组", max_length=60, blank=True, db_index=True,
                                       help_text="同组事项就高不重复享受（惠中选惠）")
    cash_days = models.PositiveSmallIntegerField("承诺兑现时限（工作日）", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", null=True, blank=True)
    contact = models.CharField("咨询联系人", max_length=50, blank=True)
    contact_phone = models.CharField("咨询电话", max_length=30, blank=True)
    legal_basis = models.CharField("政策依据", max_length=300, blank=True)
    apply_url = models.URLField("申报入口", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政策事项"
        verbose_name_plural = "政策事项"
        ordering = ["-published_at", "code"]

    def __str__(self) -> str:
        return self.title

    def as_rules_item(self) -> dict[str, object]:
        """The item as the rules engine sees it (RULES.md §5)."""
        return {
            "id": self.code,
            "title": self.title,
            "region": self.region,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "mode": self.mode,
            "conditions": self.conditions or {"always": True},
            "reward": self.reward or {"none": "无资金支持"},
            "exclusive_group": self.exclusive_group or None,
            "per_enterprise_cap": str(self.per_enterprise_cap) if self.per_enterprise_cap is not None else None,
            "budget": str(self.budget) if self.budget is not None else None,
            "source": {"doc": self.document.doc_number or self.document.title, "clause": self.clause_path,
                       "text": self.clause_text},
        }


class SearchDoc(models.Model):
    """政策库全文检索: one published policy item as the search sees it — its jieba tokens are in
    SearchPosting, plus the figures the list sorts by. Rebuilt when an item is published or its
    rules change (receivers.py) and by `manage.py rebuild_policy_search`."""

    item = models.OneToOneField("policies.PolicyItem", on_delete=models.CASCADE, primary_key=True,
                                related_name="search_doc")
    length = models.PositiveIntegerField("词数", default=0)
    amount_max = models.DecimalField("最高金额（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                     help_text="为空表示按申报额计算或非资金支持")
    refreshed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "政策检索文档"
        verbose_name_plural = "政策检索文档"

    def __str__(self) -> str:
        return f"检索文档 {self.item_id}"


class SearchPosting(models.Model):
    """One term of one item with its frequency (an inverted index row, for BM25)."""

    doc = models.ForeignKey(SearchDoc, on_delete=models.CASCADE, related_name="postings")
    term = models.CharField(max_length=40)
    tf = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = "检索词"
        constraints = [models.UniqueConstraint(fields=["term", "doc"], name="search_posting_unique")]
        indexes = [models.Index(fields=["term"], name="search_posting_term")]

    def __str__(self) -> str:
        return f"{self.term} × {self.tf}"


class LibraryVersion(models.Model):
    """One row: the version of the published library as the public pages see it (published items,
    their documents, the qualification catalogue). Every write that can change what 一键匹配 shows
    moves it forward in the same transaction (receivers.py, workflow.transition), so every host
    and worker process can tell, with one query, whether the compiled index it holds is current.
    ``token`` is drawn when the row is created: a rebuilt or restored database never reuses a
    (token, version) pair a host may still have a cached index file for."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    token = models.CharField(max_length=32)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政策库版本"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="library_version_single_row")]

    def __str__(self) -> str:
        return f"政策库版本 {self.version}"
