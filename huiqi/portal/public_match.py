"""一键匹配's fast path: every published item judged on public facts at once, with NumPy.

On public facts, every private condition is a "登录后判断" check (always UNKNOWN), so an item's
answer depends only on the outcomes of a few dozen distinct public atoms (region, industry,
establishment, public certificates and lists). The index keeps each item's condition in
conjunctive normal form over those atoms — ``all`` of clauses, each ``any`` of (possibly negated)
atoms — and Kleene logic becomes arithmetic: with FALSE=0, UNKNOWN=1, TRUE=2, ``any`` is a max,
``all`` a min and ``not`` is 2−v. One request evaluates the distinct atoms once with the rules
engine (rules.compiled.Atom) and every item with two array reductions.

Items that do not fit (deeper nesting) and rewards that read a public figure fall back to the
engine's scalar evaluator for that item; a test checks both paths give the same statuses and
amounts as rules.batch.match_enterprise.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cnstd.industries import get_industry
from cnstd.regions import get_region
from huiqi.enterprises.models import Qualification
from huiqi.policies.models import LibraryVersion, PolicyItem
from huiqi.policies.services import library_version_bump
from rules.compiled import Atom, Node, RewardNode, eval_node, iter_atoms
from rules.evaluate import CompiledItem, compile_item, item_range
from rules.fields import FLAG_LABELS, label_of
from rules.numbers import round_half_up_fen
from rules.profile import ProfileView

from .explaining import LOGIN_MARK, _describe, is_non_monetary, is_private_atom, public_item

log = logging.getLogger(__name__)
F, U, T = 0, 1, 2
TRUE_ID, FALSE_ID, UNKNOWN_ID = 0, 1, 2
MAX_CLAUSES = 16
MAX_LITERALS = 8
STAMP_CHECK_SECONDS = 2.0


@dataclass
class PublicIndex:
    """Published items compiled for the public view (rebuilt when an item changes)."""

    items: list[PolicyItem]
    compiled: dict[int, CompiledItem]  # only the items the scalar engine evaluates (fallbacks)
    atoms: list[Atom | None]          # by atom id; None for the three constants
    lits: npt.NDArray[np.int32]       # (items, clauses, literals) atom ids
    neg: npt.NDArray[np.bool_]        # same shape: literal negated
    fallback: npt.NDArray[np.int64]   # item positions evaluated by the scalar engine
    amount_fallback: set[int]         # item positions whose amount reads a public figure
    min_fen: npt.NDArray[np.int64]
    max_fen: npt.NDArray[np.int64]
    max_inf: npt.NDArray[np.bool_]
    valid_from: npt.NDArray[np.int64]
    valid_to: npt.NDArray[np.int64]
    group: list[str | None]
    literals: list[list[tuple[int, bool]]]   # per item, in condition order, for the reasons
    checks: list[list[str]]                  # per item: check texts (login and reviewer)
    by_code: dict[str, int] = field(default_factory=dict)
    by_scope: dict[str | None, list[int]] = field(default_factory=dict)
    _candidates: dict[str | None, npt.NDArray[np.int64]] = field(default_factory=dict)
    has_negation: bool = False
    qualification_labels: dict[str, str] = field(default_factory=dict)

    group_id: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # -1: none
    non_monetary: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))  # reward "none"
    fallback_atoms: frozenset[int] = frozenset()
    _atoms_for: dict[str | None, npt.NDArray[np.int64]] = field(default_factory=dict)
    _plans: dict[str | None, RegionPlan] = field(default_factory=dict)
    _sentences: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def atoms_for(self, region: Any) -> npt.NDArray[np.int64]:
        """The distinct atoms the candidate items of a region read (a request evaluates only those)."""
        key = None if region is None else str(region).strip()
        found = self._atoms_for.get(key)
        if found is None:
            used = set(np.unique(self.lits[self.candidates(region)]).tolist()) | set(self.fallback_atoms)
            for pos in self.candidates(region).tolist():
                used.update(aid for aid, _ in self.literals[pos])
            found = np.asarray(sorted(a for a in used if a >= 3), dtype=np.int64)
            self._atoms_for[key] = found
        return found

    def plan(self, region: Any) -> RegionPlan:
        """The candidate items of a region with their clauses packed end to end (see RegionPlan)."""
        key = None if region is None else str(region).strip()
        found = self._plans.get(key)
        if found is None:
            found = RegionPlan.of(self, self.candidates(region))
            self._plans[key] = found
        return found

    def candidates(self, region: Any) -> npt.NDArray[np.int64]:
        """Items whose own region scope can include this region (as rules.batch.ItemIndex):
        the others are FALSE by their implicit region condition and need no evaluation."""
        key = None if region is None else str(region).strip()
        found = self._candidates.get(key)
        if found is None:
            if key is None:
                found = np.arange(len(self.items), dtype=np.int64)
            else:
                scopes: list[str | None] = [None]
                if len(key) == 6 and key.isdigit():
                    scopes += list(dict.fromkeys([key, key[:4] + "00", key[:2] + "0000"]))
                else:
                    scopes.append(key)
                found = np.asarray(sorted(p for s in scopes for p in self.by_scope.get(s, [])), dtype=np.int64)
            self._candidates[key] = found
        return found


# The compiled index is immutable data named by the library's (token, version, changed_at), read
# from the database (huiqi.policies.models.LibraryVersion) at most every STAMP_CHECK_SECONDS. Each
# host keeps the index it compiled in a file under VAR_DIR; every worker process of that host loads
# the file instead of compiling the library again (one compile per host and version, not one per
# process). This per-host file is a cache of immutable, versioned data checked against the DB
# version — no state that can diverge between hosts: a host holding an older file sees a newer
# version in the database and builds or loads that one.
@dataclass
class RegionPlan:
    """A region's candidate items with their CNF packed without padding: every literal once, in
    (item, clause) order, so a request gathers only the literals its items have (the padded
    (items, clauses, literals) block is mostly filler) and reduces them with two reduceat calls —
    max within a clause, min across an item's clauses."""

    cand: npt.NDArray[np.int64]           # candidate item positions
    atoms: npt.NDArray[np.int32]          # literal atom ids, packed
    negated: npt.NDArray[np.bool_] | None  # None when no literal of the region is negated
    clause_starts: npt.NDArray[np.int64]  # first literal of each clause
    item_starts: npt.NDArray[np.int64]    # first clause of each item that has clauses
    with_clauses: npt.NDArray[np.int64]   # positions (in the item list) of those items
    always: npt.NDArray[np.int64]         # positions of candidate items without clauses (TRUE)
    fallback: npt.NDArray[np.int64]       # candidate positions the scalar engine evaluates
    valid_from: npt.NDArray[np.int64]
    valid_to: npt.NDArray[np.int64]

    @classmethod
    def of(cls, index: PublicIndex, cand: npt.NDArray[np.int64]) -> RegionPlan:
        lits, neg = index.lits[cand], index.neg[cand]
        used = lits[:, :, 0] != TRUE_ID           # an unused clause starts with the TRUE constant
        keep = (lits != FALSE_ID) & used[:, :, None]  # FALSE literals add nothing to a max…
        keep[:, :, 0] |= used & ~keep.any(axis=2)     # …but an all-FALSE clause keeps one (it is FALSE)
        per_clause = keep.sum(axis=2)[used]
        per_item = used.sum(axis=1)
        has = per_item > 0
        negated = neg[keep]
        return cls(cand=cand, atoms=lits[keep].astype(np.int32), negated=negated if negated.any() else None,
                   clause_starts=np.concatenate([[0], np.cumsum(per_clause)[:-1]]).astype(np.int64),
                   item_starts=np.concatenate([[0], np.cumsum(per_item[has])[:-1]]).astype(np.int64),
                   with_clauses=cand[has], always=cand[~has],
                   fallback=np.intersect1d(index.fallback, cand),
                   valid_from=index.valid_from[cand], valid_to=index.valid_to[cand])

    def statuses(self, outcomes: npt.NDArray[np.uint8], n_items: int) -> npt.NDArray[np.uint8]:
        status = np.zeros(n_items, dtype=np.uint8)
        status[self.always] = T
        if len(self.with_clauses):
            values = outcomes[self.atoms]
            if self.negated is not None:
                values = np.where(self.negated, T - values, values)
            clauses = np.maximum.reduceat(values, self.clause_starts)
            status[self.with_clauses] = np.minimum.reduceat(clauses, self.item_starts)
        return status


