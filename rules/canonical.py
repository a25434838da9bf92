"""Canonical JSON of rules and their version hash.

Numbers are normalised only where the language says a value is a number (atom values of numeric
fields, reward money and rates), so 20000000, "20000000" and 2e7 hash the same while a region code
"350500" stays a string.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from rules.fields import is_numeric
from rules.numbers import NotANumber, normalized_number_text, to_fraction

_REWARD_NUMBER_KEYS = frozenset({"fixed", "up_to", "rate", "cap", "floor", "per_unit"})


class _Num:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _num(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    try:
        to_fraction(value)
    except NotANumber:
        return value
    return _Num(normalized_number_text(value))


def _normalise(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        out: dict[str, Any] = {}
        numeric_atom = "field" in obj and "op" in obj and isinstance(obj.get("field"), str) and is_numeric(obj["field"])
        for k, v in obj.items():
            key = str(k)
            if numeric_atom and key == "value":
                out[key] = [_num(x) for x in v] if isinstance(v, list) else _num(v)
            elif key in _REWARD_NUMBER_KEYS and not isinstance(v, Mapping | list):
                out[key] = _num(v)
            else:
                out[key] = _normalise(v)
        return out
    if isinstance(obj, list | tuple):
        return [_normalise(x) for x in obj]
    if isinstance(obj, float | int) and not isinstance(obj, bool):
        return _Num(normalized_number_text(obj))
    return obj


def _dump(obj: Any, parts: list[str]) -> None:
    if isinstance(obj, _Num):
        parts.append(obj.text)
    elif isinstance(obj, dict):
        parts.append("{")
        for i, k in enumerate(sorted(obj)):
            if i:
                parts.append(",")
            parts.append(json.dumps(k, ensure_ascii=False))
            parts.append(":")
            _dump(obj[k], parts)
        parts.append("}")
    elif isinstance(obj, list):
        parts.append("[")
        for i, x in enumerate(obj):
            if i:
                parts.append(",")
            _dump(x, parts)
        parts.append("]")
    else:
        parts.append(json.dumps(obj, ensure_ascii=False))


def canonical_json(obj: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text, numbers without exponent or trailing zeros."""
    parts: list[str] = []
    _dump(_normalise(obj), parts)
    return "".join(parts)


def rules_version(conditions: Any, reward: Any) -> str:
    text = canonical_json({"conditions": conditions, "reward": reward})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
