"""Who may see and act on contracts and commitments (tested case by case in tests/test_access.py)."""

from __future__ import annotations

from typing import Any

from huiqi.accounts.access import is_active_user, user_covers_region
from huiqi.accounts.models import Role

from .models import Commitment, Contract


def access_contract_create(user: Any) -> bool:
    """Officers of a department record contracts (their department becomes the responsible one)."""
    return is_active_user(user) and user.role == Role.OFFICER and user.department_id is not None


def _officer_of(user: Any, department_id: int | None, region: str) -> bool:
    return (user.role == Role.OFFICER and department_id is not None and user.department_id == department_id
            and user_covers_region(user, region))


def access_contract_view(user: Any, contract: Contract) -> bool:
    """The enterprise itself; officers of the signing department in its region; supervisors,
    reviewers and finance within their region."""
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == contract.enterprise_id)
    if user.role == Role.OFFICER:
        return bool(user.department_id == contract.department_id and user_covers_region(user, contract.region))
    return user.role in {Role.SUPERVISOR, Role.REVIEWER, Role.FINANCE} and user_covers_region(user, contract.region)


def access_contract_edit(user: Any, contract: Contract) -> bool:
    """Confirming drafted commitments: officers of the signing department."""
    return is_active_user(user) and _officer_of(user, contract.department_id, contract.region)


def access_commitment_view(user: Any, commitment: Commitment) -> bool:
    if not is_active_user(user):
        return False
    if user.role == Role.ENTERPRISE:
        return bool(user.enterprise_id == commitment.enterprise_id)
    if user.role == Role.OFFICER:
        dept = _responsible_department(commitment)
        return bool(user.department_id is not None and user.department_id == dept
                    and user_covers_region(user, commitment.region))
    return user.role in {Role.SUPERVISOR, Role.REVIEWER, Role.FINANCE} and user_covers_region(user, commitment.region)


def _responsible_department(commitment: Commitment) -> int | None:
    if commitment.department_id:
        return commitment.department_id
    return commitment.contract.department_id if commitment.contract is not None else None


def access_evidence_upload(user: Any, commitment: Commitment) -> bool:
    """The promising side shows its evidence: the enterprise's users for its own commitments, the
    responsible department's officers for the government's."""
    if not is_active_user(user) or commitment.status not in Commitment.OPEN:
        return False
    if commitment.side == Commitment.Side.ENTERPRISE:
        return user.role == Role.ENTERPRISE and user.enterprise_id == commitment.enterprise_id
    return _officer_of(user, commitment.department_id, commitment.region)


def access_evidence_confirm(user: Any, commitment: Commitment) -> bool:
    """The other party confirms: officers of the responsible department for an enterprise's
    commitment; the enterprise's users for a government commitment."""
    if not is_active_user(user) or commitment.status not in Commitment.OPEN:
        return False
    if commitment.side == Commitment.Side.ENTERPRISE:
        return _officer_of(user, _responsible_department(commitment), commitment.region)
    return user.role == Role.ENTERPRISE and user.enterprise_id == commitment.enterprise_id


def access_commitment_fail(user: Any, commitment: Commitment) -> bool:
    """Declaring a commitment impossible (with a reason): officers of the responsible department."""
    return (is_active_user(user) and commitment.status in Commitment.OPEN
            and _officer_of(user, _responsible_department(commitment), commitment.region))


def access_hold_place(user: Any, enterprise: Any) -> bool:
    """Officers whose region covers the enterprise hold or release its incentives."""
    return (is_active_user(user) and user.role == Role.OFFICER and user.department_id is not None
            and user_covers_region(user, enterprise.region))


def access_ticket_from(user: Any, commitment: Commitment) -> bool:
    """The enterprise turns an overdue government commitment into a request (企呼我应)."""
    return (is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == commitment.enterprise_id
            and commitment.side == Commitment.Side.GOVERNMENT and commitment.status == Commitment.Status.OVERDUE)


def access_commitment_supervision(user: Any) -> bool:
    return is_active_user(user) and user.role == Role.SUPERVISOR


def access_commitment_desk(user: Any) -> bool:
    """The officers' and supervisors' pages."""
    return is_active_user(user) and user.role in {Role.OFFICER, Role.SUPERVISOR}
