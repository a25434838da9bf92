"""Who may rate, see the index, answer a 差评 and move a 督办 order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from huiqi.accounts.access import is_active_user, user_covers_region
from huiqi.accounts.models import Role

if TYPE_CHECKING:
    from .models import PoorRatingCase, SupervisionOrder


def access_rate(user: Any, enterprise_id: int) -> bool:
    """Only the users of the enterprise that applied or was paid rate it."""
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id


def access_supervision_view(user: Any) -> bool:
    """The 驾驶舱: supervisors (their region) and policy officers (their department)."""
    return is_active_user(user) and user.role in {Role.SUPERVISOR, Role.OFFICER}


def access_index_region(user: Any, region: str) -> bool:
    """A supervisor sees the regions inside theirs; an officer only their department's figures."""
    return is_active_user(user) and user.role == Role.SUPERVISOR and user_covers_region(user, region)


def access_index_settings_edit(user: Any) -> bool:
    """Weights and thresholds: a supervisor with province-wide (or whole-system) scope."""
    return (is_active_user(user) and user.role == Role.SUPERVISOR
            and (not user.region or user.region.endswith("0000")))


def access_index_recompute(user: Any) -> bool:
    return access_index_settings_edit(user)


def access_order_raise(user: Any, region: str) -> bool:
    return is_active_user(user) and user.role == Role.SUPERVISOR and user_covers_region(user, region)


def access_order_view(user: Any, order: SupervisionOrder) -> bool:
    return access_order_raise(user, order.target_region) or access_order_answer(user, order)


def access_order_answer(user: Any, order: SupervisionOrder) -> bool:
    """The order's target: an officer of the target department, or (no department named) an
    officer whose own region is the target region."""
    if not (is_active_user(user) and user.role == Role.OFFICER):
        return False
    if order.target_department_id is not None:
        return bool(user.department_id == order.target_department_id)
    return bool(user.region == order.target_region)


def access_case_answer(user: Any, case: PoorRatingCase) -> bool:
    """A 差评 is answered by an officer of the responsible department (or, without one, an officer
    whose region covers the enterprise)."""
    if not (is_active_user(user) and user.role == Role.OFFICER):
        return False
    if case.department_id is not None:
        return bool(user.department_id == case.department_id)
    return user_covers_region(user, case.region)


def access_case_view(user: Any, case: PoorRatingCase) -> bool:
    return access_case_answer(user, case) or access_index_region(user, case.region)
