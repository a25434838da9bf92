"""Who may see and do what. Small functions, each tested case by case; every view, API endpoint
and menu entry asks one of them whether the user may open or do something, instead of testing
roles inline. (Selectors may still narrow a list by the viewer's role and region — which rows
an officer or a reviewer sees — once access has been granted here.)"""

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
    """A government user sees what lies in their region. A blank region is not "everything": it
    covers nothing (a province-wide user has the province's code, e.g. 350000)."""
    if not user.region:
        return False
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
    """三员: the system administrator manages (business) accounts; nobody else does."""
    return is_active_user(user) and user.role == Role.SYSADMIN


# 三员 separation: who checks whom. The audit administrator audits the system and security
# administrators; the security administrator checks the system administrator's and the audit
# administrator's operations. Nobody creates, changes or resets an account of a role that checks it.
BUSINESS_ROLES = frozenset({Role.ENTERPRISE, Role.OFFICER, Role.REVIEWER, Role.FINANCE, Role.SUPERVISOR})
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
CHECKED_BY: dict[str, frozenset[str]] = {
    Role.SYSADMIN: frozenset({Role.SECADMIN, Role.AUDITOR}),
    Role.SECADMIN: frozenset({Role.AUDITOR}),
    Role.AUDITOR: frozenset({Role.SECADMIN}),
}


def role_checks(checker: str, checked: str) -> bool:
    """Whether role `checker` checks (audits, oversees) role `checked`."""
    return checker in CHECKED_BY.get(checked, frozenset())


def access_user_create(user: Any, role: str) -> bool:
    """The system administrator creates business accounts only; 三员 accounts are created at
    deployment or by two of the three together (access_admin_account_propose/approve)."""
    return access_user_admin(user) and role in BUSINESS_ROLES


def access_user_unlock(user: Any, target: Any) -> bool:
    """The security administrator lifts login locks, but not on an account of a role that checks
    it, and not on its own account."""
    return (access_security_settings(user) and target.pk != user.pk
            and not role_checks(target.role, user.role))


def access_admin_account_propose(user: Any) -> bool:
    """Any of the three administrators may propose a new 三员 account."""
    return is_active_user(user) and user.role in ADMIN_ROLES


def access_admin_account_approve(user: Any, proposal: Any) -> bool:
    """A second administrator of another 三员 role approves: two of the three together."""
    return (is_active_user(user) and user.role in ADMIN_ROLES and user.pk != proposal.proposed_by_id
            and user.role != proposal.proposed_by.role)


def access_security_settings(user: Any) -> bool:
    """三员: the security administrator unlocks accounts and manages security settings."""
    return is_active_user(user) and user.role == Role.SECADMIN


def access_calendar_edit(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.SYSADMIN


def access_match_jobs(user: Any) -> bool:
    """Officers and supervisors watch and start recomputations."""
    return is_active_user(user) and user.role in {Role.OFFICER, Role.SUPERVISOR}


def access_own_enterprise_pages(user: Any) -> bool:
    """我的政策, 企业档案, 我的申报, 我的兑现: an enterprise user attached to an enterprise."""
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def access_enterprise_own(user: Any, enterprise_id: int | None) -> bool:
    """The user acts for this very enterprise (its own figures may be shown to it)."""
    return access_own_enterprise_pages(user) and user.enterprise_id == enterprise_id


def access_policy_manage(user: Any) -> bool:
    """事项管理: officers (their department's items), reviewers and supervisors (their region's)."""
    return is_active_user(user) and user.role in {Role.OFFICER, Role.REVIEWER, Role.SUPERVISOR}
