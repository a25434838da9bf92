"""The OpenAPI document lists every status an operation can return.

ninja documents the responses an operation declares; the rest are added here from what the
operation's code and the platform can actually answer:
- 400 for every operation (``RejectBadInputMiddleware`` refuses a NUL byte anywhere);
- 401 and 403 where the operation needs a session (ninja answers 401, CSRF 403);
- 422 where it takes parameters or a body (validation);
- every ``HttpError(NNN`` / ``Status(NNN`` in the view and the module's helpers it calls, and
  404 where one of them calls ``get_object_or_404``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

DESCRIPTIONS = {
    400: "请求有误（含空字符等），见 detail", 401: "未登录或登录已失效", 403: "无权执行该操作（含 CSRF 校验失败）",
    404: "对象不存在", 409: "状态冲突（已被他人办理等），请刷新后重试", 422: "参数不符合要求，见 detail",
    429: "请求过于频繁，请稍后再试",
}
_STATUS = re.compile(r"\b(?:HttpError|Status)\(\s*(\d{3})")
_CALL = re.compile(r"\b(_?[a-z]\w*)\(")


def _sources(func: Callable[..., Any], *, depth: int = 2) -> Iterator[str]:
    """The function's source and that of the same module's helpers it calls (``depth`` levels)."""
    seen: set[str] = set()
    todo = [(func, 0)]
    module = inspect.getmodule(func)
    while todo:
        current, level = todo.pop()
        try:
            source = inspect.getsource(current)
        except (OSError, TypeError):
            continue
        yield source
        if level >= depth or module is None:
            continue
        for name in _CALL.findall(source):
            helper = getattr(module, name, None)
            if (name not in seen and inspect.isfunction(helper)
                    and getattr(helper, "__module__", None) == module.__name__):
                seen.add(name)
                todo.append((helper, level + 1))


def statuses_of(view: Callable[..., Any]) -> set[int]:
    codes: set[int] = set()
    for source in _sources(view):
        codes |= {int(code) for code in _STATUS.findall(source)}
        if "get_object_or_404" in source or "Http404" in source:
            codes.add(404)
    return codes


def document_statuses(schema: dict[str, Any], operations: dict[str, Any]) -> dict[str, Any]:
    """Add the missing responses to ``schema`` in place; ``operations`` maps operationId to the
    ninja Operation."""
    for path_item in schema.get("paths", {}).values():
        for details in path_item.values():
            operation = operations.get(details.get("operationId", ""))
            if operation is None:
                continue
            codes = {400} | statuses_of(operation.view_func)
            if details.get("security"):
                codes |= {401, 403}
            if details.get("parameters") or details.get("requestBody"):
                codes.add(422)
            responses = details.setdefault("responses", {})
            present = {int(code) for code in responses}
            for code in sorted(codes - present):
                responses[code] = {"description": DESCRIPTIONS.get(code, "错误，见 detail")}
    return schema
