"""Reading one enterprise profile (RULES.md §2) the way the rules see it.

Every read returns the value (or None = unknown) together with the profile paths whose absence
made it unknown, so that ``unknown_fields`` can say exactly what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rules.fields import INPUT_PREFIX, get_field
from rules.numbers import NotANumber, to_fraction


class ProfileError(ValueError):
    """A profile value that cannot be read (a non-numeric figure, a malformed date)."""


Value = Fraction | str | date | None
Read = tuple[Value, tuple[str, ...]]


def period_year(period: Any, on: date) -> int:
    if period is None or period == "last_year":
        return on.year - 1
    if period == "this_year":
        return on.year
    if isinstance(period, Mapping) and "year" in period:
        return int(period["year"])
    raise ValueError(f"未知的年度：{period!r}")


def parse_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ProfileError(f"{what}: 不是有效日期 {value!r}") from None


def whole_years(start: date, on: date) -> int:
    """Completed years from ``start`` to ``on`` (an anniversary day counts as completed)."""
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def _num(value: Any, path: str) -> Fraction | None:
    if value is None:
        return None
    try:
        return to_fraction(value)
    except NotANumber:
        raise ProfileError(f"{path}: 不是数值 {value!r}") from None


def to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


class ProfileView:
    """One profile at one evaluation date; reads are memoised because items repeat atoms."""

    __slots__ = ("_memo", "inputs", "on", "profile")

    def __init__(self, profile: Mapping[str, Any], *, on: date, inputs: Mapping[str, Any] | None = None):
        self.profile = profile
        self.on = on
        self.inputs = inputs or {}
        self._memo: dict[tuple[str, int | None], Read] = {}

    # -- raw access -------------------------------------------------------------------------
    def year_value(self, name: str, year: int) -> Any:
        years = self.profile.get("years")
        if not isinstance(years, Mapping):
            return None
        row = years.get(str(year))
        if row is None:
            row = years.get(year)  # type: ignore[call-overload]  # int keys from Python callers
        if not isinstance(row, Mapping):
            return None
        return row.get(name)

    def year_number(self, name: str, year: int) -> tuple[Fraction | None, str]:
        path = f"years.{year}.{name}"
        return _num(self.year_value(name, year), path), path

    # -- fields -----------------------------------------------------------------------------
    def read(self, field: str, year: int | None) -> Read:
        key = (field, year)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._read(field, year)
            self._memo[key] = hit
        return hit

    def _read(self, field: str, year: int | None) -> Read:
        if field.startswith(INPUT_PREFIX):
            name = field[len(INPUT_PREFIX):]
            return _num(self.inputs.get(name), field), (field,)
        f = get_field(field)
        if f is None:
            raise ValueError(f"未知字段 {field!r}")
        if f.kind == "yearly":
            assert year is not None
            raw = self.year_value(field, year)
            path = f"years.{year}.{field}"
            if f.type == "enum":
                return (None if raw is None else str(raw)), (path,)
            return _num(raw, path), (path,)
        if f.kind == "static":
            raw = self.profile.get(field)
            if raw is None:
                return None, (field,)
            if f.type == "date":
                return parse_date(raw, field), (field,)
            if f.type in ("region", "industry", "enum"):
                return str(raw).strip(), (field,)
            return _num(raw, field), (field,)
        if field == "established_years":
            raw = self.profile.get("established_on")
            if raw is None:
                return None, ("established_on",)
            return Fraction(whole_years(parse_date(raw, "established_on"), self.on)), ("established_on",)
        assert year is not None
        if field == "rd_ratio":
            rd, p_rd = self.year_number("rd_expense", year)
            rev, p_rev = self.year_number("revenue", year)
            missing = tuple(p for v, p in ((rd, p_rd), (rev, p_rev)) if v is None)
            if missing:
                return None, missing
            assert rd is not None and rev is not None
            if rev == 0:
                return None, (p_rev,)
            return rd / rev, (p_rd, p_rev)
        if field == "revenue_growth":
            cur, p_cur = self.year_number("revenue", year)
            prev, p_prev = self.year_number("revenue", year - 1)
            missing = tuple(p for v, p in ((cur, p_cur), (prev, p_prev)) if v is None)
            if missing:
                return None, missing
            assert cur is not None and prev is not None
            if prev == 0:
                return None, (p_prev,)
            return cur / prev - 1, (p_cur, p_prev)
        if field == "scale":
            return self._scale(year)
        raise ValueError(f"字段 {field!r} 不能直接读取")

    def _scale(self, year: int) -> Read:
        from cnstd.scale import SCALE_INPUTS, enterprise_scale

        industry = self.profile.get("industry")
        if industry is None:
            return None, ("industry",)
        industry = str(industry).strip()
        needed = SCALE_INPUTS(industry)
        figures: dict[str, Decimal | None] = {}
        missing: list[str] = []
        for name in ("employees", "revenue", "total_assets"):
            value, path = self.year_number(name, year)
            if name in needed and value is None:
                missing.append(path)
            figures[name] = None if value is None else to_decimal(value)
        if missing or not needed:
            return None, tuple(missing)
        scale = enterprise_scale(industry=industry, **figures)
        return scale, ()

    # -- qualifications and flags -------------------------------------------------------------
    def qualification(self, code: str) -> tuple[bool | None, Mapping[str, Any] | None]:
        """(held on the date, the record that makes it so); None when the list is absent."""
        quals = self.profile.get("qualifications")
        if quals is None:
            return None, None
        if not isinstance(quals, list):
            raise ProfileError("qualifications: 应为列表")
        for q in quals:
            if not isinstance(q, Mapping) or q.get("code") != code:
                continue
            start = q.get("valid_from")
            end = q.get("valid_to")
            if start is not None and parse_date(start, "qualifications.valid_from") > self.on:
                continue
            if end is not None and parse_date(end, "qualifications.valid_to") < self.on:
                continue
            return True, q
        return False, None

    def flag(self, name: str) -> bool | None:
        flags = self.profile.get("flags")
        if not isinstance(flags, Mapping):
            return None
        value = flags.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise ProfileError(f"flags.{name}: 应为 true 或 false")
        return value
