"""Request/response hardening that applies to every page and API operation.

- ``RejectBadInputMiddleware``: a NUL byte in the path, a query or form field (name or value),
  or a JSON body (``\\u0000``) is refused with 400 and a Chinese message before any view runs —
  PostgreSQL cannot store or even compare such a string, so it would otherwise surface as a 500
  wherever the value reaches a query.
- ``SecurityHeadersMiddleware``: Content-Security-Policy without inline script, ``no-store``
  on pages of logged-in users, no ``Server`` header.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

NUL_MESSAGE = "请求中含有空字符（\\0），无法处理；请检查输入内容后重试"
_JSON_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the caller's language: JSON for the API, the site's page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    try:
        body: str = render_to_string("400.html", {"message": message}, request=request)
    except Exception:  # the page itself must not fail on a broken request
        body = f"<!doctype html><meta charset=utf-8><title>请求有误</title><p>{message}</p>"
    return HttpResponseBadRequest(body)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method in {"POST", "PUT", "PATCH"}:
        if content_type.startswith(_FORM_TYPES):
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return True
            for _field, uploads in request.FILES.lists():
                if any("\x00" in (getattr(upload, "name", "") or "") for upload in uploads):
                    return True
        elif content_type.startswith("application/json") and _JSON_NUL.search(request.body):
            return True
    return False


class RejectBadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _has_nul(request)
        except RequestDataTooBig:
            return bad_request(request, "提交的内容过大，超过上限，请精简后重试")
        if refused:
            return bad_request(request, NUL_MESSAGE)
        return self.get_response(request)


def content_security_policy() -> str:
    extra = getattr(settings, "HUIQI_CSP_EXTRA", "")
    policy = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
              "form-action 'self'; frame-ancestors 'none'")
    return f"{policy}; {extra}" if extra else policy


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(settings, "HUIQI_CSP", True):
            response.setdefault("Content-Security-Policy", self.policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Personal pages must not stay in a shared browser's or proxy's cache.
            response["Cache-Control"] = "no-store"
        if "Server" in response:
            del response["Server"]
        return response
