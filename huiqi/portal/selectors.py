"""Reads for the enterprise portal: 一键匹配 on public facts, the enterprise's own matches with
amounts and reasons, 应享未享 lists. Every function is given the viewer or works on public data
only; access checks happen in the views before a private read."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects

from cnstd.uscc import validate_uscc
from huiqi.core.regions import region_within_q
from huiqi.enterprises.models import Enterprise, EnterpriseQualification
from huiqi.enterprises.selectors import profile_of, profiles_queryset, public_profiles_exact
from huiqi.enterprises.values import industry_label, parse_field_path, region_label
from huiqi.matching.models import MatchJob, MatchResult
from huiqi.matching.services import match_enterprise_recompute
from huiqi.policies.models import Mode, PolicyItem
from huiqi.policies.search import search_items  # noqa: F401  (re-exported: the policy list page plugs it in)
from rules.evaluate import (
    STATUS_ELIGIBLE,
    STATUS_INELIGIBLE,
    Evaluation,
    choose_in_exclusive_groups,
    evaluate,
)

from . import public_match
from .explaining import amount_text, is_non_monetary, missing_labels, reasons_for

MIN_QUERY_CHARS = 2
MIN_CODE_PREFIX = 6
MAX_SUGGESTIONS = 5


# -- 一键匹配 (public facts only) ----------------------------------------------------------------


def normalize_query(q: str) -> str:
    return "".join(q.split()).replace("（", "(").replace("）", ")")


def suggest_enterprises(*, q: str) -> list[dict[str, str]]:
    """Autocomplete: at most a handful of names for a query of at least two characters; a code
    is matched by a prefix of at least six characters. Codes are shown masked so that the list
    cannot be harvested for 信用代码."""
    text = normalize_query(q)
    if len(text) < MIN_QUERY_CHARS:
        return []
    if text.isascii() and text.isalnum():
        if len(text) < MIN_CODE_PREFIX:
            return []
        prefix = text.upper()
        # A range on the unique index (LIKE 'x%' would scan the table in SQLite).
        condition, order = Q(uscc__gte=prefix, uscc__lt=prefix + "~"), "uscc"
    else:
        condition, order = Q(name__contains=text), "name"
    rows = Enterprise.objects.filter(condition).order_by(order).values_list("name", "uscc", "region")[:MAX_SUGGESTIONS]
    return [{"name": name, "code_hint": f"{uscc[:2]}****{uscc[-4:]}", "region": region_label(region)}
            for name, uscc, region in rows]


class AmbiguousName(Exception):
    """Several enterprises carry this exact name: the visitor must give the 信用代码."""


def find_enterprise_exact(*, q: str) -> Enterprise | None:
    """Only an exact 信用代码 or an exact full name gives a result (no fuzzy hit to walk the list).
    The enterprise comes with its public profile (``public_profile``), read in the same query."""
    text = normalize_query(q)
    if len(text) < MIN_QUERY_CHARS:
        return None
    code = text.upper() if len(text) == 18 and validate_uscc(text.upper()).format_ok else None
    found = public_profiles_exact(uscc=code, name=text)
    by_code = [pair for pair in found if pair[0].uscc == code]
    named = by_code or [pair for pair in found if pair[0].name == text]
    if len(named) > 1 and not by_code:
        raise AmbiguousName(text)
    if not named:
        return None
    enterprise, profile = named[0]
    enterprise.public_profile = profile  # type: ignore[attr-defined]  # as an annotation would be
    return enterprise


def _public_profile(enterprise: Enterprise) -> dict[str, Any]:
    """What profile_of(include_private=False) gives, read once: from find_enterprise_exact's
    query, or else with only the tables it needs (yearly figures are never loaded; without a
    qualification list — unknown — that table is not even asked)."""
    given: dict[str, Any] | None = getattr(enterprise, "public_profile", None)
    if given is not None:
        return given
    lookups: list[Any] = ["flags"]
    if enterprise.qualifications_source:
        lookups.append(Prefetch("qualifications",
                                queryset=EnterpriseQualification.objects.select_related("qualification")))
    prefetch_related_objects([enterprise], *lookups)
    return profile_of(enterprise, include_private=False)


@dataclass
class MatchCard:
    """One policy item as the pages and the API show it to an enterprise (or a visitor)."""

    item: PolicyItem
    status: str
    amount_min: Decimal
    amount_max: Decimal | None
    reasons: list[dict[str, Any]]
    unknown_fields: list[str] = field(default_factory=list)
    recommended: bool = True
    alternative_to: str | None = None
    alternatives: list[MatchCard] = field(default_factory=list)
    days_left: int | None = None
    non_monetary: bool | None = None  # when already known (一键匹配's index), so the reward is not read

    @property
    def status_label(self) -> str:
        return "符合" if self.status == STATUS_ELIGIBLE else "可能符合"

    @property
    def amount(self) -> str:
        non_monetary = self.non_monetary if self.non_monetary is not None else is_non_monetary(self.item.reward)
        return _amount_label(self.amount_min, self.amount_max, non_monetary)

    @property
    def missing(self) -> list[dict[str, Any]]:
        return [{**m, "supplementable": _supplementable(m["path"]), "declared": m["path"].startswith("input.")}
                for m in missing_labels(self.unknown_fields)]

    @property
    def needs_login(self) -> bool:
        return any(r["kind"] == "login" for r in self.reasons)

    @property
    def reviews(self) -> list[str]:
        return [r["text"] for r in self.reasons if r["kind"] == "review"]

    @property
    def apply_url(self) -> str:
        return self.item.apply_url or f"/policies/{self.item.code}/"

    @property
    def next_step(self) -> dict[str, str]:
        if self.unknown_fields and any(_supplementable(p) for p in self.unknown_fields):
            return {"kind": "supplement", "label": "补充数据"}
        if self.item.mode == Mode.AUTO:
            return {"kind": "none", "label": "免申即享，无需申请：核定后直接拨付"}
        if self.days_left is not None and self.days_left < 0:
            return {"kind": "closed", "label": "本期申报已截止"}
        return {"kind": "apply", "label": "在线申报", "url": self.apply_url}

    def to_dict(self, *, public: bool) -> dict[str, Any]:
        item = self.item
        out: dict[str, Any] = {
            "code": item.code, "title": item.title, "mode": item.mode, "status": self.status,
            "status_label": self.status_label,
            "amount": {"min": str(self.amount_min), "max": None if self.amount_max is None else str(self.amount_max),
                       "text": self.amount},
            "reasons": [{"kind": r["kind"], "text": r["text"]} for r in self.reasons],
            "source": {"doc": item.document.doc_number or item.document.title, "clause": item.clause_path},
            "window": {"start": _iso(item.window_start), "end": _iso(item.window_end), "days_left": self.days_left},
            "exclusive_group": item.exclusive_group or None, "recommended": self.recommended,
            "alternative_to": self.alternative_to,
        }
        if not public:
            out["missing"] = [{"path": m["path"], "label": m["label"]} for m in self.missing]
            out["next_step"] = self.next_step
        return out


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _supplementable(path: str) -> bool:
    try:
        return parse_field_path(path).kind in {"year", "static", "flag"}
    except ValueError:
        return False


def _days_left(item: PolicyItem, on: date) -> int | None:
    return (item.window_end - on).days if item.window_end else None


def _group(cards: list[MatchCard], evaluations: list[Evaluation], raws: Sequence[Mapping[str, Any]]) -> list[MatchCard]:
    """惠中选惠: one card per exclusive group (the recommended one), the others as its alternatives."""
    choices = choose_in_exclusive_groups(evaluations, raws)
    by_code = {card.item.code: card for card in cards}
    shown: list[MatchCard] = []
    for card, choice in zip(cards, choices, strict=True):
        card.recommended = choice.recommended
        card.alternative_to = choice.alternative_to
        if choice.alternative_to is None:
            shown.append(card)
    for card in cards:
        if card.alternative_to is not None and card.alternative_to in by_code:
            by_code[card.alternative_to].alternatives.append(card)
    return shown


def _sorted(cards: Iterable[MatchCard]) -> list[MatchCard]:
    def key(card: MatchCard) -> tuple[int, Decimal]:
        top = card.amount_max if card.amount_max is not None else Decimal(10) ** 15
        return (0 if card.status == STATUS_ELIGIBLE else 1, -top)

    return sorted(cards, key=key)


@dataclass
class QuickMatch:
    enterprise: Enterprise
    eligible: list[MatchCard]
    possible: list[MatchCard]
    eligible_total: int
    possible_total: int

    def to_dict(self) -> dict[str, Any]:
        e = self.enterprise
        return {
            "enterprise": {"name": e.name, "uscc": e.uscc, "region": region_label(e.region),
                           "industry": industry_label(e.industry) if e.industry else None,
                           "established_on": _iso(e.established_on)},
            "judged_on": "public",
            "note": "仅依据公开信息判断；营业收入、纳税、研发、用工等数据需企业登录后判断",
            "eligible_total": self.eligible_total, "possible_total": self.possible_total,
            "eligible": [c.to_dict(public=True) for c in self.eligible],
            "possible": [c.to_dict(public=True) for c in self.possible],
        }


QUICK_SHOWN = 20


@functools.lru_cache(maxsize=4096)
def _amount_label(amount_min: Decimal, amount_max: Decimal | None, non_monetary: bool) -> str:
    # Libraries repeat a few hundred amounts: each is put in words once per process.
    return amount_text(amount_min, amount_max, non_monetary=non_monetary)


def quick_match(*, enterprise: Enterprise, on: date, shown: int = QUICK_SHOWN) -> QuickMatch:
    """一键匹配: the enterprise's public profile against every published item. Private figures
    are never read (profile_of(include_private=False)) and every condition on one is a
    "登录后判断" check, so nothing in the answer depends on them. Items of one exclusive group
    count once (惠中选惠); the ``shown`` best of each status come with reasons."""
    index = public_match.public_index()
    profile = _public_profile(enterprise)
    res = public_match.evaluate_public(index, profile, on=on)
    keep, alternative_to = public_match.choose_groups(index, res)
    alternatives: dict[int, list[int]] = {}  # by the leading hit: only the shown cards' become rows
    for hit, lead in alternative_to.items():
        alternatives.setdefault(lead, []).append(hit)
    # Eligible first, then the highest amount (unbounded first), then item order.
    order = np.lexsort((res.pos, -res.max_fen, ~res.eligible))
    order = order[keep[order]]
    eligible = order[res.eligible[order]].tolist()
    possible = order[~res.eligible[order]].tolist()
    outcomes = res.outcomes

    def card(hit: int, *, with_reasons: bool) -> MatchCard:
        row = res.row(hit)
        item = index.items[row.pos]
        made = MatchCard(item=item, status=row.status, amount_min=row.amount_min, amount_max=row.amount_max,
                         reasons=public_match.public_reasons(index, row.pos, outcomes) if with_reasons else [],
                         days_left=_days_left(item, on),
                         non_monetary=bool(index.non_monetary[row.pos]))
        if with_reasons:
            made.alternatives = [card(a, with_reasons=False) for a in alternatives.get(hit, [])]
            for alt in made.alternatives:
                alt.recommended, alt.alternative_to = False, item.code
        return made

    return QuickMatch(enterprise, [card(i, with_reasons=True) for i in eligible[:shown]],
                      [card(i, with_reasons=True) for i in possible[:shown]], len(eligible), len(possible))


# -- the enterprise's own matches ----------------------------------------------------------------


@dataclass(frozen=True)
class NotMet:
    """An item of the enterprise's region it does not qualify for, with the conditions that fail."""

    item: PolicyItem
    failed: list[str]


