"""Draft commitments from a contract's text or an application's signed promise, with the shared
clause segmentation and number extraction of policytext: whose promise (甲方 / 乙方 wording), the
due date (dates in the text), a measurable target (固定资产投资不低于5亿元, 年纳税不低于2000万元,
不迁出注册地, 未被列入失信名单)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from policytext.clauses import segment
from policytext.numbers import figures
from rules.fields import FIELDS

# Words naming a yearly profile figure, longest first so 主营业务收入 wins over 营业收入.
FIGURE_WORDS: tuple[tuple[str, str], ...] = (
    ("固定资产投资", "fixed_asset_investment"), ("主营业务收入", "main_revenue"), ("营业收入", "revenue"),
    ("年营收", "revenue"), ("销售收入", "revenue"), ("产值", "output_value"), ("纳税", "tax_paid"),
    ("税收", "tax_paid"), ("研发费用", "rd_expense"), ("研发投入", "rd_expense"), ("出口额", "export_value"),
    ("从业人员", "employees"), ("用工", "employees"), ("就业", "employees"), ("参保", "insured_employees"),
    ("利润", "profit"),
)
FLAG_WORDS: tuple[tuple[str, str], ...] = (("失信", "dishonest"), ("经营异常", "abnormal_operation"),
                                           ("重大违法", "major_violation_3y"))
CHECKABLE_FIELDS = frozenset(f for _w, f in FIGURE_WORDS) | {"region", "flags"}
GTE_WORDS = ("不低于", "不少于", "达到", "以上", "不小于", "超过")
LTE_WORDS = ("不高于", "不超过", "以内", "以下")

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_FROM = re.compile(r"(?:自|从)\s*(\d{4})\s*年(?:度)?起")
_YEAR_OF = re.compile(r"考核年度为?\s*(\d{4})\s*年|(\d{4})\s*年度")
_WORKDAYS = re.compile(r"(\d+)\s*个?工作日内")
_GOV = re.compile(r"甲方")
_ENT = re.compile(r"乙方")


@dataclass
class DraftCommitment:
    side: str  # "government" | "enterprise"
    content: str
    clause_path: str = ""
    clause_text: str = ""
    due_on: date | None = None
    recurring: bool = False
    target_field: str = ""
    target_op: str = ""
    target_value: Decimal | None = None
    target_text: str = ""
    year_from: int | None = None
    year_to: int | None = None
    notes: list[str] = field(default_factory=list)


def _side(text: str) -> str:
    """Who promises: the party named first as the subject (甲方负责 / 乙方承诺)."""
    gov, ent = _GOV.search(text), _ENT.search(text)
    if gov and (not ent or gov.start() < ent.start()):
        return "government"
    return "enterprise"


def _due(text: str) -> date | None:
    found: list[date] = []
    for m in _DATE.finditer(text):
        try:
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return max(found) if found else None


def draft_target(text: str) -> tuple[str, str, Decimal | None, str]:
    """(field, op, value, text value) of the first measurable target in ``text``, or blanks."""
    for word, flag in FLAG_WORDS:
        if word in text and any(neg in text for neg in ("未被", "不被", "无", "未列入", "不列入")):
            return "flags", "none", None, flag
    if "不迁出" in text or "不迁离" in text or "注册地" in text and "不" in text:
        return "region", "within", None, ""
    figs = [f for f in figures(text) if f.kind in {"money", "count"} and not (f.unit == "年" and f.value > 1900)]
    for word, name in FIGURE_WORDS:
        pos = text.find(word)
        if pos < 0:
            continue
        after = [f for f in figs if f.start >= pos]
        if not after:
            continue
        fig = after[0]
        between = text[pos:fig.end + 4]
        op = "<=" if any(w in between for w in LTE_WORDS) else ">="
        if FIELDS[name].type == "count" and fig.kind != "count":
            continue
        return name, op, fig.value, ""
    return "", "", None, ""


def draft_from_text(text: str, *, signed_on: date | None = None) -> list[DraftCommitment]:
    """One draft per clause that promises something (a party named, or a target or date found)."""
    drafts: list[DraftCommitment] = []
    for clause in segment(text):
        body = clause.text.strip()
        if not (_GOV.search(body) or _ENT.search(body)):
            continue
        if not any(w in body for w in ("承诺", "负责", "应当", "应在", "应于", "保证", "确保", "须", "给予", "兑现",
                                       "交付", "完成", "不低于", "不少于")):
            continue
        d = draft_from_promise(body, side=_side(body))
        d.clause_path = clause.path[:40]
        d.clause_text = body
        if d.due_on is None and d.year_from is None:
            m = _WORKDAYS.search(body)
            if m:
                d.notes.append(f"条款约定在条件成就后 {m.group(1)} 个工作日内办理，请填写到期日")
        drafts.append(d)
    return drafts


def draft_from_promise(text: str, *, side: str = "enterprise") -> DraftCommitment:
    body = text.strip()
    content = re.sub(r"^(?:第[一二三四五六七八九十百零〇]+条|[一二三四五六七八九十]+、|\d+[.、])\s*", "", body)
    target_field, op, value, target_text = draft_target(body)
    d = DraftCommitment(side=side, content=content[:300], due_on=_due(body), target_field=target_field,
                        target_op=op, target_value=value, target_text=target_text)
    m = _YEAR_FROM.search(body)
    named = _YEAR_OF.search(body)
    if m and target_field:
        d.recurring = True
        d.year_from = int(m.group(1))
    elif named and target_field and target_field not in {"region", "flags"}:
        d.year_from = d.year_to = int(named.group(1) or named.group(2))
    elif target_field and d.due_on is not None and target_field not in {"region", "flags"}:
        d.year_from = d.year_to = d.due_on.year
    return d
