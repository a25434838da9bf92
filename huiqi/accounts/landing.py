"""Where each role lands after login: its own work page, not the public home page."""

from __future__ import annotations

from typing import Any

from .models import Role

WORK_PAGES: dict[str, str] = {
    Role.ENTERPRISE: "/my/",
    Role.OFFICER: "/policies/manage/",
    Role.REVIEWER: "/fulfilment/queue/",
    Role.FINANCE: "/fulfilment/queue/",
    Role.SUPERVISOR: "/supervision/",
    Role.SYSADMIN: "/accounts/users/",
    Role.SECADMIN: "/accounts/security/",
    Role.AUDITOR: "/audit/",
}


def work_page_for(user: Any) -> str:
    return WORK_PAGES.get(getattr(user, "role", ""), "/")
