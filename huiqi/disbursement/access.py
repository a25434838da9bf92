"""Who may run, pay and see what in disbursement: policy officers run 免申即享, finance officers
pay, enterprises see only their own entitlements and payments. Built on accounts.access."""

from __future__ import annotations

from typing import Any

from huiqi.accounts.access import access_policy_item_edit, is_active_user, user_covers_region
from huiqi.accounts.models import Role


def access_run_manage(user: Any, item: Any) -> bool:
    """Listing, deciding, confirming a 免申即享 run and answering objections: the item's officers."""
    return access_policy_item_edit(user, item)


def access_run_view(user: Any, item: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR} and user_covers_region(user, item.region)


def access_pay(user: Any, item: Any) -> bool:
    """Building batches, exporting bank files, importing results, reversing: finance officers."""
    return is_active_user(user) and user.role == Role.FINANCE and user_covers_region(user, item.region)


def access_payments_view(user: Any, item: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR} and user_covers_region(user, item.region)


def access_disbursement_home(user: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR}


def access_suspects(user: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR}


def access_suspect_resolve(user: Any, item: Any) -> bool:
    return is_active_user(user) and user.role in {Role.OFFICER, Role.FINANCE} and user_covers_region(user, item.region)


def access_own_enterprise(user: Any, enterprise_id: int) -> bool:
    return is_active_user(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id
