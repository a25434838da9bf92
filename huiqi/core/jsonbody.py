"""Reading a JSON request body defensively: bounded size, nesting and numbers, no NaN/Infinity.
Every refusal is a ``JsonRefused`` with a Chinese message, for a 400 answer."""

from __future__ import annotations

import json
from typing import Any

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
MAX_NUMBER_CHARS = 30


class JsonRefused(ValueError):
    pass


def _constant(name: str) -> Any:
    raise JsonRefused(f"请求中含有非数字的数值（{name}），请填写有限的数字")


def _number(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonRefused(f"请求中的数字过长（{len(text)} 位），请检查输入")
    value = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise JsonRefused("请求中的数字超出范围，请检查输入")
    return value


def _depth(value: Any, limit: int) -> None:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise JsonRefused(f"请求内容嵌套超过 {limit} 层，无法处理")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def load_json(body: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    if len(body) > max_bytes:
        raise JsonRefused(f"请求内容过大（{len(body) // 1024} KB，上限 {max_bytes // 1024} KB），请缩短后重试")
    try:
        text = body.decode("utf-8") or "{}"
        # Nesting is counted on the text first: json.loads itself recurses and fails deep down.
        if max(text.count("["), text.count("{")) > max_depth and _bracket_depth(text) > max_depth:
            raise JsonRefused(f"请求内容嵌套超过 {max_depth} 层，无法处理")
        value = json.loads(text, parse_constant=_constant, parse_int=_number, parse_float=_number)
    except JsonRefused:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise JsonRefused("请求内容不是合法的 JSON") from exc
    _depth(value, max_depth)
    return value


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest
