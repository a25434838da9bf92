from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(user: Any) -> dict[str, bool]:
    """Which menu entries this user sees: each asks the access_* function of the page it links to,
    so a link is shown exactly when the page would open."""
    from huiqi.accounts import access
    from huiqi.commitments.access import access_commitment_desk
    from huiqi.disbursement.access import access_disbursement_home
    from huiqi.fulfilment.access import access_work_queue
    from huiqi.supervision.access import access_supervision_view
    from huiqi.tickets.access import access_api_keys, access_ticket_list

    return {
        "own_enterprise": access.access_own_enterprise_pages(user),
        "enterprises": access.access_enterprise_list(user),
        "disbursement": access_disbursement_home(user),
        "policy_manage": access.access_policy_manage(user),
        "work_queue": access_work_queue(user),
        "match_jobs": access.access_match_jobs(user),
        "ingest": access.access_policy_create(user),
        "corrections": access.access_enterprise_import(user),
        "enterprise_import": access.access_enterprise_import(user),
        "user_admin": access.access_user_admin(user),
        "calendar": access.access_calendar_edit(user),
        "security": access.access_security_settings(user),
        "audit_log": access.access_audit_log(user),
        "tickets": access_ticket_list(user),
        "commitments": access_commitment_desk(user),
        "supervision": access_supervision_view(user),
        "ticket_admin": access_api_keys(user),
        # The calculator opens for everyone; in the menu only for enterprises (and visitors, who get
        # no nav dict): government staff reach it from the home page and each item page, which
        # keeps their long menu on one line.
        "calculator": not getattr(user, "is_government", False),
    }


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "platform_name": "惠企直达",
        "platform_slogan": "政策找企 · 免申即享 · 直达账户",
        "current_role": getattr(user, "role", "") if authenticated else "",
        "nav": navigation(user) if authenticated else {},
    }
