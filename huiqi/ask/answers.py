"""问政策 answers: the clauses that answer a question, each with its source, its application
window and mode, and — for an enterprise user — the enterprise's own verdict on it. Everything
quoted comes from the published library; when retrieval finds nothing the answer says so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.html import strip_tags

from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import profile_of, profiles_queryset
from huiqi.policies.models import Mode, PolicyItem
from huiqi.policies.presentation import amount_label, days_left
from huiqi.portal.explaining import amount_text, is_non_monetary, reasons_for
from rules.evaluate import STATUS_ELIGIBLE, STATUS_INELIGIBLE, STATUS_POSSIBLE, evaluate

from .retrieval import find_clauses

MAX_QUESTION_CHARS = 200
EXAMPLES = ("专精特新企业研发投入有什么奖励？", "晋江的技改补助什么时候截止？", "我们公司能申请哪些？")
SHOWN_CLAUSES = 5
SHOWN_REASONS = 4
# The question is about the asker's own enterprise: the library alone cannot answer it.
_ABOUT_SELF = re.compile(r"我们|我司|我公司|本企业|本公司|咱们|我家|我厂|我(?:能|可以|该|要|想|有|是)")
_MARKUP = re.compile(r"<[^>]*>")
VERDICT_WORDS = {STATUS_ELIGIBLE: "符合", STATUS_POSSIBLE: "可能符合", STATUS_INELIGIBLE: "不符合"}
MODE_WORDS: dict[str, str] = {
    Mode.AUTO: "免申即享：无需申报，平台按部门共享数据核定名单，公示无异议后直接拨付",
    Mode.INSTANT: "即申即享：在线申请、承诺代证明，即时受理",
    Mode.REVIEWED: "申报审核：企业申报，经审核后兑现",
}


class BadQuestion(ValueError):
    """A question that cannot be answered as typed; the message says why, in Chinese."""


def clean_question(raw: str | None) -> str:
    """The question as searched: markup removed, blanks collapsed. Refuses empty and over-long
    questions with a message for the asker."""
    text = " ".join(strip_tags(raw or "").split())
    text = " ".join(_MARKUP.sub(" ", text).split())
    if not text:
        raise BadQuestion("请输入您的问题，例如：专精特新企业研发投入有什么奖励？")
    if len(raw or "") > MAX_QUESTION_CHARS * 5 or len(text) > MAX_QUESTION_CHARS:
        raise BadQuestion(f"问题太长了：请用一两句话（不超过 {MAX_QUESTION_CHARS} 个字）描述您想了解的政策")
    return text


def about_self(question: str) -> bool:
    return bool(_ABOUT_SELF.search(question))


@dataclass
class Verdict:
    """The enterprise's own matching result for one answered item (rules engine, full profile)."""

    status: str
    amount: str
    reasons: list[str]

    @property
    def label(self) -> str:
        return VERDICT_WORDS.get(self.status, "可能符合")


@dataclass
class AnsweredClause:
    item: PolicyItem
    score: float
    verdict: Verdict | None = None
    today: date | None = None

    @property
    def link(self) -> str:
        return f"/policies/{self.item.code}/"

    @property
    def calculator_link(self) -> str:
        return "/calculator/?" + urlencode({"item": self.item.code})

    @property
    def mode_words(self) -> str:
        return MODE_WORDS.get(self.item.mode, self.item.mode)

    @property
    def window_words(self) -> str:
        item = self.item
        if item.window_end:
            start = f"{item.window_start:%Y年%-m月%-d日}至" if item.window_start else "截至"
            span = f"{start}{item.window_end:%Y年%-m月%-d日}"
            left = days_left(item.window_end, today=self.today or date.today())
            if left is not None and left < 0:
                return f"{span}（本期已截止）"
            return f"{span}（还剩 {left} 天）"
        if item.mode == Mode.AUTO:
            return "无需申报"
        return "常年受理"

    @property
    def amount_words(self) -> str:
        return amount_label(self.item.reward, self.item.per_enterprise_cap)

    def to_dict(self) -> dict[str, Any]:
        item = self.item
        out: dict[str, Any] = {
            "code": item.code, "title": item.title, "summary": item.summary,
            "document": {"title": item.document.title, "doc_number": item.document.doc_number,
                         "issuer": item.document.issuer},
            "article": item.clause_path, "quote": item.clause_text, "link": self.link,
            "calculator_link": self.calculator_link, "mode": item.mode, "mode_words": self.mode_words,
            "window": {"start": item.window_start.isoformat() if item.window_start else None,
                       "end": item.window_end.isoformat() if item.window_end else None,
                       "words": self.window_words},
            "amount_words": self.amount_words,
        }
        if self.verdict is not None:
            out["own_verdict"] = {"status": self.verdict.status, "label": self.verdict.label,
                                  "amount": self.verdict.amount, "reasons": self.verdict.reasons}
        return out