_cache: dict[str, Any] = {}
# Part of the file name: raise it whenever PublicIndex/RegionPlan change shape, so a new release
# never unpickles a file an older one wrote.
INDEX_FORMAT = 3
INDEX_FILE_PREFIX = "public-index-"


def _index_dir() -> Path:
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "public-index"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _version_key() -> str:
    row = LibraryVersion.objects.filter(pk=1).values_list("token", "version", "changed_at").first()
    if row is None:
        library_version_bump()
        row = LibraryVersion.objects.filter(pk=1).values_list("token", "version", "changed_at").get()
    token, version, changed_at = row
    # changed_at as well: a version a rolled-back transaction used (its compiled file may exist)
    # can be used again by a later commit with other contents, never at the same microsecond.
    return f"{token}-{version}-{changed_at.timestamp():.6f}"


def _build_current() -> PublicIndex:
    catalogue = tuple(sorted(Qualification.objects.values_list("code", "name", "is_public")))
    items = list(PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED).select_related("document")
                 .order_by("pk"))
    index = build_index(items, private_qualifications=frozenset(code for code, _name, public in catalogue
                                                                if not public),
                        qualification_labels={code: name for code, name, _public in catalogue})
    _slim(items)
    return index


# What a card shows of an item (portal/_card.html, MatchCard.to_dict); the rest is left deferred.
CARD_FIELDS = frozenset({"id", "code", "title", "mode", "region", "status", "clause_path", "clause_text",
                         "window_start", "window_end", "exclusive_group", "document_id", "valid_from", "valid_to"})


