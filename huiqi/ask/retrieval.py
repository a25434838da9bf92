"""问政策 retrieval: which published clauses answer a question.

Ranking is BM25 over the 政策库 index (``SearchDoc``/``SearchPosting``, kept by
``huiqi.policies.search`` on every publication) with the question read as concepts
(``question_concepts``: synonyms of policy terms, Traditional characters folded). A clause must
cover enough of what the question asks (``coverage``) or the answer is "the library does not say".

Why a per-process copy of the postings: asking ``SearchPosting`` for every term of every question
reads tens of thousands of rows on a 20,000-item library, too slow for an answer while the person
waits. Each process therefore keeps a read-only ``ClauseIndex`` — the item lengths, regions and, as
questions need them, the postings of each term as numpy arrays. It can never diverge from the
database: every question first reads the library's version (number of indexed items and the latest
index refresh time, both stored in the database by the publication) and a process whose copy is of
another version drops it and starts a new one. Nothing is written to it except by the process
that built it, and losing it costs only a reload.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max

from huiqi.policies.models import SearchDoc, SearchPosting
from huiqi.policies.search import BM25_B, BM25_K1, question_concepts, tokens
from policytext.places import find_places

# A clause answers only when it covers this share of what the question asks (idf-weighted) …
MIN_COVERAGE = 0.5
# … and what it covers is specific enough: 申请 or 奖励 alone do not say which policy is meant.
MIN_COVERED_WEIGHT = 2.0
# Clauses far below the best one are not worth quoting.
RELATIVE_CUTOFF = 0.45
# A place named in the question: clauses of another place are worth less.
OTHER_PLACE_FACTOR = 0.5

Postings = tuple[np.ndarray, np.ndarray]  # (positions into ClauseIndex.item_ids, term frequencies)
PostingsLoader = Callable[[Sequence[str]], dict[str, list[tuple[int, int]]]]


@dataclass(frozen=True)
class Hit:
    item_id: int
    score: float
    coverage: float


@dataclass
class ClauseIndex:
    """BM25 statistics of one version of the library; postings are loaded per term on first use."""

    version: Any
    item_ids: np.ndarray  # sorted
    lengths: np.ndarray
    regions: list[str]
    load_postings: PostingsLoader
    _postings: dict[str, Postings] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _region_kinds: tuple[list[str], np.ndarray] | None = None

    @property
    def size(self) -> int:
        return int(self.item_ids.size)

    @property
    def avgdl(self) -> float:
        return float(self.lengths.mean()) if self.size else 1.0

    def postings(self, terms: Iterable[str]) -> dict[str, Postings]:
        wanted = sorted(set(terms))
        with self._lock:
            missing = [t for t in wanted if t not in self._postings]
            if missing:
                loaded = self.load_postings(missing)
                for term in missing:
                    pairs = loaded.get(term, [])
                    ids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
                    tfs = np.fromiter((p[1] for p in pairs), dtype=np.float64, count=len(pairs))
                    positions = np.searchsorted(self.item_ids, ids)
                    # an item published after this version was read is not in it: skip it
                    known = (positions < self.size) & (self.item_ids[np.minimum(positions, self.size - 1)] == ids) \
                        if self.size else np.zeros(len(pairs), dtype=bool)
                    self._postings[term] = (positions[known], tfs[known])
            return {t: self._postings[t] for t in wanted}

    def idf(self, df: int) -> float:
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def rank(self, concepts: Sequence[dict[str, float]], *, places: Sequence[str] = (), limit: int = 5) -> list[Hit]:
        """The best clauses for the concepts, best first; only those that answer (coverage and
        specificity thresholds, and not far below the best)."""
        if not concepts or not self.size:
            return []
        postings = self.postings(t for c in concepts for t in c)
        lengths_norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths / self.avgdl)
        scores = np.zeros(self.size)
        covered = np.zeros(self.size)
        total_weight = 0.0
        for concept in concepts:
            present = np.zeros(self.size, dtype=bool)
            best_idf = 0.0
            for term, weight in concept.items():
                positions, tfs = postings[term]
                if positions.size == 0:
                    continue
                idf = self.idf(int(positions.size))
                best_idf = max(best_idf, weight * idf)
                scores[positions] += weight * idf * tfs * (BM25_K1 + 1) / (tfs + lengths_norm[positions])
                present[positions] = True
            # Single characters (奖, 补) say too little to count for or against coverage; a word no
            # clause uses at all counts fully against it (the library does not speak of it).
            if max(len(t) for t in concept) < 2:
                continue
            if best_idf == 0.0:
                best_idf = self.idf(0)
            total_weight += best_idf
            covered[present] += best_idf
        if total_weight == 0.0:
            return []
        if places:
            scores *= np.where(self._place_mask(places), 1.0, OTHER_PLACE_FACTOR)
        coverage = covered / total_weight
        answers = (coverage >= MIN_COVERAGE) & (covered >= MIN_COVERED_WEIGHT) & (scores > 0)
        if not answers.any():
            return []
        ranked = scores * (0.5 + coverage)
        ranked[~answers] = 0.0
        top = np.argsort(-ranked, kind="stable")[:limit]
        best = ranked[top[0]]
        return [Hit(int(self.item_ids[i]), float(ranked[i]), float(coverage[i]))
                for i in top if ranked[i] > 0 and ranked[i] >= RELATIVE_CUTOFF * best]

    def _place_mask(self, places: Sequence[str]) -> np.ndarray:
        """Decided once per distinct region (a library has a few hundred), not once per clause."""
        if self._region_kinds is None:
            kinds, inverse = np.unique(np.array(self.regions, dtype=object).astype(str), return_inverse=True)
            self._region_kinds = ([str(k) for k in kinds], inverse)
        kinds_list, inverse = self._region_kinds
        related = np.fromiter((any(applies_in(r, p) for p in places) for r in kinds_list), dtype=bool,
                              count=len(kinds_list))
        return related[inverse]


def applies_in(region: str, place: str) -> bool:
    """Whether a clause of ``region`` concerns ``place``: nationwide or province-wide clauses, the
    place's own, its prefecture's, or those of a county inside it."""
    if not region or region.endswith("0000") or region == place:
        return True
    if region in {place[:4] + "00", place[:2] + "0000"}:
        return True
    if place.endswith("0000"):
        return region.startswith(place[:2])
    if place.endswith("00"):
        return region.startswith(place[:4])
    return False


def places_in(question: str) -> list[str]:
    """Region codes named in the question, also when the county's suffix is left out (晋江的…)."""
    found = [code for _s, _e, code in find_places(question)]
    if not found:
        for token in tokens(question):
            if 2 <= len(token) <= 3:
                for suffix in ("市", "县", "区"):
                    hits = find_places(token + suffix)
                    if hits and hits[0][1] - hits[0][0] == len(token) + 1:
                        found.append(hits[0][2])
                        break
    return list(dict.fromkeys(found))


