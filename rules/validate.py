"""Parse and validate rules (RULES.md §3–§5), with precise JSON paths and Chinese messages.

Validation never stops at the first problem: an officer fixing a drafted rule wants every problem
at once. Paths look like ``conditions.all[2].op``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from rules.fields import INPUT_PREFIX, OPS, ORDER_OPS, allowed_ops, get_field, is_numeric, takes_period
from rules.numbers import NotANumber, to_fraction


@dataclass(frozen=True, slots=True)
class RuleError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


_REGION = re.compile(r"\d{6}")
_INDUSTRY = re.compile(r"[A-T]|\d{2,4}")
_INPUT_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ATOM_KEYS = frozenset({"field", "op", "value", "period", "ref"})
_CHECK_KEYS = frozenset({"check", "ref"})
_REF_KEYS = frozenset({"clause", "start", "end"})


def _q(text: Any) -> str:
    return f'"{text}"'


class _Validator:
    def __init__(self, known_qualifications: Collection[str] | None):
        self.known = None if known_qualifications is None else set(known_qualifications)
        self.errors: list[RuleError] = []

    def err(self, path: str, message: str) -> None:
        self.errors.append(RuleError(path, message))

    # -- conditions -------------------------------------------------------------------------
    def condition(self, obj: Any, path: str) -> None:
        if not isinstance(obj, Mapping):
            self.err(path, "条件应为 JSON 对象")
            return
        combinators = [k for k in ("all", "any", "not", "always") if k in obj]
        if combinators:
            if len(obj) != 1:
                extra = sorted(k for k in obj if k != combinators[0])
                self.err(path, f"{_q(combinators[0])} 不能与其他键同时出现：{', '.join(extra)}")
            key = combinators[0]
            value = obj[key]
            if key in ("all", "any"):
                if not isinstance(value, list):
                    self.err(f"{path}.{key}", f"{key} 需要条件列表")
                    return
                for i, child in enumerate(value):
                    self.condition(child, f"{path}.{key}[{i}]")
                if key == "all":
                    self._contradictions(value, f"{path}.{key}")
            elif key == "not":
                self.condition(value, f"{path}.not")
            elif value is not True:
                self.err(f"{path}.always", "always 只能为 true")
            return
        if "check" in obj:
            for k in obj:
                if k not in _CHECK_KEYS:
                    self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
            if not isinstance(obj["check"], str) or not obj["check"].strip():
                self.err(f"{path}.check", "check 需要一段非空的文字")
            self.ref(obj.get("ref"), f"{path}.ref")
            return
        self.atom(obj, path)

    def atom(self, obj: Mapping[str, Any], path: str) -> None:
        for k in obj:
            if k not in _ATOM_KEYS:
                self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
        fname = obj.get("field")
        op = obj.get("op")
        if fname is None:
            self.err(f"{path}.field", "缺少字段名 field")
        elif not isinstance(fname, str) or get_field(fname) is None:
            if isinstance(fname, str) and fname.startswith(INPUT_PREFIX):
                self.err(f"{path}.field", f"申报数据字段名不合法 {_q(fname)}（应为 input.小写英文名）")
            else:
                self.err(f"{path}.field", f"未知的字段 {_q(fname)}")
            fname = None
        if op is None:
            self.err(f"{path}.op", "缺少运算符 op")
            return
        if not isinstance(op, str) or op not in OPS:
            self.err(f"{path}.op", f"未知的运算符 {_q(op)}")
            return
        self.ref(obj.get("ref"), f"{path}.ref")
        if fname is None:
            return
        f = get_field(fname)
        assert f is not None
        if op not in allowed_ops(fname):
            self.err(f"{path}.op", f"字段 {_q(fname)}（{f.label}）不能使用运算符 {_q(op)}")
            return
        if "period" in obj:
            if not takes_period(fname):
                self.err(f"{path}.period", f"字段 {_q(fname)}（{f.label}）不分年度，不能指定 period")
            else:
                self.period(obj["period"], f"{path}.period")
        vpath = f"{path}.value"
        if op == "known":
            if f.type == "set" and fname == "flags" and "value" in obj:
                self.flag_name(obj["value"], vpath)
            elif "value" in obj and f.type != "set":
                self.err(vpath, "known 不需要 value")
            return
        if "value" not in obj:
            self.err(vpath, "缺少比较值 value")
            return
        value = obj["value"]
        if op == "between":
            if not isinstance(value, list) or len(value) != 2:
                self.err(vpath, "between 需要 [下限, 上限] 两个值")
                return
            lo = self.scalar(value[0], f.type, fname, f"{vpath}[0]")
            hi = self.scalar(value[1], f.type, fname, f"{vpath}[1]")
            if lo is not None and hi is not None and lo > hi:
                self.err(vpath, "between 的下限大于上限")
            return
        if op in ("in", "not_in"):
            if not isinstance(value, list):
                self.err(vpath, f"{op} 需要一个列表")
                return
            if not value:
                self.err(vpath, f"{op} 的列表为空")
            for i, v in enumerate(value):
                self.scalar(v, f.type, fname, f"{vpath}[{i}]")
            return
        if op == "within":
            pattern = _REGION if f.type == "region" else _INDUSTRY
            what = "行政区划代码（6位数字）" if f.type == "region" else "行业代码（门类字母或2-4位数字）"
            if not isinstance(value, str) or not pattern.fullmatch(value.strip()):
                self.err(vpath, f"within 需要{what}，得到 {value!r}")
            return
        if op in ("has", "not_has"):
            if fname == "qualifications":
                if not isinstance(value, str) or not value.strip():
                    self.err(vpath, "需要资质代码")
                elif self.known is not None and value not in self.known:
                    self.err(vpath, f"资质目录中没有代码 {_q(value)}")
            else:
                self.flag_name(value, vpath)
            return
        self.scalar(value, f.type, fname, vpath)

    def flag_name(self, value: Any, path: str) -> None:
        from rules.fields import FLAG_LABELS

        if not isinstance(value, str) or value not in FLAG_LABELS:
            self.err(path, f"未知的信用标记 {_q(value)}（可用：{'、'.join(FLAG_LABELS)}）")

    def scalar(self, value: Any, ftype: str, fname: str, path: str) -> Any:
        """Check one value against the field's type; returns it parsed (or None when invalid)."""
        f = get_field(fname)
        assert f is not None
        if ftype in ("number", "money", "ratio", "count", "years"):
            try:
                return to_fraction(value)
            except NotANumber:
                self.err(path, f"字段 {_q(fname)}（{f.label}）需要数值，得到 {value!r}")
                return None
        if ftype == "date":
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                self.err(path, f"需要日期 YYYY-MM-DD，得到 {value!r}")
                return None
        if not isinstance(value, str):
            self.err(path, f"字段 {_q(fname)}（{f.label}）需要文字代码，得到 {value!r}")
            return None
        if ftype == "region" and not _REGION.fullmatch(value.strip()):
            self.err(path, f"不是行政区划代码：{value!r}")
        elif ftype == "industry" and not _INDUSTRY.fullmatch(value.strip()):
            self.err(path, f"不是行业代码：{value!r}")
        elif ftype == "enum" and f.choices and value not in f.choices:
            self.err(path, f"字段 {_q(fname)}（{f.label}）的取值应为 {'/'.join(f.choices)}，得到 {_q(value)}")
        return value

    def period(self, value: Any, path: str) -> None:
        if value in ("last_year", "this_year"):
            return
        if isinstance(value, Mapping) and set(value) == {"year"} and isinstance(value["year"], int) \
                and not isinstance(value["year"], bool) and 1900 <= value["year"] <= 2200:
            return
        self.err(path, f'period 应为 "last_year"、"this_year" 或 {{"year": 2024}}，得到 {value!r}')

    def ref(self, value: Any, path: str) -> None:
        if value is None:
            return
        if not isinstance(value, Mapping):
            self.err(path, "ref 应为对象")
            return
        for k in value:
            if k not in _REF_KEYS:
                self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
        start, end = value.get("start"), value.get("end")
        if start is not None and end is not None:
            if not isinstance(start, int) or not isinstance(end, int) or start < 0 or end < start:
                self.err(path, "ref 的 start/end 应为非负整数且 start <= end")

    # -- contradictions (cheap: numeric bounds per field and period inside one `all`) --------
    def _contradictions(self, parts: list[Any], path: str) -> None:
        bounds: dict[tuple[str, str], list[tuple[Fraction, bool, bool, int]]] = {}
        equals: dict[tuple[str, str], list[tuple[Any, int]]] = {}
        for i, atom in enumerate(parts):
            if not isinstance(atom, Mapping) or "field" not in atom or "op" not in atom:
                continue
            fname, op = atom.get("field"), atom.get("op")
            if not isinstance(fname, str) or get_field(fname) is None:
                continue
            key = (fname, repr(atom.get("period", "last_year")))
            value = atom.get("value")
            try:
                if is_numeric(fname) and op in ORDER_OPS:
                    v = to_fraction(value)
                    bounds.setdefault(key, []).append((v, op in (">", ">="), op in (">=", "<="), i))
                elif is_numeric(fname) and op == "between" and isinstance(value, list) and len(value) == 2:
                    bounds.setdefault(key, []).append((to_fraction(value[0]), True, True, i))
                    bounds.setdefault(key, []).append((to_fraction(value[1]), False, True, i))
                elif op == "==" and not isinstance(value, list | dict):
                    equals.setdefault(key, []).append((to_fraction(value) if is_numeric(fname) else value, i))
            except NotANumber:
                continue
        for (fname, _), items in bounds.items():
            lows = [b for b in items if b[1]]
            highs = [b for b in items if not b[1]]
            for lo, _, lo_inc, i in lows:
                for hi, _, hi_inc, j in highs:
                    if lo > hi or (lo == hi and not (lo_inc and hi_inc)):
                        label = get_field(fname).label if get_field(fname) else fname  # type: ignore[union-attr]
                        self.err(path, f"条件相互矛盾：第{min(i, j) + 1}项与第{max(i, j) + 1}项对{label}的要求不可能同时满足")
                        return
        for (fname, _), eqs in equals.items():
            if len({repr(v) for v, _ in eqs}) > 1:
                label = get_field(fname).label if get_field(fname) else fname  # type: ignore[union-attr]
                self.err(path, f"条件相互矛盾：{label}不可能同时等于多个取值")

    # -- rewards ------------------------------------------------------------------------------
    def reward(self, obj: Any, path: str) -> None:
        if not isinstance(obj, Mapping):
            self.err(path, "奖补标准应为 JSON 对象")
            return
        kinds = [k for k in ("fixed", "up_to", "rate", "per_unit", "tiers", "sum", "max", "min", "none") if k in obj]
        if not kinds:
            self.err(path, f"未知的奖补形式（键：{', '.join(map(str, obj)) or '空'}）")
            return
        kind = kinds[0]
        allowed = {
            "fixed": {"fixed"}, "up_to": {"up_to"}, "rate": {"rate", "base", "cap", "floor"},
            "per_unit": {"per_unit", "base", "cap"}, "tiers": {"tiers"}, "sum": {"sum"}, "max": {"max"},
            "min": {"min"}, "none": {"none"},
        }[kind]
        for k in obj:
            if k not in allowed:
                self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
        if kind in ("fixed", "up_to", "per_unit"):
            self.money(obj[kind], f"{path}.{kind}")
        if kind in ("rate", "per_unit"):
            if kind == "rate":
                r = self.money(obj["rate"], f"{path}.rate")
                if r is not None and r > 1:
                    self.err(f"{path}.rate", f"比例应为小数（10% 写作 0.1），得到 {obj['rate']!r}")
            cap = self.money(obj["cap"], f"{path}.cap") if obj.get("cap") is not None else None
            floor = self.money(obj["floor"], f"{path}.floor") if obj.get("floor") is not None else None
            if cap is not None and floor is not None and floor > cap:
                self.err(path, "保底金额 floor 大于上限 cap")
            self.base(obj.get("base"), f"{path}.base")
        elif kind == "tiers":
            tiers = obj["tiers"]
            if not isinstance(tiers, list) or not tiers:
                self.err(f"{path}.tiers", "tiers 需要非空列表")
                return
            for i, t in enumerate(tiers):
                tp = f"{path}.tiers[{i}]"
                if not isinstance(t, Mapping) or set(t) != {"when", "then"}:
                    self.err(tp, "每一档需要且只需要 when 和 then")
                    continue
                self.condition(t["when"], f"{tp}.when")
                self.reward(t["then"], f"{tp}.then")
        elif kind in ("sum", "max", "min"):
            parts = obj[kind]
            if not isinstance(parts, list) or not parts:
                self.err(f"{path}.{kind}", f"{kind} 需要非空列表")
                return
            for i, p in enumerate(parts):
                self.reward(p, f"{path}.{kind}[{i}]")
        elif kind == "none":
            if not isinstance(obj["none"], str) or not obj["none"].strip():
                self.err(f"{path}.none", "none 需要写明非资金类支持的内容")

    def money(self, value: Any, path: str) -> Fraction | None:
        try:
            v = to_fraction(value)
        except NotANumber:
            self.err(path, f"需要数值（元），得到 {value!r}")
            return None
        if v < 0:
            self.err(path, f"金额不能为负数：{value!r}")
            return None
        return v

    def base(self, obj: Any, path: str) -> None:
        if not isinstance(obj, Mapping):
            self.err(path, '缺少计算基数 base（{"field": ...} 或 {"input": ...}）')
            return
        if "input" in obj:
            for k in obj:
                if k != "input":
                    self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
            name = obj["input"]
            if not isinstance(name, str) or not _INPUT_NAME.fullmatch(name):
                self.err(f"{path}.input", f"申报数据名不合法 {_q(name)}（应为小写英文名）")
            return
        for k in obj:
            if k not in ("field", "period"):
                self.err(f"{path}.{k}", f"未知的键 {_q(k)}")
        fname = obj.get("field")
        f = get_field(fname) if isinstance(fname, str) else None
        if f is None:
            self.err(f"{path}.field", f"未知的字段 {_q(fname)}")
            return
        if not is_numeric(fname) or fname in ("rd_ratio", "revenue_growth"):  # type: ignore[arg-type]
            self.err(f"{path}.field", f"字段 {_q(fname)}（{f.label}）不能作为计算基数")
        if "period" in obj:
            if takes_period(fname):  # type: ignore[arg-type]
                self.period(obj["period"], f"{path}.period")
            else:
                self.err(f"{path}.period", f"字段 {_q(fname)}（{f.label}）不分年度，不能指定 period")


