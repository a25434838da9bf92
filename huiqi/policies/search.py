"""政策库全文检索: jieba tokens of each published item in an inverted index (SearchPosting),
ranked with BM25; filters and the other sort orders run in the database.

The index is derived data (rebuilt from PolicyItem at any time), so its writes carry no audit
event of their own; the publication that triggers them does.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from huiqi.core.regions import region_within_q
from policytext.normalize import normalize
from rules.evaluate import compile_item, item_range
from rules.numbers import round_half_up_fen
from rules.profile import ProfileView

from .models import PolicyItem, SearchDoc, SearchPosting

BM25_K1 = 1.2
BM25_B = 0.75
TITLE_WEIGHT = 3  # a word in the title says more about the item than one in the clause
MAX_RANKED = 1000
SORTS = ("relevance", "deadline", "amount", "latest")
_STOP = frozenset("的 了 和 与 或 及 在 对 按 给予 等 为 以 其 之 于 由 并 将 可 不 是 有 年 月 日 元 万元".split())
_WORD = re.compile(r"[\w\u4e00-\u9fff]+")

jieba.setLogLevel(60)


def tokens(text: str) -> list[str]:
    """Search-mode segmentation (long words and their parts), lower-cased, stop words dropped."""
    out: list[str] = []
    for piece in _WORD.findall(text or ""):
        for token in jieba.lcut_for_search(piece):
            token = token.strip().lower()
            if token and token not in _STOP and len(token) <= 40 and not token.isdigit():
                out.append(token)
    return out


SYNONYMS_FILE = Path(__file__).parent / "data" / "policy_synonyms.txt"
SYNONYM_WEIGHT = 0.7  # a word the question did not use counts a little less than one it did
# Words of a question that say nothing about which clause answers it (the clauses use few of them,
# and the ones they use — 企业, 申请 — are in nearly every clause anyway).
QUESTION_STOP = frozenset(
    "什么 怎么 怎样 怎么样 如何 哪些 哪个 哪里 多少 能 能否 能不能 可以 可不可以 吗 呢 吧 啊 嘛 呀 请问 问 问一下 一下 "
    "我 我们 我司 咱们 公司 本企业 本公司 有没有 没有 是否 需要 想 想要 要 咋 咋个 咋办 啥 哪 什么样 这个 那个 "
    "有 会 该 应该 还 都 也 就 去 来 得 地 么 时候 现在 今年 怎么办 是不是 能拿 拿 给 多 少 谁 问问 钱 多少钱 能补 能奖 "
    "自己 用 获得 拿到 领 一起 同时 真的 意思 的话 以上".split())
_QUANTITY = re.compile(r"^(?:百分之)?[\d.一二两三四五六七八九十百千万亿零半几]+[万亿元%个件人年名家倍份]*$")
# Parts of a synonym that would let it match nearly any clause (研发资金 must not find every 资金).
_GENERIC_PARTS = frozenset("企业 项目 资金 国家 技术 设备 工业 中小 小企业 中小企业 服务 信息 支出 费 小 以上 规模 新 企".split())


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Groups of interchangeable policy terms (data/policy_synonyms.txt), longest words first so
    that 规模以上工业 is found before 规模以上."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) > 1:
            groups.append(tuple(sorted(dict.fromkeys(words), key=len, reverse=True)))
    return tuple(groups)


def simplified_question(text: str) -> str:
    """Traditional → simplified, full-width → half-width (the index holds simplified text)."""
    return normalize(text or "")[0].lower()


def question_concepts(text: str) -> list[dict[str, float]]:
    """What a question asks about, as concepts: each is a set of index terms with a weight, any of
    which satisfies it. A synonym group the question names is one concept holding the tokens of
    all its words (the ones the question used at full weight); every other informative token of
    the question is a concept of its own. Question words (什么, 哪些, 我们公司 …) are dropped."""
    plain = simplified_question(text)
    concepts: list[dict[str, float]] = []
    for group in synonym_groups():
        used = [word for word in group if word in plain]
        if not used:
            continue
        concept: dict[str, float] = {}
        for word in group:
            weight = 1.0 if word in used else SYNONYM_WEIGHT
            parts = [t for t in tokens(word) if t not in QUESTION_STOP]
            specific = [t for t in parts if t not in _GENERIC_PARTS] or parts
            for token in specific:
                concept[token] = max(concept.get(token, 0.0), weight)
        for word in used:
            plain = plain.replace(word, " ")
        if concept:
            concepts.append(concept)
    seen = {term for concept in concepts for term in concept}
    # One word of the question is one concept, with the parts search-mode segmentation finds in it.
    for piece in _WORD.findall(plain):
        for word in jieba.lcut(piece):
            if word in QUESTION_STOP or _QUANTITY.match(word):
                continue  # amounts (一千万, 30万, 百分之十) say how much, not which clause
            concept = {t: 1.0 for t in tokens(word) if t not in QUESTION_STOP and t not in seen}
            if concept:
                seen.update(concept)
                concepts.append(concept)
    return concepts


def headline_amount(item: PolicyItem) -> Decimal | None:
    """The most an enterprise can get (what "按金额排序" sorts by); None when unbounded."""
    try:
        ci = compile_item(item.as_rules_item())
        _low, high = item_range(ci, ProfileView({}, on=timezone.localdate()), None)
    except Exception:  # a rule the engine rejects must not block indexing
        return None
    return None if high is None else Decimal(round_half_up_fen(high)) / 100


def search_index_refresh(*, item_id: int) -> bool:
    """(Re)index one item if it is published, drop it otherwise. Returns whether it is indexed."""
    item = PolicyItem.objects.select_related("document").filter(pk=item_id).first()
    with transaction.atomic():
        SearchDoc.objects.filter(item_id=item_id).delete()
        if item is None or item.status != PolicyItem.Status.PUBLISHED:
            return False
        counts: Counter[str] = Counter()
        for token in tokens(item.title):
            counts[token] += TITLE_WEIGHT
        body = " ".join([item.summary, item.clause_text, item.target, item.document.title,
                         item.document.doc_number, " ".join(str(t) for t in item.tags or [])])
        counts.update(tokens(body))
        doc = SearchDoc.objects.create(item=item, length=sum(counts.values()), amount_max=headline_amount(item))
        SearchPosting.objects.bulk_create(
            [SearchPosting(doc=doc, term=term, tf=min(tf, 32767)) for term, tf in counts.items()])
    return True


def search_index_rebuild(*, progress: Any = None) -> int:
    SearchDoc.objects.exclude(item__status=PolicyItem.Status.PUBLISHED).delete()
    count = 0
    ids = list(PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED).values_list("pk", flat=True))
    for pk in ids:
        count += search_index_refresh(item_id=pk)
        if progress is not None:
            progress(count, len(ids))
    return count


def bm25_scores(*, terms: Iterable[str], candidates: QuerySet[PolicyItem] | None = None) -> dict[int, float]:
    """BM25 over the indexed published items; only items holding a query term get a score."""
    wanted = sorted(set(terms))
    if not wanted:
        return {}
    total = SearchDoc.objects.count()
    if total == 0:
        return {}
    lengths = SearchDoc.objects.values_list("length", flat=True)
    avgdl = sum(lengths) / total or 1.0
    postings = SearchPosting.objects.filter(term__in=wanted)
    df = Counter(postings.values_list("term", flat=True))
    if candidates is not None:
        postings = postings.filter(doc_id__in=candidates.values("pk"))
    scores: dict[int, float] = {}
    for doc_id, term, tf, length in postings.values_list("doc_id", "term", "tf", "doc__length"):
        idf = math.log(1 + (total - df[term] + 0.5) / (df[term] + 0.5))
        norm = tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length / avgdl))
        scores[doc_id] = scores.get(doc_id, 0.0) + idf * norm
    return scores


def region_q(code: str) -> Q:
    """Items that apply in the place (its county, prefecture, province) or lie inside it."""
    code = code.strip()
    ancestors = {code, code[:4] + "00", code[:2] + "0000"}
    return Q(region__in=ancestors) | region_within_q(code)


def open_now_q(today: date) -> Q:
    """Open for applications today: inside the validity period and the application window (an
    item without a window — 免申即享, 常年受理 — is open while valid)."""
    return (
        (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        & (Q(window_start__isnull=True) | Q(window_start__lte=today))
        & (Q(window_end__isnull=True) | Q(window_end__gte=today))
    )


def search_items(*, q: str = "", region: str = "", department: int | str | None = None, level: str = "",
                 mode: str = "", support_type: str = "", open_now: bool = False, sort: str = "",
                 on: date | None = None) -> QuerySet[PolicyItem]:
    """Published items matching the filters, for everyone (政策库). With ``q`` only items that
    contain a query word, ordered by BM25 unless another ``sort`` is asked; sorts: relevance,
    deadline (soonest closing first, open-ended last), amount (highest first; unbounded "按申报额计算" last),
    latest. The queryset carries ``search_rank`` (0 = best) when ranked by relevance."""
    on = on or timezone.localdate()
    qs = PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED).select_related("document", "department")
    if region:
        qs = qs.filter(region_q(region))
    if department is not None and department != "":
        if not str(department).isdigit():
            return qs.none()  # an unknown department matches nothing rather than failing
        qs = qs.filter(department_id=int(department))
    if level:
        qs = qs.filter(document__level=level)
    if mode:
        qs = qs.filter(mode=mode)
    if support_type:
        qs = qs.filter(support_type=support_type)
    if open_now:
        qs = qs.filter(open_now_q(on))
    sort = sort if sort in SORTS else ("relevance" if q.strip() else "latest")
    if q.strip():
        scores = bm25_scores(terms=tokens(q), candidates=qs)
        ranked = sorted(scores, key=lambda pk: (-scores[pk], pk))[:MAX_RANKED]
        qs = qs.filter(pk__in=ranked)
        if sort == "relevance":
            rank = Case(*[When(pk=pk, then=Value(pos)) for pos, pk in enumerate(ranked)],
                        default=Value(MAX_RANKED), output_field=IntegerField())
            return qs.annotate(search_rank=rank).order_by("search_rank") if ranked else qs.none()
    if sort == "deadline":
        # Items past their deadline are no help to somebody looking for the next one: they go last.
        closed = Case(When(window_end__lt=on, then=Value(1)), default=Value(0), output_field=IntegerField())
        return qs.annotate(closed=closed).order_by("closed", F("window_end").asc(nulls_last=True), "code")
    if sort == "amount":
        return qs.order_by(F("search_doc__amount_max").desc(nulls_last=True), "code")
    return qs.order_by("-published_at", "code")
