"""Who may see and do what. Small functions, each tested case by case; every view and API
endpoint asks one of them instead of testing roles inline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cnstd.regions import region_within

from .models import Role

if TYPE_CHECKING:
    from huiqi.enterprises.models import Enterprise
    from huiqi.policies.models import PolicyItem


def is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def user_covers_region(user: Any, region_code: str) -> bool:
    """A government user sees what lies in their region; an empty region means the whole system."""
    if not user.region:
        return True
    return bool(region_code) and region_within(region_code, user.region)


def access_enterprise_view(user: Any, enterprise: Enterprise) -> bool:
    """The enterprise's own users, and government users whose region covers it."""
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    if user.role in {Role.OFFICER, Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR}:
        return user_covers_region(user, enterprise.region)
    return False


def access_enterprise_list(user: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR}


def access_enterprise_import(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.OFFICER


def access_enterprise_correct(user: Any, enterprise: Enterprise) -> bool:
    """Filing a 纠错 request: only the enterprise itself."""
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise.pk


def access_correction_decide(user: Any, enterprise: Enterprise) -> bool:
    return is_active_user(user) and user.role == Role.OFFICER and user_covers_region(user, enterprise.region)


def access_policy_item_edit(user: Any, item: PolicyItem) -> bool:
    """Policy officers edit their own department's items (wherever an item applies, its author's
    department keeps it); an item without a department, when it lies in their region."""
    if not (is_active_user(user) and user.role == Role.OFFICER):
        return False
    if item.department_id:
        if user.department_id != item.department_id:
            return False
        return user_covers_region(user, getattr(item.department, "region", "") or item.region)
    return user_covers_region(user, item.region)


def access_policy_create(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.OFFICER and user.department_id is not None


def access_policy_review(user: Any, item: PolicyItem) -> bool:
    return is_active_user(user) and user.role == Role.REVIEWER and user_covers_region(user, item.region)


def access_policy_drafts_view(user: Any, item: PolicyItem) -> bool:
    """Unpublished items are visible to the officers and reviewers responsible for them."""
    return access_policy_item_edit(user, item) or access_policy_review(user, item) or (
        is_active_user(user) and user.role == Role.SUPERVISOR and user_covers_region(user, item.region)
    )


def access_qualification_catalogue_edit(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.OFFICER


def access_audit_log(user: Any) -> bool:
    """三员: only the audit administrator reads the audit log."""
    return is_active_user(user) and user.role == Role.AUDITOR


def access_user_admin(user: Any) -> bool:
    """三员: the system administrator manages accounts; nobody else does."""
    return is_active_user(user) and user.role == Role.SYSADMIN


def access_security_settings(user: Any) -> bool:
    """三员: the security administrator unlocks accounts and manages security settings."""
    return is_active_user(user) and user.role == Role.SECADMIN


def access_calendar_edit(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.SYSADMIN


def access_match_jobs(user: Any) -> bool:
    """Officers and supervisors watch and start recomputations."""
    return is_active_user(user) and user.role in {Role.OFFICER, Role.SUPERVISOR}