def validate_conditions(obj: Any, *, known_qualifications: Collection[str] | None = None,
                        path: str = "conditions") -> list[RuleError]:
    """Every problem in a condition tree; ``None`` (no conditions = always true) is valid."""
    v = _Validator(known_qualifications)
    if obj is not None:
        v.condition(obj, path)
    return v.errors


def validate_reward(obj: Any, *, known_qualifications: Collection[str] | None = None,
                    path: str = "reward") -> list[RuleError]:
    v = _Validator(known_qualifications)
    if obj is not None:
        v.reward(obj, path)
    return v.errors


def validate_item(item: Any, *, known_qualifications: Collection[str] | None = None) -> list[RuleError]:
    """A whole policy item (RULES.md §5): id, optional region and dates, conditions and reward."""
    if not isinstance(item, Mapping):
        return [RuleError("", "政策事项应为 JSON 对象")]
    v = _Validator(known_qualifications)
    if not isinstance(item.get("id"), str) or not item["id"]:
        v.err("id", "缺少政策事项编号 id")
    region = item.get("region")
    if region is not None and (not isinstance(region, str) or not _REGION.fullmatch(region)):
        v.err("region", f"不是行政区划代码：{region!r}")
    for key in ("valid_from", "valid_to"):
        if item.get(key) is not None:
            try:
                date.fromisoformat(str(item[key]))
            except ValueError:
                v.err(key, f"需要日期 YYYY-MM-DD，得到 {item[key]!r}")
    if item.get("per_enterprise_cap") is not None:
        v.money(item["per_enterprise_cap"], "per_enterprise_cap")
    if item.get("conditions") is not None:
        v.condition(item["conditions"], "conditions")
    if item.get("reward") is not None:
        v.reward(item["reward"], "reward")
    return v.errors
