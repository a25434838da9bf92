"""企呼我应: enterprise requests (诉求) answered on a working-day clock.

A request is registered by the enterprise, by an officer on its behalf, or by another system
(12345, 一网通办) through the API; a dispatcher (分办员) assigns a lead department; the
department signs for it (签收, 24 working hours from registration), handles and answers it
within the category's working days (counted from the day of registration, day 0; paused while
waiting for the enterprise's 补充说明; lengthened by an approved 延期); the enterprise rates the
answer. 不满意 sends it back once (二次交办, a new clock); a second 不满意 closes it as escalated
(``escalated_at``), which supervisors see and 督办 picks up (``selectors.escalated_tickets``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from huiqi.core.deadlines import Deadline


class TicketCategory(models.Model):
    """A kind of request and its clocks, edited by an administrator (咨询 2, 建议 5, 投诉 10,
    求助 10, 政策兑现问题 5 working days by default; 签收 within 24 working hours)."""

    name = models.CharField("类别", max_length=20, unique=True)
    days = models.PositiveSmallIntegerField("答复时限（工作日）")
    warn_days = models.PositiveSmallIntegerField("预警天数（工作日）", default=1)
    sign_hours = models.PositiveSmallIntegerField("签收时限（小时）", default=24)
    keywords = models.CharField("分办关键词", max_length=300, blank=True,
                                help_text="以顿号或逗号分隔；诉求内容含这些词时建议分办给下方部门类别")
    department_kind = models.CharField("建议承办部门类别", max_length=30, blank=True, help_text="如 工信、财政、人社")
    publishable = models.BooleanField("答复可公开到企业问题库", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Dispatcher(models.Model):
    """A user who assigns (分办) the requests of a region and approves 延期 (e.g. 营商办 staff)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ticket_dispatcher",
                                verbose_name="分办员")
    region = models.CharField("负责区划代码", max_length=6)

    class Meta:
        verbose_name = "诉求分办员"
        verbose_name_plural = "诉求分办员"

    def __str__(self) -> str:
        return f"{self.user} {self.region}"


class ApiClient(models.Model):
    """An external system (12345 热线, 一网通办) calling the API with its own key. Only the key's
    SHA-256 is stored; the key is shown once when created; a revoked key is refused."""

    class Scope(models.TextChoices):
        CREATE = "tickets:create", "登记诉求"
        READ = "tickets:read", "查询诉求"
        EVENTS = "tickets:events", "回传办理情况"

    name = models.CharField("系统名称", max_length=60, unique=True)
    scopes = models.JSONField("权限范围", default=list)
    key_prefix = models.CharField("密钥前缀", max_length=12, db_index=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True)
    region = models.CharField("所属区划代码", max_length=6, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近调用", null=True, blank=True)

    class Meta:
        verbose_name = "接口调用系统"
        verbose_name_plural = "接口调用系统"

    def __str__(self) -> str:
        return self.name

    @property
    def scope_labels(self) -> str:
        labels = dict(self.Scope.choices)
        return "、".join(str(labels.get(s, s)) for s in self.scopes)


class Ticket(Deadline):
    """One request (一案一卡). The kernel clock (``due_at``) is the answer deadline; while the
    request waits for 签收, ``due_time`` is the 24-hour 签收 moment. ``status`` changes only
    through workflow.py (compare-and-set)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "待分办"
        ASSIGNED = "assigned", "待签收"
        HANDLING = "handling", "办理中"
        WAITING = "waiting", "待企业补充说明"
        ANSWERED = "answered", "已答复待评价"
        CLOSED = "closed", "已办结"

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", "企业自行登记"
        OFFICER = "officer", "工作人员代登记"
        SYSTEM = "system", "外部系统推送"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    class Faq(models.TextChoices):
        NONE = "", "未申请公开"
        PENDING = "pending", "待审核公开"
        PUBLISHED = "published", "已公开"
        REFUSED = "refused", "不予公开"

    OPEN_STATUSES = (Status.REGISTERED, Status.ASSIGNED, Status.HANDLING, Status.WAITING)

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="tickets",
                                   verbose_name="企业")
    category = models.ForeignKey(TicketCategory, on_delete=models.PROTECT, related_name="tickets", verbose_name="类别")
    title = models.CharField("标题", max_length=100)
    content = models.TextField("诉求内容")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    related_item = models.ForeignKey("policies.PolicyItem", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="tickets", verbose_name="相关政策事项")
    related_application = models.ForeignKey("fulfilment.Application", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="tickets",
                                            verbose_name="相关申报")
    region = models.CharField("所属区划代码", max_length=6, db_index=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets",
                               verbose_name="推送系统")
    external_id = models.CharField("外部编号", max_length=64, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REGISTERED,
                              db_index=True)
    round = models.PositiveSmallIntegerField("交办轮次", default=1)
    lead_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="lead_tickets", verbose_name="承办部门")
    co_departments = models.ManyToManyField("accounts.Department", blank=True, related_name="co_tickets",
                                            verbose_name="协办部门")
    suggested_department = models.ForeignKey("accounts.Department", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+",
                                             verbose_name="建议承办部门")
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    transfers = models.PositiveSmallIntegerField("转办次数", default=0)
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_on_time = models.BooleanField("按时答复", null=True, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    unsatisfied = models.PositiveSmallIntegerField("不满意次数", default=0)
    escalated_at = models.DateTimeField("转督办时间", null=True, blank=True, db_index=True)
    escalation_reason = models.CharField("转督办原因", max_length=300, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    faq = models.CharField("企业问题库", max_length=10, choices=Faq.choices, default=Faq.NONE, blank=True)
    faq_question = models.CharField("公开问题", max_length=200, blank=True)
    faq_answer = models.TextField("公开答复", blank=True)
    faq_published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "诉求"
        verbose_name_plural = "诉求"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "external_id"], condition=~Q(external_id=""),
                                    name="ticket_once_per_external_id"),
            models.UniqueConstraint(fields=["enterprise", "external_id"], condition=~Q(external_id="")
                                    & Q(client__isnull=True), name="ticket_once_per_enterprise_external_id"),
        ]
        indexes = [models.Index(fields=["lead_department", "status", "colour"], name="ticket_queue")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"QH{self.pk:08d}"


class TicketAttachment(models.Model):
    """A file attached to a request (type and size checked by huiqi.core.files), random stored name."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="tickets/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    kind = models.CharField("类型", max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "诉求附件"
        verbose_name_plural = "诉求附件"

    def __str__(self) -> str:
        return self.original_name


class TicketExtension(models.Model):
    """延期: asked by the lead department at least one working day before the due date, decided by
    a dispatcher; one pending request at a time."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长工作日")
    reason = models.CharField("理由", max_length=500)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    approved = models.BooleanField("批准", null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        constraints = [models.UniqueConstraint(fields=["ticket"], condition=Q(approved__isnull=True),
                                               name="ticket_one_pending_extension")]

    def __str__(self) -> str:
        return f"{self.ticket_id} +{self.days}"


class TicketEvent(models.Model):
    """One line of the request's timeline (一案一卡), append-only."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("事件", max_length=20)
    label = models.CharField("说明", max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField("办理人", max_length=100, blank=True)
    detail = models.TextField("详情", blank=True)

    class Meta:
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.label
