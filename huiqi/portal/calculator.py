"""政策计算器: what a visitor would get for a region, an industry, qualifications and a few figures.

The figures asked for are the ones the published items' rules read (their yearly figures with
the year each rule's period names, the inputs of derived fields such as 研发费用占比 or 营业收入
增长率, and the figures an application declares), so the form never asks for something no item
uses. What is typed becomes a profile of the same shape as `enterprises.selectors.profile_of`
(``years.<year>.<field>``) and is judged by the matching's own compiled items
(`matching.services.published_index`) with the rules engine's evaluation — the calculator cannot
disagree with matching. Nothing typed is written anywhere: this module only reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from cnstd.industries import SECTIONS, children, get_industry
from cnstd.regions import children as region_children
from huiqi.core.workflow import FormErrors
from huiqi.enterprises.models import Qualification
from huiqi.enterprises.values import parse_date, parse_money_wan, resolve_industry, resolve_region, to_decimal
from huiqi.matching.services import published_index
from huiqi.policies.models import PolicyItem
from rules.evaluate import STATUS_ELIGIBLE, STATUS_INELIGIBLE, CompiledItem, Evaluation, evaluate
from rules.explain import path_label
from rules.fields import FLAG_LABELS, INPUT_PREFIX, declared_figure, get_field
from rules.profile import period_year

from .explaining import reasons_for
from .selectors import MatchCard, _days_left, _group, _sorted

FUJIAN = "350000"
WAN = Decimal(10000)
# Beyond these a figure is a typing slip, not an enterprise (the largest Chinese groups report
# revenue of a few 万亿元 and staff of a few hundred thousand).
MAX_MONEY = Decimal(10) ** 13          # 10 万亿元, in 元
MAX_COUNT = Decimal(10_000_000)
MAX_RATIO = Decimal(100)               # 10,000 %
FIELD_ORDER = ("revenue", "main_revenue", "rd_expense", "employees", "insured_employees", "tax_paid",
               "fixed_asset_investment", "total_assets", "output_value", "export_value", "profit",
               "invention_patents", "tax_credit_rating", "registered_capital", "established_on")
NEGATIVE_ALLOWED = frozenset({"profit"})
DERIVED_INPUTS = {"rd_ratio": (("rd_expense", 0), ("revenue", 0)),
                  "revenue_growth": (("revenue", 0), ("revenue", -1)),
                  "scale": (("employees", 0), ("revenue", 0), ("total_assets", 0))}


@dataclass(frozen=True)
class Figure:
    """One figure the form asks for. ``key`` is its profile path (``years.2025.revenue``,
    ``input.equipment_investment``, ``registered_capital``); ``kind`` says how it is typed:
    money (in 万元 on the form, 元 in the API), count, ratio (percent on the form), number, date,
    choice."""

    key: str
    label: str
    kind: str
    unit: str = ""
    choices: tuple[str, ...] = ()

    @property
    def form_unit(self) -> str:
        return {"money": "万元", "ratio": "%"}.get(self.kind, self.unit)

    @property
    def hint(self) -> str:
        return {"money": "单位万元，如 3500（也可写 1.2亿元）", "ratio": "百分数，如 15",
                "date": "如 2015-06-01", "count": "整数"}.get(self.kind, "")


def _figure_of(path: str) -> Figure | None:
    if path.startswith(INPUT_PREFIX):
        declared = declared_figure(path[len(INPUT_PREFIX):])
        unit = declared.unit if declared else ""
        kind = "money" if unit in ("元", "") else "ratio" if unit == "比例" else "number"
        return Figure(path, path_label(path), kind, "" if kind != "number" else unit)
    name = path.split(".")[-1]
    spec = get_field(name)
    if spec is None:
        return None
    if spec.type == "money":
        return Figure(path, path_label(path), "money")
    if spec.type == "count":
        return Figure(path, path_label(path), "count", spec.unit)
    if spec.type == "date":
        return Figure(path, path_label(path), "date")
    if spec.type == "enum" and spec.kind == "yearly":
        return Figure(path, path_label(path), "choice", choices=spec.choices)
    return None


def _atoms(node: Any) -> Iterator[Mapping[str, Any]]:
    """Every atom of a condition or a reward (tier conditions and rate/per-unit bases included)."""
    if isinstance(node, Mapping):
        if "field" in node:
            yield node
        if "input" in node and isinstance(node["input"], str):
            yield {"field": INPUT_PREFIX + node["input"]}
        for value in node.values():
            if isinstance(value, (Mapping, list)):
                yield from _atoms(value)
    elif isinstance(node, list):
        for value in node:
            yield from _atoms(value)


def _paths_of_atom(atom: Mapping[str, Any], on: date) -> list[str]:
    name = str(atom.get("field", ""))
    if name.startswith(INPUT_PREFIX):
        return [name]
    spec = get_field(name)
    if spec is None:
        return []
    if spec.kind == "yearly" or name in DERIVED_INPUTS:
        year = period_year(atom.get("period"), on)
        if name in DERIVED_INPUTS:
            return [f"years.{year + shift}.{base}" for base, shift in DERIVED_INPUTS[name]]
        return [f"years.{year}.{name}"]
    if name == "established_years":
        return ["established_on"]
    if name == "registered_capital":
        return [name]
    return []


def paths_of_item(raw: Mapping[str, Any], on: date) -> list[str]:
    """The figure paths one item's conditions and reward read, in the order they appear."""
    out: list[str] = []
    for atom in _atoms([raw.get("conditions"), raw.get("reward")]):
        for path in _paths_of_atom(atom, on):
            if path not in out:
                out.append(path)
    return out


