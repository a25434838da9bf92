"""Who is asking, from where, under which request id — for logs and the audit log.

`RequestContextMiddleware` (first in MIDDLEWARE) gives every request an id, puts it and the
client's address in a contextvar, answers with an `X-Request-ID` header and writes one log line
per request. `audit_record` reads the client address from here; the 500 page shows the id.

The client address is REMOTE_ADDR, unless HUIQI_TRUSTED_PROXIES lists the address the request
came from: then the right-most X-Forwarded-For entry that is not itself a trusted proxy.
"""

from __future__ import annotations

import contextvars
import ipaddress
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

log = logging.getLogger("huiqi.request")


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_ip: str = ""


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("huiqi_request", default=None)


def current_request() -> RequestContext:
    """The request being served on this thread/task, or an empty context outside a request."""
    return _current.get() or _EMPTY


def _trusted(address: str) -> bool:
    proxies: list[str] = list(getattr(settings, "HUIQI_TRUSTED_PROXIES", []))
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for proxy in proxies:
        try:
            if ip in ipaddress.ip_network(proxy, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    for candidate in reversed(forwarded):
        if not _trusted(candidate):
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote


def _incoming_id(request: HttpRequest) -> str:
    """A proxy's X-Request-ID is kept when it is a plain token; anything else gets a new id."""
    given = str(request.META.get("HTTP_X_REQUEST_ID", ""))
    if 8 <= len(given) <= 32 and given.replace("-", "").isalnum() and given.isascii():
        return given
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(request_id=_incoming_id(request), client_ip=client_ip(request))
        token = _current.set(context)
        request.request_id = context.request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = context.request_id
            return response
        finally:
            user: Any = getattr(request, "user", None)
            log.info(
                "%s %s %s",
                request.method, request.path, status,
                extra={  # request_id and client_ip come with every record (install_log_record_factory)
                    "user": user.get_username() if getattr(user, "is_authenticated", False) else "",
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            _current.reset(token)


def install_log_record_factory() -> None:
    """Every log record (errors from django.request included) carries the current request id and
    client address, whichever handler or formatter writes it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_huiqi_request_context", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        context = current_request()
        record.request_id = context.request_id
        record.client_ip = context.client_ip
        return record

    factory._huiqi_request_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line (HUIQI_LOG_FORMAT=json): time, level, logger, message, the request
    fields and any other `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                payload[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            payload["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s %(client_ip)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        for name in ("request_id", "client_ip"):
            if not getattr(record, name, ""):
                setattr(record, name, "-")
        text = super().format(record)
        user = getattr(record, "user", None)
        return f"{text} user={user}" if user else text
