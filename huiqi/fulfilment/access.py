"""Who may see and act on applications and review steps (built on huiqi.accounts.access)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from huiqi.accounts.access import is_active_user, user_covers_region
from huiqi.accounts.models import Role

if TYPE_CHECKING:
    from huiqi.policies.models import PolicyItem

    from .models import Application, ReviewStep

APPLICABLE_MODES = frozenset({"即申即享", "申报审核"})


def access_application_create(user: Any, item: PolicyItem) -> bool:
    """An enterprise user applies for a published item that takes applications."""
    return (is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None
            and item.status == "published" and item.mode in APPLICABLE_MODES)


def access_application_edit(user: Any, application: Application) -> bool:
    """Drafts, submissions and 补正 are the applying enterprise's own users' business."""
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == application.enterprise_id


def access_application_view(user: Any, application: Application) -> bool:
    """The enterprise itself, and, once it has been submitted, government users whose region
    covers the item (officers only for their own department's items)."""
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == application.enterprise_id)
    if application.submitted_at is None:
        return False  # an enterprise's unsubmitted draft is its own business
    item = application.item
    if user.role == Role.OFFICER:
        return (not item.department_id or user.department_id == item.department_id) and user_covers_region(user, item.region)
    if user.role in {Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR}:
        return user_covers_region(user, item.region)
    return False


def access_step_decide(user: Any, step: ReviewStep) -> bool:
    """The node's role, in the node's department (by name, as review_nodes configure it), within
    the item's region."""
    if not is_active_user(user) or user.role != step.role:
        return False
    if step.department:
        department = getattr(user, "department", None)
        if department is None or department.name != step.department:
            return False
    return user_covers_region(user, step.application.item.region)


def access_work_queue(user: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR}


def access_batch_verify(user: Any, item: PolicyItem) -> bool:
    """Officers of the item's department and reviewers in its region re-check pending applications."""
    if not is_active_user(user):
        return False
    if user.role == Role.OFFICER:
        return (not item.department_id or user.department_id == item.department_id) and user_covers_region(user, item.region)
    return user.role == Role.REVIEWER and user_covers_region(user, item.region)