def _slim(items: list[PolicyItem]) -> None:
    """Once compiled, an item's rules are no longer read from it: its other fields become deferred
    (Django loads one again if something asks), so the index file and every worker's copy hold
    what the cards show; items of one document share one document object."""
    documents: dict[int, Any] = {}
    for item in items:
        for name in [k for k in item.__dict__ if not k.startswith("_") and k not in CARD_FIELDS]:
            del item.__dict__[name]
        document = item.document
        item.document = documents.setdefault(document.pk, document)


def _load_or_build(key: str) -> PublicIndex:
    """The index of version ``key`` from this host's file, or compiled (by one process at a time:
    the others wait on the lock and then load what it wrote)."""
    import fcntl
    import os
    import pickle
    import tempfile

    folder = _index_dir()
    path = folder / f"{INDEX_FILE_PREFIX}f{INDEX_FORMAT}-{key}.pickle"

    def load() -> PublicIndex | None:
        try:
            with path.open("rb") as fh:
                loaded: PublicIndex = pickle.load(fh)  # our own file: written below by mkstemp (mode 0o600)
                return loaded
        except FileNotFoundError:
            return None
        except Exception:  # unreadable (truncated disk, another release): compile it again
            log.warning("public index file %s unreadable: compiling the library again", path, exc_info=True)
            return None

    found = load()
    if found is not None:
        return found
    with (folder / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = load()
        if found is not None:
            return found
        index = _build_current()
        fd, tmp_name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        for old in folder.glob(f"{INDEX_FILE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)  # a process still reading it keeps its open file
    return index


def public_index(*, max_age: float = STAMP_CHECK_SECONDS) -> PublicIndex:
    """The compiled public index of the current library version, checked against the database
    at most every ``max_age`` seconds: the public page may lag a publication by that much."""
    now = time.monotonic()
    if "index" in _cache and now - _cache["checked"] < max_age:
        index: PublicIndex = _cache["index"]
        return index
    key = _version_key()
    _cache["checked"] = now
    if _cache.get("key") != key:
        _cache["index"] = _load_or_build(key)
        _cache["key"] = key
    index = _cache["index"]
    return index


def clear_cache() -> None:
    """Forget this process's index (the next call checks the version and loads or builds)."""
    _cache.clear()


def _to_cnf(node: Node, atom_id: Any) -> list[list[tuple[int, bool]]] | None:
    """CNF without distribution (which could blow up): None when the tree is deeper."""
    if node.kind == "always":
        return []
    if node.kind == "atom":
        return [[(atom_id(node.atom), False)]]
    if node.kind == "not":
        child = node.children[0]
        return [[(atom_id(child.atom), True)]] if child.kind == "atom" else None
    if node.kind == "all":
        clauses: list[list[tuple[int, bool]]] = []
        for c in node.children:
            part = _to_cnf(c, atom_id)
            if part is None:
                return None
            clauses.extend(part)
        return clauses
    literals: list[tuple[int, bool]] = []
    for c in node.children:  # any
        if c.kind == "always":
            return []
        if c.kind == "atom":
            literals.append((atom_id(c.atom), False))
        elif c.kind == "not" and c.children[0].kind == "atom":
            literals.append((atom_id(c.children[0].atom), True))
        else:
            return None
    return [literals]


def _reward_reads_public(node: RewardNode | None) -> bool:
    if node is None:
        return False
    if node.kind in ("rate", "per_unit") and node.base_field is not None:
        if not is_private_atom({"field": node.base_field, "op": ">="}, private_qualifications=()) \
                and not node.base_field.startswith("input."):
            return True
    for when in node.whens or []:
        if any(a.check is None for a in iter_atoms(when)):
            return True
    return any(_reward_reads_public(c) for c in node.children or [])


def build_index(items: list[PolicyItem], *, private_qualifications: frozenset[str],
                qualification_labels: Mapping[str, str] | None = None) -> PublicIndex:
    atoms: list[Atom | None] = [None, None, None]
    ids: dict[str, int] = {}

    def atom_id(atom: Atom | None) -> int:
        assert atom is not None
        if atom.check is not None:
            return UNKNOWN_ID
        if atom.key not in ids:
            ids[atom.key] = len(atoms)
            atoms.append(atom)
        return ids[atom.key]

    n = len(items)
    publics = [public_item(item.as_rules_item(), private_qualifications=private_qualifications,
                           qualification_labels=qualification_labels) for item in items]
    compiled = [compile_item(raw) for raw in publics]
    cnfs = [_to_cnf(ci.condition, atom_id) for ci in compiled]
    fits = [c is not None and len(c) <= MAX_CLAUSES and all(len(cl) <= MAX_LITERALS for cl in c) for c in cnfs]
    n_clauses = max([len(c) for c, ok in zip(cnfs, fits, strict=True) if ok and c is not None] + [1])
    n_literals = max([len(cl) for c, ok in zip(cnfs, fits, strict=True) if ok and c is not None for cl in c] + [1])
    lits = np.full((n, n_clauses, n_literals), FALSE_ID, dtype=np.int32)
    lits[:, :, 0] = TRUE_ID  # an unused clause is TRUE, so the min over clauses ignores it
    neg = np.zeros((n, n_clauses, n_literals), dtype=bool)
    fallback: list[int] = []
    amount_fallback: set[int] = set()
    min_fen = np.zeros(n, dtype=np.int64)
    max_fen = np.zeros(n, dtype=np.int64)
    max_inf = np.zeros(n, dtype=bool)
    valid_from = np.full(n, -1, dtype=np.int64)
    valid_to = np.full(n, 10**9, dtype=np.int64)
    literals: list[list[tuple[int, bool]]] = []
    checks: list[list[str]] = []
    empty = ProfileView({}, on=date.today())
    for pos, ci in enumerate(compiled):
        if ci.valid_from is not None:
            valid_from[pos] = ci.valid_from.toordinal()
        if ci.valid_to is not None:
            valid_to[pos] = ci.valid_to.toordinal()
        cnf = cnfs[pos]
        if cnf is None or not fits[pos]:
            fallback.append(pos)
            for a in iter_atoms(ci.condition):
                if a.check is None:
                    atom_id(a)
            cnf = []
        for ci_pos, clause in enumerate(cnf):
            lits[pos, ci_pos, :] = FALSE_ID
            for li, (aid, negated) in enumerate(clause):
                lits[pos, ci_pos, li] = aid
                neg[pos, ci_pos, li] = negated
        literals.append([(atom_id(a), False) for a in iter_atoms(ci.condition) if a.check is None
                         and a is not ci.scope_atom])
        checks.append([a.check for a in iter_atoms(ci.condition) if a.check is not None])
        if _reward_reads_public(ci.reward):
            amount_fallback.add(pos)
        else:
            low, high = item_range(ci, empty, None)
            min_fen[pos] = round_half_up_fen(low)
            if high is None:
                max_inf[pos] = True
            else:
                max_fen[pos] = round_half_up_fen(high)
    kept = {pos: compiled[pos] for pos in sorted(set(fallback) | amount_fallback)}
    index = PublicIndex(items, kept, atoms, lits, neg, np.asarray(fallback, dtype=np.int64), amount_fallback,
                        min_fen, max_fen, max_inf, valid_from, valid_to, [ci.exclusive_group for ci in compiled],
                        literals, checks)
    index.by_code = {item.code: pos for pos, item in enumerate(items)}
    index.has_negation = bool(neg.any())
    # Read here, while the items still hold their rewards (_slim defers them afterwards).
    index.non_monetary = np.asarray([is_non_monetary(item.reward) for item in items], dtype=bool)
    index.qualification_labels = dict(qualification_labels or {})
    names = sorted({g for g in index.group if g})
    number = {g: i for i, g in enumerate(names)}
    index.group_id = np.asarray([number[g] if g else -1 for g in index.group], dtype=np.int64)
    index.fallback_atoms = frozenset(atom_id(a) for pos in fallback for a in iter_atoms(compiled[pos].condition))
    for pos, ci in enumerate(compiled):
        scope = None if ci.scope_atom is None else str(ci.scope_atom.value)
        index.by_scope.setdefault(scope, []).append(pos)
    return index


@dataclass(frozen=True)
class PublicRow:
    pos: int
    status: str
    amount_min: Decimal
    amount_max: Decimal | None


UNBOUNDED = np.int64(2**62)


@dataclass
class PublicResult:
    """Eligible/possible items of one public profile, in item order, as parallel arrays."""

    pos: npt.NDArray[np.int64]
    eligible: npt.NDArray[np.bool_]
    min_fen: npt.NDArray[np.int64]
    max_fen: npt.NDArray[np.int64]   # UNBOUNDED for 按申报额计算
    outcomes: npt.NDArray[np.uint8]

    def row(self, i: int) -> PublicRow:
        high = int(self.max_fen[i])
        return PublicRow(int(self.pos[i]), "eligible" if self.eligible[i] else "possible",
                         Decimal(int(self.min_fen[i])) / 100, None if high == UNBOUNDED else Decimal(high) / 100)


def evaluate_public(index: PublicIndex, profile: Mapping[str, Any], *, on: date) -> PublicResult:
    view = ProfileView(profile, on=on)
    outcomes = np.full(len(index.atoms), U, dtype=np.uint8)
    outcomes[TRUE_ID], outcomes[FALSE_ID], outcomes[UNKNOWN_ID] = T, F, U
    region = profile.get("region")
    for aid in index.atoms_for(region).tolist():
        atom = index.atoms[aid]
        assert atom is not None
        result = atom.evaluate(view, None).result
        outcomes[aid] = U if result is None else (T if result else F)
    plan = index.plan(region)
    status = plan.statuses(outcomes, len(index.items))
    memo: dict[str, Any] = {}
    for pos in plan.fallback.tolist():
        r = eval_node(index.compiled[pos].condition, view, None, memo)
        status[pos] = U if r is None else (T if r else F)
    day = on.toordinal()
    status[plan.cand[(plan.valid_from > day) | (plan.valid_to < day)]] = F
    hit = np.flatnonzero(status)
    min_fen = index.min_fen[hit]
    max_fen = np.where(index.max_inf[hit], UNBOUNDED, index.max_fen[hit])
    if index.amount_fallback:
        for i, pos in enumerate(hit.tolist()):
            if pos in index.amount_fallback:
                low, high = item_range(index.compiled[pos], view, None, memo)
                min_fen[i] = round_half_up_fen(low)
                max_fen[i] = UNBOUNDED if high is None else round_half_up_fen(high)
    return PublicResult(hit, status[hit] == T, min_fen, max_fen, outcomes)


def choose_groups(index: PublicIndex, res: PublicResult) -> tuple[npt.NDArray[np.bool_], dict[int, int]]:
    """惠中选惠 as rules.evaluate.choose_in_exclusive_groups does it (highest maximum, then
    minimum, eligible before possible, then the first), on the arrays: returns which hits lead
    and, for each alternative, the hit it is an alternative to."""
    groups = index.group_id[res.pos]
    grouped = np.flatnonzero(groups >= 0)
    keep = np.ones(len(res.pos), dtype=bool)
    alternative_to: dict[int, int] = {}
    if len(grouped) == 0:
        return keep, alternative_to
    order = grouped[np.lexsort((grouped, ~res.eligible[grouped], -res.min_fen[grouped], -res.max_fen[grouped],
                                groups[grouped]))]
    sorted_groups = groups[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_groups[1:] != sorted_groups[:-1]
    winner = order[np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))]
    for hit, lead in zip(order[~first].tolist(), winner[~first].tolist(), strict=True):
        keep[hit] = False
        alternative_to[hit] = lead
    return keep, alternative_to


def _place(field_name: str, code: str) -> str:
    try:
        found = get_region(code) if field_name == "region" else get_industry(code)
    except Exception:  # a display helper must never break the answer
        found = None
    return found.name if found is not None else code


def _sentence(atom: Atom, outcome: int, labels: Mapping[str, str]) -> tuple[str, str]:
    """A public condition in words, without the enterprise's own value."""
    raw = atom.raw
    name, op, value = atom.field, atom.op, raw.get("value")
    if name == "flags":
        label = FLAG_LABELS.get(str(value), str(value))
        text = f"{'不属于' if op == 'not_has' else '属于'}{label}" if op != "known" else f"已有{label}记录"
    elif name == "qualifications" and op in ("has", "not_has"):
        text = _describe(raw, labels)
    elif op == "within":
        text = f"{label_of(name)}属于{_place(name, str(value))}"
    else:
        text = _describe(raw)
    if outcome == T:
        return "met", f"{text}：符合"
    if outcome == F:
        return "unmet", f"{text}：不符合"
    return "missing", f"{text}：缺少{label_of(name)}公开数据"


def public_reasons(index: PublicIndex, pos: int, outcomes: npt.NDArray[np.uint8]) -> list[dict[str, Any]]:
    reasons: list[dict[str, Any]] = []
    seen: set[int] = set()
    sentences = index._sentences
    for aid, _negated in index.literals[pos]:
        if aid in seen or aid < 3:
            continue
        seen.add(aid)
        outcome = int(outcomes[aid])
        said = sentences.get((aid, outcome))
        if said is None:  # a sentence depends only on the atom and its outcome: worded once per process
            atom = index.atoms[aid]
            assert atom is not None
            said = sentences[(aid, outcome)] = _sentence(atom, outcome, index.qualification_labels)
        reasons.append({"kind": said[0], "text": said[1], "paths": []})
    for check in index.checks[pos]:
        if check.startswith(LOGIN_MARK):
            reasons.append({"kind": "login", "text": f"{check[len(LOGIN_MARK):]}：登录后判断", "paths": []})
        else:
            reasons.append({"kind": "review", "text": f"由审核人员在申报时确认：{check}", "paths": []})
    return reasons