@dataclass
class Answer:
    question: str
    clauses: list[AnsweredClause] = field(default_factory=list)
    about_self: bool = False
    enterprise: Enterprise | None = None

    @property
    def found(self) -> bool:
        return bool(self.clauses)

    @property
    def offer_quick_match(self) -> bool:
        """An anonymous visitor asking about "我们公司": 一键匹配 answers that, not the library."""
        return self.about_self and self.enterprise is None

    @property
    def ticket_link(self) -> str:
        """企呼我应 with the question as the request (the ticket page asks a visitor to log in)."""
        return "/tickets/new/?" + urlencode({"title": self.question[:100], "content": self.question})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question, "found": self.found,
            "clauses": [c.to_dict() for c in self.clauses],
        }
        if not self.found:
            out["message"] = NOT_FOUND
            out["ticket_link"] = self.ticket_link
        if self.offer_quick_match:
            out["quick_match"] = {"message": QUICK_MATCH_OFFER, "link": "/quick-match/"}
        if self.enterprise is not None:
            out["enterprise"] = self.enterprise.name
        return out


NOT_FOUND = "已发布的政策库中没有找到能回答这个问题的条款。您可以把问题转为企呼我应诉求，由主管部门答复。"
QUICK_MATCH_OFFER = "想知道贵企业能享受哪些政策？输入企业名称或统一社会信用代码，一键匹配。"


def _verdicts(enterprise: Enterprise, items: list[PolicyItem], on: date) -> dict[int, Verdict]:
    """The enterprise's result on each item, from the same engine and explanations as 我的政策."""
    profile = profile_of(profiles_queryset(Enterprise.objects.filter(pk=enterprise.pk)).get())
    out: dict[int, Verdict] = {}
    for item in items:
        raw = item.as_rules_item()
        ev = evaluate(raw, profile, on=on)
        reasons = reasons_for(ev, item=raw)
        if ev.status == STATUS_INELIGIBLE:
            shown = [r["text"] for r in reasons if r["kind"] == "unmet"]
            amount = ""
        else:
            shown = [r["text"] for r in reasons if r["kind"] in {"missing", "review", "unmet"}] or \
                [r["text"] for r in reasons if r["kind"] == "met"]
            amount = "" if ev.amount is None else amount_text(
                Decimal(ev.amount.min), None if ev.amount.max is None else Decimal(ev.amount.max),
                non_monetary=is_non_monetary(item.reward))
        out[item.pk] = Verdict(ev.status, amount, shown[:SHOWN_REASONS])
    return out


def answer_question(question: str, *, enterprise: Enterprise | None = None, on: date) -> Answer:
    """The answer to a cleaned question; ``enterprise`` only when the viewer is that enterprise."""
    hits = find_clauses(question, limit=SHOWN_CLAUSES, home_region=enterprise.region if enterprise else "")
    by_id = PolicyItem.objects.filter(pk__in=[h.item_id for h in hits], status=PolicyItem.Status.PUBLISHED) \
        .select_related("document").in_bulk()
    clauses = [AnsweredClause(by_id[h.item_id], h.score, today=on) for h in hits if h.item_id in by_id]
    if enterprise is not None and clauses:
        verdicts = _verdicts(enterprise, [c.item for c in clauses], on)
        for clause in clauses:
            clause.verdict = verdicts.get(clause.item.pk)
    return Answer(question=question, clauses=clauses, about_self=about_self(question), enterprise=enterprise)


def answered_item_codes(question: str) -> list[str]:
    """Item codes of the clauses an anonymous visitor would be shown, best first (the scorer's view)."""
    hits = find_clauses(question, limit=SHOWN_CLAUSES)
    codes = dict(PolicyItem.objects.filter(pk__in=[h.item_id for h in hits]).values_list("pk", "code"))
    return [codes[h.item_id] for h in hits if h.item_id in codes]