def _sort_key(path: str) -> tuple[int, int, str]:
    parts = path.split(".")
    name = parts[-1]
    year = int(parts[1]) if parts[0] == "years" else 0
    rank = FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER) + (1 if path.startswith("input.") else 0)
    return rank, -year, path


def figures_for(items: Iterable[Mapping[str, Any]], *, on: date, first: Iterable[str] = ()) -> list[Figure]:
    """The figures the given items read; ``first`` (a chosen item's paths) leads, in its order."""
    leading = list(dict.fromkeys(first))
    rest = {p for raw in items for p in paths_of_item(raw, on)} - set(leading)
    return _figures(leading + sorted(rest, key=_sort_key))


_published_paths: dict[str, Any] = {}


def published_figures(*, on: date, first: Iterable[str] = ()) -> list[Figure]:
    """figures_for over every published item, the walk over the library done once per change of
    the matching's index (it is rebuilt, a new object, when an item is published or changed) and
    per day (periods are relative to the date)."""
    compiled, _items = published_items()
    # The list itself is kept and compared by identity (an id() could be reused after it is freed).
    if _published_paths.get("items") is not compiled or _published_paths.get("on") != on:
        _published_paths["paths"] = sorted({p for ci in compiled for p in paths_of_item(ci.raw, on)}, key=_sort_key)
        _published_paths.update(items=compiled, on=on)
    leading = list(dict.fromkeys(first))
    return _figures(leading + [p for p in _published_paths["paths"] if p not in set(leading)])


def _figures(paths: Iterable[str]) -> list[Figure]:
    out = []
    for path in paths:
        made = _figure_of(path)
        if made is not None:
            out.append(made)
    return out


# -- what the visitor typed ---------------------------------------------------------------------


@dataclass
class CalculatorInput:
    """A visitor's what-if: region and industry codes, held qualifications, flags on the
    enterprise's record, and the figures by profile path (yuan, persons, fractions, dates)."""

    region: str = ""
    industry: str = ""
    qualifications: list[str] = field(default_factory=list)
    flags: dict[str, bool] = field(default_factory=dict)  # absent: not known
    figures: dict[str, Any] = field(default_factory=dict)

    def profile(self) -> dict[str, Any]:
        """The profile of RULES.md §2, shaped as enterprise profiles are: unknown is absent."""
        profile: dict[str, Any] = {"uscc": "calculator"}
        if self.region:
            profile["region"] = self.region
        if self.industry:
            profile["industry"] = self.industry
        profile["qualifications"] = [{"code": code} for code in self.qualifications]
        if self.flags:
            profile["flags"] = dict(self.flags)
        years: dict[str, dict[str, Any]] = {}
        for path, value in self.figures.items():
            parts = path.split(".")
            if parts[0] == "years":
                years.setdefault(parts[1], {})[parts[2]] = str(value) if isinstance(value, Decimal) else value
            elif not path.startswith(INPUT_PREFIX):
                profile[path] = value.isoformat() if isinstance(value, date) else str(value)
        if years:
            profile["years"] = dict(sorted(years.items()))
        return profile

    def inputs(self) -> dict[str, Any]:
        return {path[len(INPUT_PREFIX):]: str(value) for path, value in self.figures.items()
                if path.startswith(INPUT_PREFIX)}