@dataclass
class MyMatches:
    enterprise: Enterprise
    eligible: list[MatchCard]
    possible: list[MatchCard]
    updating: bool
    computed_at: Any
    not_met: list[NotMet] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "enterprise": {"name": self.enterprise.name, "uscc": self.enterprise.uscc},
            "updating": self.updating,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "eligible": [c.to_dict(public=False) | {"alternatives": [a.to_dict(public=False) for a in c.alternatives]}
                         for c in self.eligible],
            "possible": [c.to_dict(public=False) | {"alternatives": [a.to_dict(public=False) for a in c.alternatives]}
                         for c in self.possible],
            "not_met": [{"code": n.item.code, "title": n.item.title, "failed": n.failed} for n in self.not_met],
        }


NOT_MET_SHOWN = 60
NOT_MET_REASONS = 2


def _not_met(enterprise: Enterprise, profile: Mapping[str, Any], *, on: date, matched: set[int]) -> list[NotMet]:
    """Published items in force for the enterprise's own region that it does not meet, each with
    the first conditions that fail (an alternative of an "any" that was met is never among them:
    explain() leaves those out)."""
    region = enterprise.region or ""
    scopes = {"", region, region[:4] + "00", region[:2] + "0000"}
    items = (PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED, region__in=scopes)
             .exclude(pk__in=matched).select_related("document").order_by("-published_at", "code")[:NOT_MET_SHOWN])
    out: list[NotMet] = []
    for item in items:
        raw = item.as_rules_item()
        ev = evaluate(raw, profile, on=on)
        if ev.status != STATUS_INELIGIBLE or not ev.in_force:
            continue
        failed = [r["text"] for r in reasons_for(ev, item=raw) if r["kind"] == "unmet"][:NOT_MET_REASONS]
        out.append(NotMet(item, failed))
    return out


