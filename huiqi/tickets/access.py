"""Who may see and act on requests. Each function answers one question (tested case by case)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnstd.regions import region_within
from huiqi.accounts.access import is_active_user, user_covers_region
from huiqi.accounts.models import GOVERNMENT_ROLES, Role

if TYPE_CHECKING:
    from .models import Ticket


def is_dispatcher(user: Any, region: str = "") -> bool:
    """A designated 分办员 whose region covers ``region`` (any region when empty)."""
    if not is_active_user(user):
        return False
    from .models import Dispatcher

    row = Dispatcher.objects.filter(user_id=user.pk).first()
    if row is None:
        return False
    return not region or not row.region or region_within(region, row.region)


def access_ticket_register(user: Any) -> bool:
    """An enterprise user for its own enterprise; an officer or dispatcher on an enterprise's behalf."""
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id is not None
    return user.role == Role.OFFICER or is_dispatcher(user)


def access_ticket_list(user: Any) -> bool:
    """The request list (企呼我应): an enterprise its own requests; supervisors, dispatchers and
    department staff their queues."""
    return is_active_user(user) and (user.role in (Role.ENTERPRISE, Role.SUPERVISOR) or is_dispatcher(user)
                                     or getattr(user, "department_id", None) is not None)


def access_ticket_handle(user: Any, ticket: Ticket) -> bool:
    """A government user of the lead department (签收, 退回, 补充说明, 答复, 延期)."""
    return (is_active_user(user) and user.role in GOVERNMENT_ROLES and ticket.lead_department_id is not None
            and user.department_id == ticket.lead_department_id)


def access_ticket_dispatch(user: Any, ticket: Ticket) -> bool:
    return is_dispatcher(user, ticket.region)


def access_ticket_enterprise(user: Any, ticket: Ticket) -> bool:
    """The requesting enterprise's own users (补充说明, 评价)."""
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == ticket.enterprise_id


def access_ticket_view(user: Any, ticket: Ticket) -> bool:
    """The enterprise, the dispatchers and supervisors of its region, the lead and co departments."""
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == ticket.enterprise_id)
    if access_ticket_dispatch(user, ticket) or access_ticket_handle(user, ticket):
        return True
    if user.role == Role.SUPERVISOR:
        return user_covers_region(user, ticket.region)
    if user.role in GOVERNMENT_ROLES and user.department_id is not None:
        return ticket.co_departments.filter(pk=user.department_id).exists()
    return False


def access_ticket_stats(user: Any) -> bool:
    """会诊 lists and department statistics: supervisors and dispatchers."""
    return is_active_user(user) and (user.role == Role.SUPERVISOR or is_dispatcher(user))


def access_faq_review(user: Any, ticket: Ticket) -> bool:
    """Publishing an answered 咨询 to the public 企业问题库 is the dispatcher's review."""
    return access_ticket_dispatch(user, ticket)


def access_api_keys(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.SYSADMIN