def _parse_figure(figure: Figure, raw: Any, *, form_units: bool) -> Any:
    """One typed value → the rules' unit, or ValueError with a Chinese message."""
    name = figure.key.split(".")[-1]
    if figure.kind == "money":
        if form_units:
            value = parse_money_wan(raw, allow_negative=name in NEGATIVE_ALLOWED)
        else:
            value = to_decimal(raw)
            if value < 0 and name not in NEGATIVE_ALLOWED:
                raise ValueError(f"不能为负数（{raw}）")
        if abs(value) > MAX_MONEY:
            raise ValueError("数额过大，请检查单位（最多 10 万亿元）")
        return value
    if figure.kind == "ratio":
        value = to_decimal(raw) / (100 if form_units else 1)
        if abs(value) > MAX_RATIO:
            raise ValueError("比例过大，请检查（百分数填 15 表示 15%）")
        return value
    if figure.kind in ("count", "number"):
        value = to_decimal(raw)
        if value < 0:
            raise ValueError(f"不能为负数（{raw}）")
        if figure.kind == "count" and value != value.to_integral_value():
            raise ValueError(f"应为整数（{raw}）")
        if value > MAX_COUNT:
            raise ValueError("数值过大，请检查")
        return value
    if figure.kind == "date":
        day = parse_date(raw)
        if not date(1900, 1, 1) <= day <= date(2100, 12, 31):
            raise ValueError(f"不是有效日期（{raw}）")
        return day
    text = str(raw).strip().upper()
    if text not in figure.choices:
        raise ValueError(f"应为 {'、'.join(figure.choices)} 之一（{raw}）")
    return text


def parse_input(data: Mapping[str, Any], *, figures: list[Figure], catalogue: Mapping[str, str],
                form_units: bool) -> CalculatorInput:
    """Check what was sent: every refusal names the field in Chinese (FormErrors). ``data`` has
    region, industry, qualifications (codes), flags (names) and figures (by key); on the form
    money is in 万元 and ratios in percent, in the API in 元 and fractions."""
    errors: dict[str, str] = {}
    out = CalculatorInput()
    region = str(data.get("region") or "").strip()
    if region:
        try:
            out.region = resolve_region(region)
        except ValueError as error:
            errors["region"] = f"所在地区：{error}"
    industry = str(data.get("industry") or "").strip()
    if industry:
        try:
            out.industry = resolve_industry(industry)
        except ValueError as error:
            errors["industry"] = f"所属行业：{error}"
    for code in data.get("qualifications") or []:
        if str(code) not in catalogue:
            errors["qualifications"] = "资质：请从列表中选择"
        elif str(code) not in out.qualifications:
            out.qualifications.append(str(code))
    flags = data.get("flags") or {}
    for name, value in flags.items():
        if str(name) not in FLAG_LABELS or not isinstance(value, bool):
            errors["flags"] = "信用记录：请从列表中选择"
        else:
            out.flags[str(name)] = value
    by_key = {f.key: f for f in figures}
    typed = data.get("figures") or {}
    for key, raw in typed.items():
        figure = by_key.get(str(key)) or _figure_of(str(key))
        if figure is None or not _known_key(str(key)):
            errors[f"figures.{key}"] = f"无法识别的数据项（{key}）"
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            out.figures[figure.key] = _parse_figure(figure, raw, form_units=form_units)
        except (ValueError, InvalidOperation) as error:
            errors[figure.key] = f"{figure.label}：{error}"
    if errors:
        raise FormErrors(errors)
    return out


def _known_key(key: str) -> bool:
    parts = key.split(".")
    if parts[0] == "years":
        return len(parts) == 3 and parts[1].isdigit() and len(parts[1]) == 4
    if key.startswith(INPUT_PREFIX):
        return get_field(key) is not None  # a name the rules language accepts
    return key in ("registered_capital", "established_on")


# -- the answer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotMetCard:
    item: PolicyItem
    failed: list[str]


@dataclass
class CalculatorResult:
    eligible: list[MatchCard]
    possible: list[MatchCard]
    not_met: list[NotMetCard]
    focus: MatchCard | NotMetCard | None = None
    focus_note: str = ""  # why the chosen item is not judged (another region, out of force)

    def cards(self) -> list[MatchCard]:
        """Every eligible or possible item, the alternatives of 惠中选惠 after the one recommended."""
        return [card for lead in self.eligible + self.possible for card in (lead, *lead.alternatives)]

    def to_dict(self) -> dict[str, Any]:
        """The focus item first, then eligible, possible and (of the region) ineligible items."""
        items = [_card_dict(c) for c in self.cards()]
        items += [{"code": n.item.code, "title": n.item.title, "verdict": STATUS_INELIGIBLE, "verdict_label": "不符合",
                   "amount": None, "missing": [], "needs": [], "failed": n.failed, "alternative_to": None}
                  for n in self.not_met]
        if self.focus is not None:
            items.sort(key=lambda row: row["code"] != self.focus.item.code)  # type: ignore[union-attr]
        return {"items": items}