def match_updating(enterprise: Enterprise) -> bool:
    """A recomputation of this enterprise (after 补充数据 or an import) is queued or running."""
    return MatchJob.objects.filter(kind=MatchJob.Kind.ENTERPRISE, target=str(enterprise.pk),
                                   state__in=[MatchJob.State.QUEUED, MatchJob.State.RUNNING]).exists()


def my_matches(*, enterprise: Enterprise, on: date) -> MyMatches:
    """Matches of one enterprise from MatchResult (computed now when there are none yet), each
    explained from a fresh scalar evaluation with the full profile. Only call after
    access_enterprise_view allowed the viewer."""
    results = list(MatchResult.objects.filter(enterprise=enterprise, item__status=PolicyItem.Status.PUBLISHED)
                   .select_related("item", "item__document"))
    if not results and not MatchResult.objects.filter(enterprise=enterprise).exists():
        match_enterprise_recompute(enterprise_id=enterprise.pk, on=on)
        results = list(MatchResult.objects.filter(enterprise=enterprise, item__status=PolicyItem.Status.PUBLISHED)
                       .select_related("item", "item__document"))
    full = profiles_queryset(Enterprise.objects.filter(pk=enterprise.pk)).get()
    profile = profile_of(full)
    cards: list[MatchCard] = []
    evaluations: list[Evaluation] = []
    raws: list[Mapping[str, Any]] = []
    for result in results:
        # Only the matched items are compiled: the page never waits for the whole library.
        raw = result.item.as_rules_item()
        ev = evaluate(raw, profile, on=on)
        if ev.status == STATUS_INELIGIBLE or ev.amount is None:
            continue  # stale row: the profile changed and the recomputation has not run yet
        cards.append(MatchCard(item=result.item, status=ev.status, amount_min=Decimal(ev.amount.min),
                               amount_max=None if ev.amount.max is None else Decimal(ev.amount.max),
                               reasons=reasons_for(ev, item=raw), unknown_fields=list(ev.unknown_fields),
                               days_left=_days_left(result.item, on)))
        evaluations.append(ev)
        raws.append(raw)
    shown = _sorted(_group(cards, evaluations, raws))
    computed = max((r.computed_at for r in results), default=None)
    return MyMatches(enterprise, [c for c in shown if c.status == STATUS_ELIGIBLE],
                     [c for c in shown if c.status != STATUS_ELIGIBLE], match_updating(enterprise), computed,
                     _not_met(enterprise, profile, on=on, matched={c.item.pk for c in cards}))


