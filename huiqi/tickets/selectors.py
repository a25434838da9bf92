"""Reads of 企呼我应, given the viewer: lists and queues, similar answered requests, the public
企业问题库, the monthly 会诊 list and per-department statistics (which the supervision index reads
through ``department_stats`` and ``escalated_tickets``)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from huiqi.accounts.models import Role
from huiqi.core.regions import region_within_q
from huiqi.policies.search import BM25_B, BM25_K1, tokens

from .access import is_dispatcher
from .models import Dispatcher, Ticket

S = Ticket.Status


def tickets_for(*, viewer: Any, colour: str = "", scope: str = "", status: str = "") -> QuerySet[Ticket]:
    """Enterprise: its own requests. Department members: their department's (lead or co). Dispatchers
    (scope "dispatch") and supervisors: every request of their region."""
    qs = Ticket.objects.select_related("enterprise", "category", "lead_department")
    role = getattr(viewer, "role", None)
    if role == Role.ENTERPRISE:
        qs = qs.filter(enterprise_id=viewer.enterprise_id)
    elif scope == "dispatch" and is_dispatcher(viewer):
        row = Dispatcher.objects.get(user_id=viewer.pk)
        qs = qs.filter(region_within_q(row.region))
    elif role == Role.SUPERVISOR:
        qs = qs.filter(region_within_q(viewer.region or ""))
    elif getattr(viewer, "department_id", None):
        qs = qs.filter(Q(lead_department_id=viewer.department_id) | Q(co_departments=viewer.department_id)).distinct()
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    if colour:
        qs = qs.filter(colour=colour, status__in=Ticket.OPEN_STATUSES)
    return qs


def colour_counts(qs: QuerySet[Ticket]) -> dict[str, int]:
    counts = Counter(qs.filter(status__in=Ticket.OPEN_STATUSES).values_list("colour", flat=True))
    return {c: counts.get(c, 0) for c in ("red", "yellow", "green", "paused")}


def timeline(ticket: Ticket) -> list[Any]:
    return list(ticket.events.select_related("actor").order_by("at", "pk"))


def _bm25(query: list[str], docs: dict[int, list[str]]) -> dict[int, float]:
    """BM25 (the constants of the policy search) over a small in-memory set of documents."""
    if not query or not docs:
        return {}
    total = len(docs)
    avgdl = sum(len(d) for d in docs.values()) / total or 1.0
    df: Counter[str] = Counter()
    for words in docs.values():
        df.update(set(words))
    scores: dict[int, float] = {}
    for pk, words in docs.items():
        tf = Counter(words)
        score = 0.0
        for term in set(query):
            if term not in tf:
                continue
            idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
            score += idf * tf[term] * (BM25_K1 + 1) / (tf[term] + BM25_K1 * (1 - BM25_B + BM25_B * len(words) / avgdl))
        if score > 0:
            scores[pk] = score
    return scores


def similar_answered(*, ticket: Ticket, limit: int = 5, pool: int = 2000) -> list[Ticket]:
    """Answered requests whose words are closest to this one (jieba tokens, BM25), for handlers."""
    candidates = list(Ticket.objects.filter(status=S.CLOSED).exclude(answer="").exclude(pk=ticket.pk)
                      .select_related("category", "lead_department").order_by("-closed_at")[:pool])
    docs = {t.pk: tokens(f"{t.title} {t.title} {t.content}") for t in candidates}
    scores = _bm25(tokens(f"{ticket.title} {ticket.content}"), docs)
    ranked = sorted(scores, key=lambda pk: -scores[pk])[:limit]
    by_pk = {t.pk: t for t in candidates}
    return [by_pk[pk] for pk in ranked]


def faq_entries(*, q: str = "", item_id: int | None = None) -> list[Ticket]:
    """The public 企业问题库: published questions and answers, best match first when searching."""
    qs = Ticket.objects.filter(faq=Ticket.Faq.PUBLISHED).select_related("category", "related_item")
    if item_id is not None:
        qs = qs.filter(related_item_id=item_id)
    rows = list(qs.order_by("-faq_published_at")[:500])
    if not q.strip():
        return rows
    scores = _bm25(tokens(q), {t.pk: tokens(f"{t.faq_question} {t.faq_question} {t.faq_answer}") for t in rows})
    return sorted((t for t in rows if t.pk in scores), key=lambda t: -scores[t.pk])


def escalated_tickets(*, region: str = "") -> QuerySet[Ticket]:
    """Requests rated 不满意 twice (转督办), newest first: what the supervision app turns into 督办 orders."""
    return (Ticket.objects.filter(escalated_at__isnull=False).filter(region_within_q(region))
            .select_related("enterprise", "category", "lead_department").order_by("-escalated_at"))


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(nxt, time.min)))


@dataclass
class DepartmentStats:
    department_id: int
    department: str
    registered: int = 0
    answered: int = 0
    answered_on_time: int = 0
    rated: int = 0
    satisfied: int = 0  # 满意 + 基本满意
    unsatisfied: int = 0
    escalated: int = 0
    open_red: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return None if not self.answered else self.answered_on_time / self.answered

    @property
    def satisfaction_rate(self) -> float | None:
        return None if not self.rated else self.satisfied / self.rated


def department_stats(*, region: str, month: date) -> list[DepartmentStats]:
    """Per lead department, the requests of ``region`` registered in ``month``: counts, answered on
    time (on-time rate), ratings (satisfaction = 满意 + 基本满意 over rated), escalations, red now."""
    start, end = _month_bounds(month)
    rows = (Ticket.objects.filter(region_within_q(region), created_at__gte=start, created_at__lt=end,
                                  lead_department__isnull=False).select_related("lead_department"))
    out: dict[int, DepartmentStats] = {}
    for t in rows:
        assert t.lead_department is not None
        s = out.setdefault(t.lead_department_id or 0, DepartmentStats(t.lead_department.pk, t.lead_department.name))
        s.registered += 1
        if t.answered_at is not None or t.status == S.CLOSED:
            s.answered += 1
            s.answered_on_time += 1 if t.answered_on_time else 0
        if t.rating:
            s.rated += 1
            s.satisfied += 1 if t.rating != Ticket.Rating.UNSATISFIED else 0
            s.unsatisfied += t.unsatisfied
        s.escalated += 1 if t.escalated_at else 0
        s.open_red += 1 if t.status in Ticket.OPEN_STATUSES and t.colour == "red" else 0
    return sorted(out.values(), key=lambda s: (-s.registered, s.department))


@dataclass
class Consultation:
    """The monthly 会诊 list: requests open longer than ``open_days`` and topics that recur."""

    long_open: list[Ticket] = field(default_factory=list)
    repeated: list[tuple[str, int, list[Ticket]]] = field(default_factory=list)


def consultation(*, region: str, month: date, open_days: int = 15, min_repeats: int = 3) -> Consultation:
    """Requests open more than ``open_days`` calendar days at the end of ``month`` (or today), and
    words (jieba tokens of titles) shared by at least ``min_repeats`` requests of the month."""
    start, end = _month_bounds(month)
    cutoff = min(end, timezone.now()) - timedelta(days=open_days)
    base = Ticket.objects.filter(region_within_q(region)).select_related("enterprise", "category", "lead_department")
    long_open = list(base.filter(status__in=Ticket.OPEN_STATUSES, created_at__lt=cutoff).order_by("created_at"))
    groups: dict[str, list[Ticket]] = defaultdict(list)
    for t in base.filter(created_at__gte=start, created_at__lt=end):
        for word in set(tokens(t.title)):
            if len(word) >= 2:
                groups[word].append(t)
    repeated = sorted(((w, len(ts), ts) for w, ts in groups.items()
                       if len({t.enterprise_id for t in ts}) >= min_repeats), key=lambda r: (-r[1], r[0]))[:20]
    return Consultation(long_open=long_open, repeated=repeated)
