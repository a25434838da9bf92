from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .landing import work_page_for
from .services import LoginRefused, user_login, user_logout_recorded


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            user = user_login(request=request, username=form.cleaned_data["username"],
                              password=form.cleaned_data["password"])
        except LoginRefused as refused:
            error = str(refused)
        else:
            login(request, user, backend="huiqi.accounts.backends.LockoutModelBackend")
            if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                return redirect(next_url)
            return redirect(work_page_for(user))
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": next_url},
                  status=401 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_logout_recorded(user=request.user, reason="主动退出")
    logout(request)
    return redirect("core:home")


def user_list(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from huiqi.core.access_views import require

    from .access import access_user_admin
    from .forms import UserCreateForm
    from .models import User
    from .services import user_create

    require(request, access_user_admin(request.user))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_create(actor=request.user, username=data["username"], password=data["password"],
                                  role=data["role"], display_name=data["display_name"], department=data["department"],
                                  region=data["region"] or "", enterprise=data["enterprise"])
        except ValidationError as error:
            form.add_error("region" if error.code in {"region_required", "region_unknown"} else "password", error)
        else:
            messages.success(request, f"已创建账号 {created.username}（{created.get_role_display()}）")
            return redirect("accounts:users")
    users = User.objects.select_related("department", "enterprise").order_by("role", "username")
    return render(request, "accounts/users.html", {"users": users, "form": form})


def security(request: HttpRequest) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import get_object_or_404
    from django.utils import timezone

    from huiqi.core.access_views import require

    from .access import access_security_settings
    from .models import User
    from .services import user_unlock

    require(request, access_security_settings(request.user))
    if request.method == "POST":
        from .access import access_user_unlock

        target = get_object_or_404(User, username=request.POST.get("username", ""))
        require(request, access_user_unlock(request.user, target))
        user_unlock(actor=request.user, user=target)
        messages.success(request, f"已解锁账号 {target.username}")
        return redirect("accounts:security")
    from .models import LoginThrottle

    locked = LoginThrottle.objects.filter(locked_until__gt=timezone.now()).order_by("locked_until")
    known = set(User.objects.filter(username__in=[t.username for t in locked]).values_list("username", flat=True))
    from django.conf import settings

    return render(request, "accounts/security.html", {
        "locked": locked, "known": known, "max_failures": settings.HUIQI_LOGIN_MAX_FAILURES,
        "lock_minutes": settings.HUIQI_LOGIN_LOCK_MINUTES, "idle_minutes": settings.HUIQI_IDLE_TIMEOUT_MINUTES,
    })


def admin_accounts(request: HttpRequest) -> HttpResponse:
    """三员 accounts: one administrator proposes, an administrator of another 三员 role approves."""
    from django.contrib import messages
    from django.shortcuts import get_object_or_404

    from huiqi.core.access_views import require

    from .access import access_admin_account_approve, access_admin_account_propose
    from .forms import AdminAccountProposalForm
    from .models import AdminAccountProposal
    from .services import (
        AdminAccountRefused,
        admin_account_approve,
        admin_account_propose,
        admin_account_reject,
    )

    require(request, access_admin_account_propose(request.user))
    form = AdminAccountProposalForm(request.POST if request.POST.get("op") == "propose" else None)
    issued: dict[str, str] | None = None
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "propose" and form.is_valid():
                data = form.cleaned_data
                admin_account_propose(actor=request.user, role=data["role"], username=data["username"],  # type: ignore[arg-type]
                                      display_name=data["display_name"], reason=data["reason"])
                messages.success(request, "已提交三员账号申请，须由另一种三员角色的管理员批准。")
                return redirect("accounts:admins")
            if op in {"approve", "reject"}:
                proposal = get_object_or_404(AdminAccountProposal, pk=request.POST.get("proposal"),
                                             status=AdminAccountProposal.Status.PENDING)
                if op == "approve":
                    require(request, access_admin_account_approve(request.user, proposal))
                    user, password = admin_account_approve(actor=request.user, proposal=proposal)  # type: ignore[arg-type]
                    issued = {"username": user.username, "password": password}
                else:
                    admin_account_reject(actor=request.user, proposal=proposal)  # type: ignore[arg-type]
                    messages.success(request, "已驳回该申请。")
                    return redirect("accounts:admins")
        except AdminAccountRefused as refused:
            messages.error(request, str(refused))
    pending = AdminAccountProposal.objects.filter(status=AdminAccountProposal.Status.PENDING).select_related("proposed_by")
    rows = [(p, access_admin_account_approve(request.user, p)) for p in pending]
    return render(request, "accounts/admins.html", {"form": form, "rows": rows, "issued": issued})
