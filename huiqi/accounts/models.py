from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Department(models.Model):
    """A government department that publishes, reviews or pays (e.g. 泉州市工业和信息化局)."""

    name = models.CharField("部门名称", max_length=100)
    region = models.CharField("所属行政区划代码", max_length=6, db_index=True)
    kind = models.CharField("部门类别", max_length=30, blank=True, help_text="如 工信、科技、商务、财政、人社")

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="department_unique_name_region")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", "企业用户"
    OFFICER = "officer", "政策专员"
    REVIEWER = "reviewer", "审核人员"
    FINANCE = "finance", "财政人员"
    SUPERVISOR = "supervisor", "督查人员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


GOVERNMENT_ROLES = frozenset({Role.OFFICER, Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR})


class User(AbstractUser):
    """A person with exactly one role.

    Enterprise users are bound to one enterprise; government users to a department and a region
    (a province, prefecture or county code) that bounds what they see. The 三员 roles (system,
    security and audit administrators) are separate accounts with separated powers.
    """

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name="部门"
    )
    region = models.CharField("管辖区划代码", max_length=6, blank=True, help_text="政府用户可见范围")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", verbose_name="所属企业",
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="enterprise") | models.Q(enterprise__isnull=False),
                name="enterprise_user_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_government(self) -> bool:
        return self.role in GOVERNMENT_ROLES


class LoginThrottle(models.Model):
    """Consecutive failed logins with one username from one client address, and the temporary
    lock they caused.

    Kept per account *and* address, so a stranger failing on purpose locks only their own address
    out of that account, never its owner; kept in the database, so every web host sees the same
    lock. Rows exist for unknown usernames too: an unknown account behaves exactly like a known one.
    """

    username = models.CharField("用户名", max_length=150)
    client_ip = models.CharField("客户端地址", max_length=45)
    failures = models.PositiveSmallIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True, db_index=True)
    last_failure_at = models.DateTimeField("最近失败时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        constraints = [models.UniqueConstraint(fields=["username", "client_ip"], name="login_throttle_unique")]

    def __str__(self) -> str:
        return f"{self.username}@{self.client_ip}"


class AdminAccountProposal(models.Model):
    """A request by one of the three administrators (三员) for a new 三员 account, which only a
    second administrator of another 三员 role can approve: nobody creates such an account alone.
    The initial password is generated at approval and shown once to the approver."""

    class Status(models.TextChoices):
        PENDING = "pending", "待批准"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    username = models.CharField("用户名", max_length=150)
    display_name = models.CharField("姓名", max_length=50)
    reason = models.CharField("理由", max_length=300, blank=True)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="提议人")
    proposed_at = models.DateTimeField("提议时间")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="批准人")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "三员账号申请"
        verbose_name_plural = "三员账号申请"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.username}"
