from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from .services import user_logout_recorded

LAST_SEEN = "huiqi_last_seen"


class IdleTimeoutMiddleware:
    """Ends a logged-in session idle for longer than HUIQI_IDLE_TIMEOUT_MINUTES (等保 requirement)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - float(last_seen) > settings.HUIQI_IDLE_TIMEOUT_MINUTES * 60:
                user_logout_recorded(user=user, reason="空闲超时")
                logout(request)
                messages.info(request, "您已长时间未操作，为保护账号安全已自动退出，请重新登录。")
            else:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