# -- the process's copy, checked against the database on every question --------------------------

_current: ClauseIndex | None = None
_current_lock = threading.Lock()


def library_version() -> tuple[int, Any]:
    """Changes whenever an item is indexed, re-indexed or dropped (SearchDoc rows are deleted and
    re-created on each refresh, so the latest refresh time moves; a drop changes the count)."""
    row = SearchDoc.objects.aggregate(n=Count("pk"), latest=Max("refreshed_at"))
    return int(row["n"]), row["latest"]


def _postings_from_db(terms: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for term, doc_id, tf in SearchPosting.objects.filter(term__in=list(terms)).values_list("term", "doc_id", "tf"):
        out.setdefault(term, []).append((doc_id, tf))
    return out


def clause_index() -> ClauseIndex:
    global _current
    version = library_version()
    with _current_lock:
        if _current is not None and _current.version == version:
            return _current
        rows = list(SearchDoc.objects.order_by("item_id").values_list("item_id", "length", "item__region"))
        _current = ClauseIndex(
            version=version,
            item_ids=np.array([r[0] for r in rows], dtype=np.int64),
            lengths=np.array([max(r[1], 1) for r in rows], dtype=np.float64),
            regions=[r[2] or "" for r in rows],
            load_postings=_postings_from_db,
        )
        return _current


def find_clauses(question: str, *, limit: int = 5, home_region: str = "") -> list[Hit]:
    """The published clauses that answer the question, best first (empty: the library does not).
    ``home_region`` (an enterprise user's own) stands in for a place the question does not name."""
    places = places_in(question) or ([home_region] if home_region else [])
    return clause_index().rank(question_concepts(question), places=places, limit=limit)
