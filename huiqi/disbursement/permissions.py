"""Who may run, pay and see what in disbursement. Kept beside the app for now; proposed for
`huiqi/accounts/access.py` (the lead owns it): policy officers run 免申即享, finance officers pay,
enterprises see only their own entitlements and payments."""

from __future__ import annotations

from typing import Any

from cnstd.regions import region_within
from huiqi.accounts.access import access_policy_item_edit
from huiqi.accounts.models import Role


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _in_region(user: Any, region: str) -> bool:
    if not user.region:
        return True
    return bool(region) and region_within(region, user.region)


def access_run_manage(user: Any, item: Any) -> bool:
    """Listing, deciding, confirming a 免申即享 run and answering objections: the item's officers."""
    return access_policy_item_edit(user, item)


def access_run_view(user: Any, item: Any) -> bool:
    return _active(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR} and _in_region(user, item.region)


def access_pay(user: Any, item: Any) -> bool:
    """Building batches, exporting bank files, importing results, reversing: finance officers."""
    return _active(user) and user.role == Role.FINANCE and _in_region(user, item.region)


def access_payments_view(user: Any, item: Any) -> bool:
    return _active(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR} and _in_region(user, item.region)


def access_disbursement_home(user: Any) -> bool:
    return _active(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR}


def access_suspects(user: Any) -> bool:
    return _active(user) and user.role in {Role.OFFICER, Role.FINANCE, Role.SUPERVISOR}


def access_suspect_resolve(user: Any, item: Any) -> bool:
    return _active(user) and user.role in {Role.OFFICER, Role.FINANCE} and _in_region(user, item.region)


def access_own_enterprise(user: Any, enterprise_id: int) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id == enterprise_id
