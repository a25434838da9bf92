"""Turning an access_* answer into a response: one place renders the Chinese 403 page."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require(request: HttpRequest, allowed: bool) -> None:
    """Anonymous visitors are sent to log in; logged-in users without the right get 403."""
    if allowed:
        return
    if not request.user.is_authenticated:
        raise LoginRequired(request.get_full_path())
    raise PermissionDenied("您的账号没有访问此页面的权限。")


class LoginRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class LoginRequiredMiddleware:
    """Converts LoginRequired raised by `require` into a redirect to the login page."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):  # type: ignore[no-untyped-def]
        if isinstance(exception, LoginRequired):
            return redirect_to_login(exception.next_url)
        return None