# -- 应享未享 ------------------------------------------------------------------------------------


def applied_pairs(*, item_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(enterprise_id, item_id) pairs with an application on file — the one place that knows the
    fulfilment app. Until it exists, nobody has applied. A withdrawn or draft application does
    not count as applied."""
    try:
        application = apps.get_model("fulfilment", "Application")
    except LookupError:
        return set()
    qs = application.objects.filter(item_id__in=list(item_ids)).exclude(status__in=["draft", "withdrawn"])
    return set(qs.values_list("enterprise_id", "item_id"))


def remind_workdays() -> int:
    return int(getattr(settings, "HUIQI_MISSED_REMIND_WORKDAYS", 5))


@dataclass(frozen=True)
class Missed:
    item: PolicyItem
    enterprise: Enterprise
    amount_min: Decimal
    amount_max: Decimal | None
    workdays_left: int

    @property
    def amount(self) -> str:
        return amount_text(self.amount_min, self.amount_max)


def missed_entitlements(*, on: date, region: str = "", within_workdays: int | None = None) -> list[Missed]:
    """应享未享: eligible enterprises that have not applied for a published 即申即享 item whose
    window closes within ``within_workdays`` working days (default HUIQI_MISSED_REMIND_WORKDAYS)."""
    from huiqi.workdays.selectors import work_calendar

    limit = remind_workdays() if within_workdays is None else within_workdays
    calendar = work_calendar()
    items = PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED, mode=Mode.INSTANT,
                                      window_end__gte=on).select_related("document")
    closing: dict[int, tuple[PolicyItem, int]] = {}
    for item in items:
        assert item.window_end is not None
        try:
            left = calendar.workdays_between(on, item.window_end)
        except Exception:  # a year without holiday data: fall back to calendar days
            left = (item.window_end - on).days
        if left <= limit:
            closing[item.pk] = (item, left)
    if not closing:
        return []
    results = MatchResult.objects.filter(item_id__in=list(closing), status=MatchResult.Status.ELIGIBLE
                                         ).select_related("enterprise")
    if region:
        results = results.filter(region_within_q(region, field="enterprise__region"))
    groups = {item.exclusive_group for item, _left in closing.values() if item.exclusive_group}
    group_of = dict(PolicyItem.objects.filter(exclusive_group__in=groups).values_list("pk", "exclusive_group"))
    applied = applied_pairs(item_ids=set(closing) | set(group_of))
    applied_groups = {(enterprise_id, group_of[item_id]) for enterprise_id, item_id in applied if item_id in group_of}
    # 同类不重复: an enterprise that applied for any item of a group has not missed the others,
    # and of several closing items of one group only the best is worth a reminder.
    best: dict[tuple[int, str], Missed] = {}
    out: list[Missed] = []
    for r in results:
        item, left = closing[r.item_id]
        if (r.enterprise_id, r.item_id) in applied:
            continue
        missed = Missed(item, r.enterprise, r.amount_min, r.amount_max, left)
        group = item.exclusive_group
        if not group:
            out.append(missed)
            continue
        if (r.enterprise_id, group) in applied_groups:
            continue
        current = best.get((r.enterprise_id, group))
        if current is None or _money(missed) > _money(current):
            best[(r.enterprise_id, group)] = missed
    out.extend(best.values())
    return sorted(out, key=lambda m: (m.workdays_left, m.item.code, m.enterprise.name))


def _money(missed: Missed) -> Decimal:
    return missed.amount_max if missed.amount_max is not None else Decimal(10) ** 15


