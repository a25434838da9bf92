"""Numbers, amounts and ratios as written in Chinese policy text, parsed exactly into ``Decimal``.

The parser is our own rather than ``cn2an`` because cn2an returns floats (1.15万 must be exactly
11500) and rejects forms policies use (``1万2千``, ``3,000``, ``百分之12.5``, ``千分之五``);
the tests use cn2an as an independent oracle for pure Chinese numerals.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN_CHARS = "万萬"
_YI_CHARS = "亿億"
_ARABIC = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")

_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def _error(text: str, what: str = "数字") -> ValueError:
    return ValueError(f"无法识别的{what}：“{text}”")


def _canonical(value: Decimal) -> Decimal:
    """Integral values without a fractional part (``50000000`` not ``50000000.0``), others without
    trailing zeros, never in exponent form."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    text = format(value.normalize(), "f")
    return Decimal(text)


def _prepare(text: str) -> str:
    # NFKC turns full-width digits, ％, ，and ．into ASCII; blanks never carry meaning in a figure.
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = "".join(cleaned.split())
    return _THOUSANDS.sub("", cleaned)


def _parse_section(text: str, original: str) -> Decimal:
    """A number below 万: Arabic, Chinese with 千百十, digit strings (二〇二四), 点 decimals, or mixed."""
    if _ARABIC.fullmatch(text):
        return Decimal(text)
    if "点" in text:
        whole, _, frac = text.partition("点")
        if not frac or any(ch not in _DIGITS for ch in frac):
            raise _error(original)
        int_part = _parse_section(whole, original) if whole else Decimal(0)
        return int_part + Decimal("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    if all(ch in _DIGITS for ch in text):
        # 五, or 二〇二四 style: digits read one by one
        return Decimal("".join(str(_DIGITS[ch]) for ch in text))

    total = Decimal(0)
    token = ""
    pending: Decimal | None = None
    last_unit: int | None = None
    after_zero = False
    for token in _TOKEN.findall(text):
        if token in _SMALL_UNITS:
            unit = _SMALL_UNITS[token]
            if last_unit is not None and unit >= last_unit:
                raise _error(original)
            if pending is None and (last_unit is not None or after_zero):
                # a bare unit only opens a number (十五, 百万); 千百 or 一百十 is not a number
                raise _error(original)
            total += (pending if pending is not None else Decimal(1)) * unit
            pending, last_unit, after_zero = None, unit, False
        elif token in _DIGITS and _DIGITS[token] == 0:
            # 一千零五: a Chinese zero only marks a skipped unit
            after_zero = True
        elif token in _DIGITS or _ARABIC.fullmatch(token):
            if pending is not None:
                raise _error(original)
            pending = Decimal(_DIGITS[token]) if token in _DIGITS else Decimal(token)
        else:
            raise _error(original)
    if pending is not None:
        if last_unit is not None and not after_zero and last_unit >= 100 and token in _DIGITS:
            # 一千二 = 1200, 三百五 = 350: a trailing digit right after a unit counts in the next unit down
            pending *= last_unit // 10
        total += pending
    elif last_unit is None:
        raise _error(original)
    return total


def _parse_unsigned(text: str, original: str) -> Decimal:
    if not text:
        raise _error(original)
    for chars, unit in ((_YI_CHARS, _YI), (_WAN_CHARS, _WAN)):
        positions = [i for i, ch in enumerate(text) if ch in chars]
        if not positions:
            continue
        # Split at the last 亿 (so 万亿 works: 一万亿 = 一万 × 亿) and at the first 万.
        cut = positions[-1] if unit == _YI else positions[0]
        left, right = text[:cut], text[cut + 1 :]
        if not left:
            raise _error(original)
        high = _parse_unsigned(left, original) * unit
        low = Decimal(0)
        if right:
            stripped = right.lstrip("零〇")
            if stripped:
                if len(stripped) == 1 and stripped in _DIGITS and stripped == right:
                    # 两万五 = 25000, 一亿二 = 120000000 (colloquial, next unit down)
                    low = Decimal(_DIGITS[stripped]) * unit / 10
                else:
                    low = _parse_unsigned(stripped, original)
                    if low >= unit:
                        raise _error(original)
        return high + low
    return _parse_section(text, original)


def parse_number(text: str) -> Decimal:
    """``1200`` / ``一千二百`` / ``1.5万`` / ``１２００`` / ``3,000`` / ``负五`` → exact ``Decimal``."""
    cleaned = _prepare(text)
    sign = Decimal(1)
    if cleaned[:1] in ("-", "负", "負"):
        sign, cleaned = Decimal(-1), cleaned[1:]
    elif cleaned[:1] == "+":
        cleaned = cleaned[1:]
    try:
        return _canonical(sign * _parse_unsigned(cleaned, text.strip()))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regexes above
        raise _error(text.strip()) from exc


_CURRENCY_PREFIXES = ("人民币", "RMB", "¥", "￥")
_CURRENCY_SUFFIXES = ("元人民币", "元整", "元", "圆", "块钱", "块")


def parse_amount(text: str) -> Decimal:
    """Money in yuan: ``2000万元`` → 20000000, ``1.5亿元``, ``五十万元``, ``3,000元``, ``0.5亿``."""
    cleaned = _prepare(text).upper()
    for prefix in _CURRENCY_PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    for suffix in _CURRENCY_SUFFIXES:
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            break
    if not cleaned or any(ch.isalpha() and ch.isascii() for ch in cleaned):
        raise _error(text.strip(), "金额")
    try:
        return parse_number(cleaned)
    except ValueError as exc:
        raise _error(text.strip(), "金额") from exc


_RATIO_WORDS = (("百分之", Decimal(100)), ("千分之", Decimal(1000)), ("万分之", Decimal(10000)))


def parse_ratio(text: str) -> Decimal:
    """A ratio as a fraction: ``5%`` → 0.05, ``百分之十`` → 0.1, ``6‰`` → 0.006, ``千分之五`` → 0.005,
    ``三成`` → 0.3, ``3个百分点`` → 0.03; a bare number is taken as already a fraction."""
    cleaned = _prepare(text)
    original = text.strip()
    try:
        for word, divisor in _RATIO_WORDS:
            if cleaned.startswith(word):
                return _canonical(parse_number(cleaned[len(word) :]) / divisor)
        for mark, divisor in (("%", Decimal(100)), ("‰", Decimal(1000)), ("‱", Decimal(10000))):
            if cleaned.endswith(mark):
                return _canonical(parse_number(cleaned[: -len(mark)]) / divisor)
        if cleaned.endswith("个百分点"):
            return _canonical(parse_number(cleaned[: -len("个百分点")]) / 100)
        if cleaned.endswith("成") and len(cleaned) > 1:
            return _canonical(parse_number(cleaned[:-1]) / 10)
        if "成" in cleaned[:-1] and cleaned[-1] in _DIGITS:  # 三成五 = 0.35
            tens, _, rest = cleaned.partition("成")
            return _canonical((parse_number(tens) * 10 + parse_number(rest)) / 100)
        return parse_number(cleaned)
    except ValueError as exc:
        raise _error(original, "比例") from exc


def _group(value: Decimal, places: int | None) -> str:
    if places is not None:
        return f"{value:,.{places}f}"
    text = format(_canonical(value), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def format_wan(amount: Decimal) -> str:
    """Display form: amounts of 1万 and more in 万元 (``15000000`` → ``1,500 万元``,
    ``12345600`` → ``1,234.56 万元``), smaller ones in 元 (``5000`` → ``5,000 元``, fen kept)."""
    value = Decimal(amount)
    if abs(value) >= _WAN:
        return f"{_group(value / _WAN, None)} 万元"
    if value == value.to_integral_value():
        return f"{_group(value, 0)} 元"
    return f"{_group(value, 2)} 元"