def _card_dict(card: MatchCard) -> dict[str, Any]:
    return {
        "code": card.item.code, "title": card.item.title, "verdict": card.status, "verdict_label": card.status_label,
        "amount": {"min": str(card.amount_min), "max": None if card.amount_max is None else str(card.amount_max),
                   "text": card.amount},
        "missing": [{"key": m["path"], "label": m["label"]} for m in card.missing],
        "needs": needs_of(card), "failed": [],
        "alternative_to": card.alternative_to,
    }


def needs_of(card: MatchCard) -> list[str]:
    """What else would be needed, in words: the missing figures and the reviewer's checks."""
    return [r["text"] for r in card.reasons if r["kind"] in ("missing", "review")]


def qualification_catalogue() -> dict[str, str]:
    return dict(Qualification.objects.order_by("level", "name").values_list("code", "name"))


def published_items() -> tuple[list[CompiledItem], dict[str, PolicyItem]]:
    """The matching's compiled published items and the items by code (one shared cache)."""
    index, items = published_index()
    return index.items, items


NOT_MET_SHOWN = 40
NOT_MET_REASONS = 2


def calculate(what: CalculatorInput, *, on: date, focus_code: str = "") -> CalculatorResult:
    """Every published item whose region can include the visitor's, judged with the figures."""
    index, items = published_index()
    profile = what.profile()
    inputs = what.inputs()
    cards: list[MatchCard] = []
    evaluations: list[Evaluation] = []
    raws: list[Mapping[str, Any]] = []
    not_met: list[NotMetCard] = []
    focus: MatchCard | NotMetCard | None = None
    focus_note = ""
    for pos in index.candidate_array(profile.get("region")).tolist():
        ci = index.items[pos]
        item = items[str(ci.id)]
        ev = evaluate(ci.raw, profile, on=on, inputs=inputs, compiled=ci)
        if not ev.in_force:
            if item.code == focus_code:
                focus_note = "该事项不在政策有效期内，不再受理"
            continue
        if ev.status == STATUS_INELIGIBLE or ev.amount is None:
            failed = [r["text"] for r in reasons_for(ev, item=ci.raw) if r["kind"] == "unmet"][:NOT_MET_REASONS]
            made = NotMetCard(item, failed)
            not_met.append(made)
            if item.code == focus_code:
                focus = made
            continue
        card = MatchCard(item=item, status=ev.status, amount_min=Decimal(ev.amount.min),
                         amount_max=None if ev.amount.max is None else Decimal(ev.amount.max),
                         reasons=reasons_for(ev, item=ci.raw), unknown_fields=list(ev.unknown_fields),
                         days_left=_days_left(item, on))
        cards.append(card)
        evaluations.append(ev)
        raws.append(ci.raw)
        if item.code == focus_code:
            focus = card
    shown = _sorted(_group(cards, evaluations, raws))
    eligible = [c for c in shown if c.status == STATUS_ELIGIBLE]
    possible = [c for c in shown if c.status != STATUS_ELIGIBLE]
    shown_not_met = not_met[:NOT_MET_SHOWN]
    if isinstance(focus, NotMetCard) and focus not in shown_not_met:
        shown_not_met.insert(0, focus)
    if focus_code in items and focus is None and not focus_note:
        focus_note = "所选地区不在该事项的适用范围内"
    return CalculatorResult(eligible, possible, shown_not_met, focus, focus_note)


# -- the form's choices ----------------------------------------------------------------------------


@cache
def region_groups() -> list[dict[str, Any]]:
    """Fujian's prefectures, each with its counties (as the enterprise pages offer them)."""
    return [{"code": p.code, "name": p.name, "counties": region_children(p.code)} for p in region_children(FUJIAN)]


@cache
def industry_groups() -> list[dict[str, Any]]:
    """GB/T 4754 sections with their 大类 and, under each, its 中类 (items name classes down to
    the 中类, so that is as fine as the choice needs to be)."""
    groups = []
    for letter in SECTIONS:
        section = get_industry(letter)
        options = []
        for major in children(letter):
            options.append({"code": major.code, "name": major.name, "depth": 0})
            options += [{"code": m.code, "name": m.name, "depth": 1} for m in children(major.code)]
        groups.append({"code": letter, "name": section.name if section else letter, "options": options})
    return groups
