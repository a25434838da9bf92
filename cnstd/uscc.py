"""统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997) checks.

A wrong *format* is rejected; a wrong *check character* is only flagged, because some early real
codes were issued with a bad checksum and an officer must be able to confirm them.
"""

from __future__ import annotations

from dataclasses import dataclass

# GB 32100 character set: digits and upper-case letters without I, O, S, V, Z; value = index.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
# 3^(i-1) mod 31 for positions 1..17.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714: digits and A–Z (value 10–35) for the body, weights 3,7,9,10,5,8,4,2.
_ORG_BODY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_VALUE = {ch: i for i, ch in enumerate(_ORG_BODY_CHARS)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True, slots=True)
class CodeCheck:
    code: str
    format_ok: bool
    check_ok: bool
    expected_check: str | None
    message: str | None

    @property
    def ok(self) -> bool:
        return self.format_ok and self.check_ok


def _clean(code: str) -> str:
    # Officers paste codes with spaces or lower case; both are unambiguous to repair.
    return "".join(code.split()).upper()


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17 (raises ValueError on a character outside the set)."""
    body = _clean(first17)
    if len(body) != 17:
        raise ValueError(f"统一社会信用代码前17位应为17个字符，实际为{len(body)}个")
    total = 0
    for ch, weight in zip(body, _USCC_WEIGHTS, strict=True):
        if ch not in _USCC_VALUE:
            raise ValueError(f"统一社会信用代码含有不允许的字符“{ch}”")
        total += _USCC_VALUE[ch] * weight
    return USCC_CHARSET[(31 - total % 31) % 31]


def _bad_chars(text: str, allowed: str) -> str:
    seen: list[str] = []
    for ch in text:
        if ch not in allowed and ch not in seen:
            seen.append(ch)
    return "、".join(f"“{ch}”" for ch in seen)


def validate_uscc(code: str) -> CodeCheck:
    """Check a 统一社会信用代码. ``CodeCheck.code`` is the code with blanks removed and letters
    upper-cased, which is the form to store."""
    text = _clean(code)
    if not text:
        return CodeCheck(text, False, False, None, "统一社会信用代码为空")
    if len(text) != 18:
        return CodeCheck(text, False, False, None, f"统一社会信用代码应为18位，实际为{len(text)}位")
    # Positions 1-17 must be in the GB 32100 set. Position 18 only has to be a digit or letter: a
    # check character outside the set (the standard's own printed example ends in "Z") is simply a
    # wrong check character, and the officer is better served by "校验码应为3" than by a charset error.
    bad = _bad_chars(text[:17], USCC_CHARSET) or _bad_chars(text[17], _ORG_BODY_CHARS)
    if bad:
        return CodeCheck(
            text, False, False, None, f"统一社会信用代码含有不允许的字符{bad}（只能使用数字和除I、O、S、V、Z以外的大写字母）"
        )
    if not text[2:8].isdigit():
        return CodeCheck(text, False, False, None, "统一社会信用代码第3至8位应为行政区划代码（6位数字）")
    expected = uscc_check_char(text[:17])
    if text[17] != expected:
        return CodeCheck(text, True, False, expected, f"校验码应为{expected}")
    return CodeCheck(text, True, True, expected, None)


def uscc_region_code(code: str) -> str:
    """Characters 3–8: the registering authority's GB/T 2260 code (may since have been abolished)."""
    text = _clean(code)
    if len(text) < 8:
        raise ValueError(f"统一社会信用代码过短，无法取得行政区划代码：{code}")
    return text[2:8]


def uscc_org_code(code: str) -> str:
    """Characters 9–17: the 组织机构代码 body and its check character."""
    text = _clean(code)
    if len(text) != 18:
        raise ValueError(f"统一社会信用代码应为18位，实际为{len(text)}位")
    return text[8:17]


def org_check_char(first8: str) -> str:
    body = _clean(first8)
    if len(body) != 8:
        raise ValueError(f"组织机构代码本体应为8个字符，实际为{len(body)}个")
    total = 0
    for ch, weight in zip(body, _ORG_WEIGHTS, strict=True):
        if ch not in _ORG_VALUE:
            raise ValueError(f"组织机构代码含有不允许的字符“{ch}”")
        total += _ORG_VALUE[ch] * weight
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def validate_org_code(code: str) -> CodeCheck:
    """组织机构代码, written ``XXXXXXXX-C`` or ``XXXXXXXXC``."""
    text = _clean(code)
    if len(text) == 10 and text[8] == "-":
        text = text[:8] + text[9]
    if not text:
        return CodeCheck(text, False, False, None, "组织机构代码为空")
    if len(text) != 9:
        return CodeCheck(text, False, False, None, f"组织机构代码应为9位（8位本体加1位校验码），实际为{len(text)}位")
    bad = _bad_chars(text[:8], _ORG_BODY_CHARS)
    if bad:
        return CodeCheck(text, False, False, None, f"组织机构代码含有不允许的字符{bad}")
    if text[8] not in "0123456789X":
        return CodeCheck(text, False, False, None, f"组织机构代码校验码只能是数字或X，实际为“{text[8]}”")
    expected = org_check_char(text[:8])
    if text[8] != expected:
        return CodeCheck(text, True, False, expected, f"校验码应为{expected}")
    return CodeCheck(text, True, True, expected, None)
