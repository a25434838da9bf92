"""Columnar batch matching: many items × many enterprises (RULES.md §3–§4, vectorised).

Every condition node yields two boolean masks over the rows it visits, ``T`` (TRUE) and ``F``
(FALSE); UNKNOWN is neither. Kleene logic is then plain mask algebra: ``all`` = (∧T, ∨F),
``any`` = (∨T, ∧F), ``not`` swaps them.

Work is saved three ways: (1) an atom (field, op, value, period) is computed once over the whole
frame and cached, so thresholds repeated across items cost nothing after the first; (2) an item's
region scope (its ``region`` and top-level ``within`` atoms on region) restricts it to the region's
contiguous block of rows, plus the block of rows whose region is unknown; (3) a top-level
``within`` on industry that leaves few rows switches the item to those rows only.

Amounts are exact: each reward node yields integer numerators over one common denominator
(``Fraction`` arithmetic done column-wise), so batch amounts equal the scalar ``Decimal`` strings.
Results are sparse: only eligible/possible pairs come out.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cache
from itertools import compress
from typing import Any

import numpy as np
import numpy.typing as npt

from rules.compiled import Atom, AtomOutcome, Node, RewardNode
from rules.evaluate import (
    STATUS_ELIGIBLE,
    STATUS_POSSIBLE,
    CompiledItem,
    compile_item,
    item_range,
    status_of,
)
from rules.fields import FIELDS, INPUT_PREFIX
from rules.frame import BoolArr, CatCol, IntArr, NumCol, ProfileFrame
from rules.numbers import fen_to_str, round_half_up_fen
from rules.profile import ProfileView, period_year

__all__ = [
    "ItemIndex",
    "MatchChunk",
    "MatchRow",
    "ProfileFrame",
    "match_batch",
    "match_batch_chunks",
    "match_batch_frame",
    "match_enterprise",
    "match_item",
]

Sel = slice | npt.NDArray[np.int64]
_I64_SAFE = 2**62


# -- exact integer helpers ---------------------------------------------------------------------


def _maxabs(a: IntArr) -> int:
    if a.size == 0:
        return 0
    if a.dtype == object:
        return max(abs(int(x)) for x in a)
    return int(max(abs(int(a.max())), abs(int(a.min()))))


def _mul(a: IntArr, k: int) -> IntArr:
    if k == 1:
        return a
    if a.dtype != object and _maxabs(a) * abs(k) >= _I64_SAFE:
        a = a.astype(object)
    return a * k


def _add(a: IntArr, b: IntArr) -> IntArr:
    if a.dtype == object or b.dtype == object or _maxabs(a) + _maxabs(b) >= _I64_SAFE:
        return a.astype(object) + b.astype(object)
    return a + b


def _full(n: int, v: int) -> IntArr:
    if abs(v) >= _I64_SAFE:
        out = np.empty(n, dtype=object)
        out[:] = v
        return out
    return np.full(n, v, dtype=np.int64)


def _where(m: BoolArr, a: IntArr, b: IntArr) -> IntArr:
    if a.dtype == object or b.dtype == object:
        return np.where(m, a.astype(object), b.astype(object))
    return np.where(m, a, b)


def _minimum(a: IntArr, b: IntArr) -> IntArr:
    return _where(a <= b, a, b)


def _maximum(a: IntArr, b: IntArr) -> IntArr:
    return _where(a >= b, a, b)


@dataclass(slots=True)
class RangeVec:
    """Amounts ``lo/den`` .. ``hi/den`` yuan per row; ``inf`` marks an unbounded maximum."""

    lo: IntArr
    hi: IntArr
    inf: BoolArr
    den: int

    def to(self, den: int) -> RangeVec:
        k = den // self.den
        return RangeVec(_mul(self.lo, k), _mul(self.hi, k), self.inf, den)


def _common(parts: Sequence[RangeVec]) -> list[RangeVec]:
    den = 1
    for p in parts:
        den = den * p.den // math.gcd(den, p.den)
    return [p.to(den) for p in parts]


def _fen(num: IntArr, den: int) -> IntArr:
    """Half-up (away from zero) rounding of num/den yuan to whole fen, column-wise."""
    if 100 % den == 0:  # whole fen already (den 1, 2, 4, 5, 10, …): no rounding
        return _mul(num, 100 // den)
    neg = num < 0
    a = _where(neg, -num, num)
    q = (_add(_mul(a, 200), _full(len(a), den))) // (2 * den)
    return _where(neg, -q, q)


# -- atoms over the whole frame ----------------------------------------------------------------


@dataclass(slots=True)
class AtomMask:
    T: BoolArr
    K: BoolArr  # decided (TRUE or FALSE)
    paths: Callable[[], list[tuple[str, BoolArr]]]  # missing inputs per row (only where ~K)
    F: BoolArr = field(init=False)  # K & ~T, kept so that every item reads it without recomputing

    def __post_init__(self) -> None:
        self.F = self.K & ~self.T


class _Columns:
    """Field reads as whole columns (the batch twin of ``rules.profile.ProfileView``)."""

    def __init__(self, frame: ProfileFrame):
        self.frame = frame
        self._num: dict[tuple[str, int | None], tuple[NumCol | None, Callable[[], list[tuple[str, BoolArr]]]]] = {}
        self._scale: dict[int, tuple[CatCol, Callable[[], list[tuple[str, BoolArr]]]]] = {}
        self._known: dict[tuple[Any, ...], BoolArr] = {}
        self._ratio: dict[tuple[str, int], Any] = {}

    def known_of(self, key: tuple[Any, ...], make: Callable[[], BoolArr]) -> BoolArr:
        """One shared 'has a value' mask per column, whatever the atoms on it."""
        hit = self._known.get(key)
        if hit is None:
            hit = self._known[key] = make()
        return hit

    def empty_num(self) -> NumCol:
        n = self.frame.n
        return NumCol(np.zeros(n, dtype=bool), np.zeros(n), np.zeros(n, dtype=np.int64), 1)

    def yearly(self, name: str, year: int) -> NumCol:
        return self.frame.yearly_num.get((name, year)) or self.empty_num()

    def number(self, field: str, year: int | None) -> tuple[NumCol | None, Callable[[], list[tuple[str, BoolArr]]]]:
        """A numeric column; ``None`` for derived ratios, which use ``ratio``."""
        key = (field, year)
        hit = self._num.get(key)
        if hit is not None:
            return hit
        fr = self.frame
        col: NumCol | None
        if field.startswith(INPUT_PREFIX):
            col = self.empty_num()
            paths = _const_paths([(field, fr.ones)])
        elif field == "established_years":
            years = fr.established_years
            col = NumCol(fr.established_known, years.astype(np.float64), years, 1, True)
            paths = _missing("established_on", fr.established_known)
        elif FIELDS[field].kind == "yearly":
            assert year is not None
            col = self.yearly(field, year)
            paths = _missing(f"years.{year}.{field}", col.known)
        else:
            col = fr.static_num.get(field) or self.empty_num()
            paths = _missing(field, col.known)
        self._num[key] = (col, paths)
        return col, paths

    def ratio(self, field: str, year: int) -> tuple[BoolArr, npt.NDArray[np.float64], Callable[[int], Fraction],
                                                      Callable[[], list[tuple[str, BoolArr]]]]:
        hit = self._ratio.get((field, year))
        if hit is None:
            hit = self._ratio[(field, year)] = self._make_ratio(field, year)
        return hit

    def _make_ratio(self, field: str, year: int) -> tuple[BoolArr, npt.NDArray[np.float64], Callable[[int], Fraction],
                                                           Callable[[], list[tuple[str, BoolArr]]]]:
        if field == "rd_ratio":
            num, den = self.yearly("rd_expense", year), self.yearly("revenue", year)
            p_num, p_den = f"years.{year}.rd_expense", f"years.{year}.revenue"
            offset = 0
        else:
            num, den = self.yearly("revenue", year), self.yearly("revenue", year - 1)
            p_num, p_den = f"years.{year}.revenue", f"years.{year - 1}.revenue"
            offset = 1
        zero = den.known & (den.ints == 0)
        both = num.known & den.known
        known = both & ~zero
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(known, num.f / np.where(known, den.f, 1.0), 0.0) - offset

        def exact(i: int) -> Fraction:
            return num.exact(i) / den.exact(i) - offset

        def paths() -> list[tuple[str, BoolArr]]:
            # Mirrors ProfileView: missing inputs first; a zero divisor only when both are present.
            return [(p_num, ~num.known), (p_den, ~den.known | (both & zero))]

        return known, f, exact, paths

    def scale(self, year: int) -> tuple[CatCol, Callable[[], list[tuple[str, BoolArr]]]]:
        hit = self._scale.get(year)
        if hit is not None:
            return hit
        from cnstd.scale import SCALE_INPUTS

        fr = self.frame
        ind = fr.static_cat["industry"]
        cols = {name: self.yearly(name, year) for name in ("employees", "revenue", "total_assets")}
        needs = {name: np.zeros(len(ind.vocab) + 1, dtype=bool) for name in cols}
        has_row = np.zeros(len(ind.vocab) + 1, dtype=bool)
        for c, code in enumerate(ind.vocab):
            inputs = SCALE_INPUTS(code)
            has_row[c] = bool(inputs)
            for name in cols:
                needs[name][c] = name in inputs
        ind_known = ind.codes >= 0
        need_rows = {name: needs[name][ind.codes] & ind_known for name in cols}
        computable = ind_known & has_row[ind.codes]
        for name, col in cols.items():
            computable &= ~need_rows[name] | col.known
        codes = _scale_codes(ind, cols, computable)

        def paths() -> list[tuple[str, BoolArr]]:
            out = [("industry", ~ind_known)]
            for name, col in cols.items():
                out.append((f"years.{year}.{name}", need_rows[name] & ~col.known))
            return out

        res = (CatCol(codes, list(_SCALES)), paths)
        self._scale[year] = res
        return res


_SCALES = ("large", "medium", "small", "micro")


def _ge_const(col: NumCol, threshold: Fraction) -> BoolArr:
    """col >= threshold, exactly, on the integer column."""
    t = threshold * col.scale
    bound = -((-t.numerator) // t.denominator)  # ceil: ints >= t  ⇔  ints >= ceil(t)
    if col.ints.dtype == object or abs(bound) >= _I64_SAFE:
        return np.asarray(col.ints.astype(object) >= bound, dtype=bool)
    return col.ints >= bound


def _scale_codes(ind: CatCol, cols: dict[str, NumCol], computable: BoolArr) -> npt.NDArray[np.int32]:
    """企业规模 per row, vectorised per table row of cnstd.scale (国统字〔2017〕213号): the highest
    tier whose every lower bound is met, else micro. Money bounds are in 万元, inputs in yuan."""
    from cnstd.scale import scale_row

    n = len(ind.codes)
    codes = np.full(n, -1, dtype=np.int32)
    row_of_code = [scale_row(code) for code in ind.vocab]
    keys = sorted({r.key for r in row_of_code if r is not None})
    key_index = np.full(len(ind.vocab) + 1, -1, dtype=np.int32)
    for c, r in enumerate(row_of_code):
        if r is not None:
            key_index[c] = keys.index(r.key)
    row_keys = key_index[ind.codes]
    for k, key in enumerate(keys):
        row = next(r for r in row_of_code if r is not None and r.key == key)
        mask = computable & (row_keys == k)
        if not mask.any():
            continue
        tier = np.full(n, 3, dtype=np.int32)  # micro
        for t_index in (2, 1, 0):  # small, medium, large: later (higher) tiers overwrite
            met = np.ones(n, dtype=bool)
            for name, bounds in row.bounds:
                unit = 1 if name == "employees" else 10000
                met &= _ge_const(cols[name], Fraction(bounds[t_index]) * unit)
            tier = np.where(met, t_index, tier)
        codes[mask] = tier[mask]
    return codes


def _const_paths(p: list[tuple[str, BoolArr]]) -> Callable[[], list[tuple[str, BoolArr]]]:
    return lambda: p


def _missing(path: str, known: BoolArr) -> Callable[[], list[tuple[str, BoolArr]]]:
    """The path is missing where ``known`` is False (inverted only when asked for)."""
    return lambda: [(path, ~known)]


_NO_PATHS: Callable[[], list[tuple[str, BoolArr]]] = lambda: []  # noqa: E731


def _num_compare(op: str, known: BoolArr, f: npt.NDArray[np.float64], exact: Callable[[int], Fraction],
                 value: Any, exact_float: bool = False) -> BoolArr:
    """``op`` on a numeric column, exact: floats decide, exact fractions re-decide near ties
    (unless both the column and the threshold are exact in floating point)."""
    if op == "between":
        lo, hi = value
        return (_num_compare(">=", known, f, exact, lo, exact_float)
                & _num_compare("<=", known, f, exact, hi, exact_float))
    if op in ("in", "not_in"):
        hit = np.zeros(len(f), dtype=bool)
        for v in value:
            hit |= _num_compare("==", known, f, exact, v, exact_float)
        return hit if op == "in" else known & ~hit
    t: Fraction = value
    tf = float(t)
    if op == "==":
        res = f == tf
    elif op == "!=":
        res = f != tf
    elif op == ">":
        res = f > tf
    elif op == ">=":
        res = f >= tf
    elif op == "<":
        res = f < tf
    else:
        res = f <= tf
    res &= known
    if exact_float and Fraction(tf) == t:
        return res
    tol = 1e-9 * np.maximum(np.maximum(np.abs(f), abs(tf)), 1.0)
    near = np.flatnonzero(known & (np.abs(f - tf) <= tol))
    if near.size:
        from rules.compiled import compare

        for i in near.tolist():
            res[i] = compare(op, exact(i), t, "number")
    return res


@cache
def _industry_info(code: str) -> tuple[str, str | None, bool]:
    """(normalised code, its section, whether it is 2–4 digits) — the parts ``industry_within``
    looks at, worked out once per distinct code instead of once per code and atom."""
    from cnstd.industries import _DIGITS, normalize_industry_code, section_of

    norm = normalize_industry_code(code)
    return norm, section_of(norm), _DIGITS.fullmatch(norm) is not None


def _within_table(vtype: str, vocab: list[str], value: str) -> BoolArr:
    """``rules.compiled.within`` for every vocabulary entry (plus a False slot for code -1)."""
    if vtype == "industry":
        a, a_section, a_digits = _industry_info(value)
        from cnstd.industries import SECTIONS

        if a in SECTIONS:
            hits = [_industry_info(c)[1] == a for c in vocab]
        elif not a_digits:
            hits = [False] * len(vocab)
        else:
            hits = [info[2] and info[0].startswith(a) for info in map(_industry_info, vocab)]
    elif vtype == "region":
        from cnstd.regions import within_test

        hits = list(map(within_test(value), vocab))
    else:
        from rules.compiled import within

        hits = [within(vtype, code, value) for code in vocab]
    return np.array([*hits, False], dtype=bool)


def _cat_compare(op: str, col: CatCol, value: Any, vtype: str) -> BoolArr:
    known = col.codes >= 0
    if op == "within":
        table = _within_table(vtype, col.vocab, value)
        return table[col.codes] & known
    wanted = value if op in ("in", "not_in") else frozenset([value])
    table = np.array([code in wanted for code in col.vocab] + [False], dtype=bool)
    hit = table[col.codes] & known
    if op in ("==", "in"):
        return hit
    return known & ~hit


class AtomCache:
    """Whole-frame atom masks, least recently used first out when over ``max_bytes``."""

    def __init__(self, frame: ProfileFrame, *, max_bytes: int = 1_500_000_000):
        self.frame = frame
        self.cols = _Columns(frame)
        # An entry owns its TRUE and FALSE masks (two bytes per row); "known" masks are shared per column.
        self.max_entries = max(16, max_bytes // max(2 * frame.n, 1))
        self._cache: OrderedDict[str, AtomMask] = OrderedDict()
        self.segments: dict[tuple[str, ...], list[slice]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, atom: Atom) -> AtomMask:
        m = self._cache.get(atom.key)
        if m is not None:
            self._cache.move_to_end(atom.key)
            self.hits += 1
            return m
        self.misses += 1
        m = self._compute(atom)
        self._cache[atom.key] = m
        if len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)
        return m

    def _compute(self, atom: Atom) -> AtomMask:
        fr = self.frame
        op = atom.op
        if atom.check is not None:
            return AtomMask(fr.zeros, fr.zeros, _NO_PATHS)
        year = period_year(atom.period, fr.on) if atom.period is not None else None
        field = atom.field
        if field == "qualifications":
            if op == "known":
                return AtomMask(fr.quals_present, fr.ones, _NO_PATHS)
            held = fr.quals_held.get(atom.value, fr.zeros)
            t = held & fr.quals_present if op == "has" else fr.quals_present & ~held
            return AtomMask(t, fr.quals_present, _missing("qualifications", fr.quals_present))
        if field == "flags":
            if op == "known":
                if atom.value is None:
                    return AtomMask(fr.flags_present, fr.ones, _NO_PATHS)
                return AtomMask(fr.flags[atom.value] >= 0, fr.ones, _NO_PATHS)
            vals = fr.flags[atom.value]
            known = self.cols.known_of(("flag", atom.value), lambda: vals >= 0)
            t = vals == (1 if op == "has" else 0)
            return AtomMask(t, known, _missing(f"flags.{atom.value}", known))
        vtype = atom.vtype
        if field == "scale":
            assert year is not None
            col, paths = self.cols.scale(year)
            if op == "known":
                return AtomMask(col.known, fr.ones, _NO_PATHS)
            return AtomMask(_cat_compare(op, col, atom.value, vtype), col.known, paths)
        if field in ("rd_ratio", "revenue_growth"):
            assert year is not None
            known, f, exact, paths = self.cols.ratio(field, year)
            if op == "known":
                return AtomMask(known, fr.ones, _NO_PATHS)
            return AtomMask(_num_compare(op, known, f, exact, atom.value), known, paths)
        if vtype == "date":
            known = fr.established_known
            paths = _missing(field, known)
            if op == "known":
                return AtomMask(known, fr.ones, _NO_PATHS)
            ords = fr.established_ord.astype(np.float64)

            def exact_date(i: int) -> Fraction:
                return Fraction(int(fr.established_ord[i]))

            value = atom.value
            conv: Any = (tuple(Fraction(d.toordinal()) for d in value) if op == "between"
                         else Fraction(value.toordinal()))
            return AtomMask(_num_compare(op, known, ords, exact_date, conv, True), known, paths)
        if vtype in ("region", "industry", "enum"):
            if FIELDS[field].kind == "yearly":
                assert year is not None
                ccol = fr.yearly_cat.get((field, year)) or CatCol(np.full(fr.n, -1, dtype=np.int32), [])
                path = f"years.{year}.{field}"
            else:
                ccol = fr.static_cat[field]
                path = field
            known = self.cols.known_of((field, year), lambda: ccol.codes >= 0)
            if op == "known":
                return AtomMask(known, fr.ones, _NO_PATHS)
            return AtomMask(_cat_compare(op, ccol, atom.value, vtype), known, _missing(path, known))
        ncol, paths = self.cols.number(field, year)
        assert ncol is not None
        if op == "known":
            return AtomMask(ncol.known, fr.ones, _NO_PATHS)
        return AtomMask(_num_compare(op, ncol.known, ncol.f, ncol.exact, atom.value, ncol.exact_float),
                        ncol.known, paths)


# -- condition trees over a row selection ------------------------------------------------------


def _eval(node: Node, sel: Sel, cache: AtomCache, n: int, keep: dict[int, tuple[BoolArr, BoolArr]] | None
          ) -> tuple[BoolArr, BoolArr]:
    """(TRUE, FALSE) masks of ``node`` over the rows ``sel``; callers only read them (an atom's masks
    over a slice are views of the cached ones)."""
    k = node.kind
    if k == "atom":
        assert node.atom is not None
        m = cache.get(node.atom)
        res = (m.T[sel], m.F[sel])
    elif k == "always":
        res = (np.ones(n, dtype=bool), np.zeros(n, dtype=bool))
    elif k == "not":
        t, f = _eval(node.children[0], sel, cache, n, keep)
        res = (f, t)
    elif not node.children:  # the empty ``all`` is TRUE, the empty ``any`` FALSE
        res = (np.ones(n, dtype=bool), np.zeros(n, dtype=bool))
        if k != "all":
            res = (res[1], res[0])
    else:
        # all = (∧T, ∨F), any = (∨T, ∧F): the first child's masks start the accumulators, the
        # second makes fresh arrays, and the rest combine into those in place.
        conj = k == "all"
        children = node.children
        t_acc, f_acc = _eval(children[0], sel, cache, n, keep)
        for i, c in enumerate(children[1:]):
            t, f = _eval(c, sel, cache, n, keep)
            if i == 0:
                t_acc, f_acc = (t_acc & t, f_acc | f) if conj else (t_acc | t, f_acc & f)
            elif conj:
                t_acc &= t
                f_acc |= f
            else:
                t_acc |= t
                f_acc &= f
        res = (t_acc, f_acc)
    if keep is not None:
        keep[id(node)] = res
    return res


def _unknown_contrib(node: Node, contrib: BoolArr, keep: dict[int, tuple[BoolArr, BoolArr]],
                     out: list[tuple[Atom, BoolArr]]) -> None:
    """Rows where an UNKNOWN node's unknown children keep it undecided (RULES.md §3)."""
    t, f = keep[id(node)]
    mine = contrib & ~t & ~f
    if not mine.any():
        return
    if node.kind == "atom":
        assert node.atom is not None
        out.append((node.atom, mine))
        return
    for c in node.children:
        _unknown_contrib(c, mine, keep, out)


# -- rewards over a row selection --------------------------------------------------------------


def _reward(node: RewardNode, rows: npt.NDArray[np.int64], cache: AtomCache) -> RangeVec:
    n = len(rows)
    k = node.kind
    if k in ("fixed", "up_to", "none"):
        a = node.amount if k != "none" else Fraction(0)
        hi = _full(n, a.numerator)
        lo = hi if k == "fixed" else np.zeros(n, dtype=np.int64)
        return RangeVec(lo, hi, np.zeros(n, dtype=bool), a.denominator)
    if k in ("rate", "per_unit"):
        assert node.base_field is not None
        year = period_year(node.base_period, cache.frame.on) if node.base_period is not None else None
        col, _ = cache.cols.number(node.base_field, year)
        assert col is not None
        known = col.known[rows]
        b = col.ints[rows]
        rate = node.amount
        den = col.scale * rate.denominator
        cap, floor = node.cap, node.floor
        for extra in (cap, floor):
            if extra is not None:
                den = den * extra.denominator // math.gcd(den, extra.denominator)
        amt = _mul(b, rate.numerator * (den // (col.scale * rate.denominator)))
        positive = known & (b > 0)
        if cap is not None:
            cap_v = _full(n, cap.numerator * (den // cap.denominator))
            amt = _minimum(amt, cap_v)
        if floor is not None:
            amt = _maximum(amt, _full(n, floor.numerator * (den // floor.denominator)))
        amt = _where(positive, amt, _full(n, 0))
        if cap is not None:
            hi = _where(known, amt, cap_v)
            inf = np.zeros(n, dtype=bool)
        else:
            hi = amt
            inf = ~known
        return RangeVec(amt, hi, inf, den)
    if k == "tiers":
        parts = _common([_reward(c, rows, cache) for c in node.children])
        den = parts[0].den if parts else 1
        keep: dict[int, tuple[BoolArr, BoolArr]] | None = None
        decided = np.zeros(n, dtype=bool)
        have = np.zeros(n, dtype=bool)
        lo = np.zeros(n, dtype=np.int64)
        hi = np.zeros(n, dtype=np.int64)
        inf = np.zeros(n, dtype=bool)
        for when, part in zip(node.whens, parts, strict=True):
            t, f = _eval(when, rows, cache, n, keep)
            active = ~decided & ~f
            first = active & ~have
            both = active & have
            lo = _where(first, part.lo, _where(both, _minimum(lo, part.lo), lo))
            hi = _where(first, part.hi, _where(both, _maximum(hi, part.hi), hi))
            inf = inf | (active & part.inf)
            have |= active
            decided |= active & t
        zero = _full(n, 0)
        open_ = ~decided
        lo = _where(open_ & have, _minimum(lo, zero), _where(open_, zero, lo))
        hi = _where(open_ & have, _maximum(hi, zero), _where(open_, zero, hi))
        return RangeVec(lo, hi, inf, den)
    parts = _common([_reward(c, rows, cache) for c in node.children])
    if not parts:
        return RangeVec(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool), 1)
    den = parts[0].den
    lo, hi, inf = parts[0].lo, parts[0].hi, parts[0].inf
    for p in parts[1:]:
        if k == "sum":
            lo, hi, inf = _add(lo, p.lo), _add(hi, p.hi), inf | p.inf
        elif k == "max":
            lo, hi, inf = _maximum(lo, p.lo), _maximum(hi, p.hi), inf | p.inf
        else:  # min: an unbounded maximum loses to any bounded one
            lo = _minimum(lo, p.lo)
            hi = _where(inf, p.hi, _where(p.inf, hi, _minimum(hi, p.hi)))
            inf = inf & p.inf
    return RangeVec(lo, hi, inf, den)


# -- results -----------------------------------------------------------------------------------


@dataclass(slots=True)
class MatchChunk:
    """The eligible/possible rows of one item: frame row numbers, amounts in whole fen."""

    policy: str | None
    rows: npt.NDArray[np.int64]
    eligible: BoolArr
    min_fen: IntArr
    max_fen: IntArr
    max_inf: BoolArr
    unknown_fields: list[list[str]] | None = None

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(slots=True)
class MatchRow:
    uscc: str
    policy: str | None
    status: str
    amount_min: str
    amount_max: str | None
    unknown_fields: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"uscc": self.uscc, "policy": self.policy, "status": self.status,
                               "amount_min": self.amount_min, "amount_max": self.amount_max}
        if self.unknown_fields is not None:
            out["unknown_fields"] = list(self.unknown_fields)
        return out


def _top_level(node: Node) -> list[Node]:
    """Children of the root ``all`` (flattening nested top-level ``all``s)."""
    if node.kind != "all":
        return [node]
    out: list[Node] = []
    for c in node.children:
        out.extend(_top_level(c) if c.kind == "all" else [c])
    return out


def _is_region_scope(node: Node) -> bool:
    return node.atom is not None and node.atom.field == "region" and node.atom.op == "within"


def _region_segments(ci: CompiledItem, frame: ProfileFrame, memo: dict[tuple[str, ...], list[slice]]) -> list[slice]:
    """Row blocks the item can match: regions within every top-level region ``within`` atom, and
    the unknown-region block."""
    scopes = tuple(sorted({str(n.atom.value) for n in _top_level(ci.condition)
                           if n.atom is not None and _is_region_scope(n)}))
    hit = memo.get(scopes)
    if hit is None:
        hit = memo[scopes] = _segments_for(scopes, frame)
    return hit


def _segments_for(scopes: tuple[str, ...], frame: ProfileFrame) -> list[slice]:
    if not scopes:
        return [slice(0, frame.n)]
    from cnstd.regions import within_test

    segs: list[slice] = []
    blocks = frame.region_blocks
    codes = [code for code, _, _ in blocks]
    inside = list(map(within_test(scopes[0]), codes))
    for scope in scopes[1:]:
        inside = [a and b for a, b in zip(inside, map(within_test(scope), codes), strict=True)]
    for _code, s, e in compress(blocks, inside):
        if segs and segs[-1].stop == s:
            segs[-1] = slice(segs[-1].start, e)
        else:
            segs.append(slice(s, e))
    ur = frame.unknown_region
    if ur.stop > ur.start:
        segs.append(ur)
    return segs


def _eval_item(ci: CompiledItem, frame: ProfileFrame, cache: AtomCache, *, with_unknown: bool) -> MatchChunk | None:
    if not ci.in_force(frame.on):
        return None
    rows_out: list[npt.NDArray[np.int64]] = []
    elig_out: list[BoolArr] = []
    unk_out: list[list[list[str]]] = []
    top = _top_level(ci.condition)
    industry_scope = [n for n in top if n.atom is not None and n.atom.field == "industry" and n.atom.op == "within"]
    condition = ci.condition
    region_scope = [n for n in top if _is_region_scope(n)]
    unknown_region = frame.unknown_region
    if region_scope and not with_unknown:
        # The segments decide the region scope already: TRUE in each region block they hold, UNKNOWN
        # in the unknown-region block. So the scope is left out of the condition (no whole-frame mask
        # per county), and in that block the rows can only be possible, never eligible.
        condition = Node("all", [n for n in top if not _is_region_scope(n)])
    for seg in _region_segments(ci, frame, cache.segments):
        size = seg.stop - seg.start
        if size == 0:
            continue
        sel: Sel = seg
        if industry_scope:
            _, f = _eval(Node("all", industry_scope), seg, cache, size, None)
            alive = np.flatnonzero(~f)
            if alive.size == 0:
                continue
            if alive.size < size // 4:
                sel = alive + seg.start
                size = alive.size
        keep: dict[int, tuple[BoolArr, BoolArr]] | None = {} if with_unknown else None
        t, f = _eval(condition, sel, cache, size, keep)
        hit = np.flatnonzero(~f)
        if hit.size == 0:
            continue
        base_rows = (hit + seg.start) if isinstance(sel, slice) else sel[hit]
        rows_out.append(base_rows)
        if condition is not ci.condition and seg == unknown_region:
            elig_out.append(np.zeros(hit.size, dtype=bool))
        else:
            elig_out.append(t[hit])
        if with_unknown:
            assert keep is not None
            unk_out.append(_unknown_lists(ci.condition, keep, hit, sel, cache))
    if not rows_out:
        return None
    rows = np.concatenate(rows_out)
    eligible = np.concatenate(elig_out)
    n = len(rows)
    if ci.reward is None:
        rv = RangeVec(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool), 1)
    else:
        rv = _reward(ci.reward, rows, cache)
    if ci.cap is not None:
        cap = ci.cap
        rv = _common([rv, RangeVec(_full(n, cap.numerator), _full(n, cap.numerator), np.zeros(n, dtype=bool),
                                   cap.denominator)])[0]
        cap_v = _full(n, cap.numerator * (rv.den // cap.denominator))
        rv = RangeVec(_minimum(rv.lo, cap_v), _where(rv.inf, cap_v, _minimum(rv.hi, cap_v)),
                      np.zeros(n, dtype=bool), rv.den)
    unknown = [u for part in unk_out for u in part] if with_unknown else None
    return MatchChunk(ci.id, rows, eligible, _fen(rv.lo, rv.den), _fen(rv.hi, rv.den), rv.inf, unknown)


def _unknown_lists(root: Node, keep: dict[int, tuple[BoolArr, BoolArr]], hit: npt.NDArray[np.int64],
                   sel: Sel, cache: AtomCache) -> list[list[str]]:
    """Sorted missing paths per hit row (empty for eligible rows)."""
    t, _ = keep[id(root)]
    contrib: list[tuple[Atom, BoolArr]] = []
    _unknown_contrib(root, np.ones(len(t), dtype=bool), keep, contrib)
    per_path: dict[str, BoolArr] = {}
    for atom, rows_mask in contrib:
        for path, missing in cache.get(atom).paths():
            m = rows_mask & missing[sel]
            prev = per_path.get(path)
            per_path[path] = m if prev is None else (prev | m)
    out: list[list[str]] = [[] for _ in range(len(hit))]
    for name in sorted(per_path):
        for j in np.flatnonzero(per_path[name][hit]).tolist():
            out[j].append(name)
    return out


def match_batch_chunks(items: Iterable[Mapping[str, Any] | CompiledItem], frame: ProfileFrame, *,
                       progress: Callable[[int], None] | None = None, unknown_fields: bool = False,
                       cache: AtomCache | None = None) -> Iterator[MatchChunk]:
    """One chunk per item that has at least one eligible/possible enterprise."""
    cache = cache or AtomCache(frame)
    for item in items:
        ci = item if isinstance(item, CompiledItem) else compile_item(item)
        chunk = _eval_item(ci, frame, cache, with_unknown=unknown_fields)
        if progress is not None:
            progress(1)
        if chunk is not None and len(chunk):
            yield chunk


def _fen_strings(fen: IntArr) -> list[str]:
    return [fen_to_str(int(x)) for x in fen]


def chunk_rows(chunk: MatchChunk, frame: ProfileFrame) -> Iterator[MatchRow]:
    mins = _fen_strings(chunk.min_fen)
    maxs = _fen_strings(chunk.max_fen)
    for j, row in enumerate(chunk.rows.tolist()):
        yield MatchRow(
            uscc=frame.uscc[row],
            policy=chunk.policy,
            status=STATUS_ELIGIBLE if chunk.eligible[j] else STATUS_POSSIBLE,
            amount_min=mins[j],
            amount_max=None if chunk.max_inf[j] else maxs[j],
            unknown_fields=None if chunk.unknown_fields is None else tuple(chunk.unknown_fields[j]),
        )


def match_batch(items: Iterable[Mapping[str, Any] | CompiledItem], frame: ProfileFrame, *,
                progress: Callable[[int], None] | None = None, unknown_fields: bool = False) -> Iterator[MatchRow]:
    """Every eligible/possible (enterprise, item) pair as a ``MatchRow``, item by item."""
    for chunk in match_batch_chunks(items, frame, progress=progress, unknown_fields=unknown_fields):
        yield from chunk_rows(chunk, frame)


def chunk_frame(chunk: MatchChunk, frame: ProfileFrame) -> Any:
    """A chunk as a Polars DataFrame (uscc, policy, status, amount_min, amount_max[, unknown_fields])."""
    import polars as pl

    def money(fen: IntArr) -> pl.Series:
        if fen.dtype == object:
            return pl.Series(_fen_strings(fen), dtype=pl.Utf8)
        s = pl.Series(fen.astype(np.int64))
        a = s.abs()
        text = (a // 100).cast(pl.Utf8) + "." + (a % 100).cast(pl.Utf8).str.zfill(2)
        return pl.select(pl.when(s < 0).then("-" + text).otherwise(text)).to_series()

    n = len(chunk.rows)
    amax = money(chunk.max_fen)
    data = {
        "uscc": pl.Series(frame.uscc[chunk.rows].tolist(), dtype=pl.Utf8),
        "policy": pl.Series([chunk.policy] * n, dtype=pl.Utf8),
        "status": pl.Series(np.where(chunk.eligible, STATUS_ELIGIBLE, STATUS_POSSIBLE).tolist(), dtype=pl.Utf8),
        "amount_min": money(chunk.min_fen),
        "amount_max": pl.select(pl.when(pl.Series(chunk.max_inf)).then(None).otherwise(amax)).to_series(),
    }
    df = pl.DataFrame(data)
    if chunk.unknown_fields is not None:
        df = df.with_columns(pl.Series("unknown_fields", chunk.unknown_fields, dtype=pl.List(pl.Utf8)))
    return df


_SCHEMA = {"uscc": "Utf8", "policy": "Utf8", "status": "Utf8", "amount_min": "Utf8", "amount_max": "Utf8"}


def empty_result_frame(*, unknown_fields: bool = False) -> Any:
    import polars as pl

    schema: dict[str, Any] = {k: pl.Utf8 for k in _SCHEMA}
    if unknown_fields:
        schema["unknown_fields"] = pl.List(pl.Utf8)
    return pl.DataFrame(schema=schema)


def match_batch_frame(items: Iterable[Mapping[str, Any] | CompiledItem], frame: ProfileFrame, *,
                      progress: Callable[[int], None] | None = None, unknown_fields: bool = False) -> Any:
    """All eligible/possible pairs as one Polars DataFrame."""
    import polars as pl

    parts = [chunk_frame(c, frame) for c in match_batch_chunks(items, frame, progress=progress,
                                                                unknown_fields=unknown_fields)]
    if not parts:
        return empty_result_frame(unknown_fields=unknown_fields)
    return pl.concat(parts, how="vertical")


def match_item(item: Mapping[str, Any] | CompiledItem, frame: ProfileFrame, *, unknown_fields: bool = False,
               cache: AtomCache | None = None) -> Any:
    """One item against every enterprise (e.g. after an officer edits it): a Polars DataFrame."""
    chunks = list(match_batch_chunks([item], frame, unknown_fields=unknown_fields, cache=cache))
    if not chunks:
        return empty_result_frame(unknown_fields=unknown_fields)
    return chunk_frame(chunks[0], frame)


# -- one enterprise against every item ---------------------------------------------------------


_UNSET: Any = object()
_NONE: tuple[str, ...] = ()
Getter = Callable[[int], "bool | None"]
Missing = list[tuple[str, ...]]
Program = Callable[[Getter, Missing], "tuple[bool | None, tuple[str, ...]]"]


def _program(node: Node, ids: dict[str, int], atoms: list[Atom]) -> Program:
    """A condition tree as nested closures over atom ids: each returns (Kleene value, missing
    paths that keep it UNKNOWN), the same as ``rules.compiled.unknown_paths`` but with no per-node
    dispatch at run time."""
    k = node.kind
    if k == "atom":
        assert node.atom is not None
        i = ids.get(node.atom.key)
        if i is None:
            i = ids[node.atom.key] = len(atoms)
            atoms.append(node.atom)
        atom_id = i

        def atom_(get: Getter, miss: Missing) -> tuple[bool | None, tuple[str, ...]]:
            r = get(atom_id)
            return (None, miss[atom_id]) if r is None else (r, _NONE)

        return atom_
    if k == "always":
        return lambda get, miss: (True, _NONE)
    children = tuple(_program(c, ids, atoms) for c in node.children)
    if k == "not":
        child = children[0]

        def negate(get: Getter, miss: Missing) -> tuple[bool | None, tuple[str, ...]]:
            r, p = child(get, miss)
            return (None, p) if r is None else (not r, _NONE)

        return negate
    decisive = k == "any"  # TRUE decides an any, FALSE decides an all
    otherwise = not decisive

    def combine(get: Getter, miss: Missing) -> tuple[bool | None, tuple[str, ...]]:
        unknown = False
        paths: tuple[str, ...] = _NONE
        for c in children:
            r, p = c(get, miss)
            if r is decisive:
                return decisive, _NONE
            if r is None:
                unknown = True
                if p:
                    paths = paths + p
        return (None, paths) if unknown else (otherwise, _NONE)

    return combine


class ItemIndex:
    """Items compiled once for ``match_enterprise``: bucketed by region scope, conditions turned
    into closures over shared atom ids, identical rewards computed once per enterprise."""

    def __init__(self, items: Iterable[Mapping[str, Any] | CompiledItem]):
        import json

        self.items: list[CompiledItem] = [i if isinstance(i, CompiledItem) else compile_item(i) for i in items]
        self.by_scope: dict[str | None, list[int]] = {}
        self.atom_ids: dict[str, int] = {}
        self.atoms: list[Atom] = []
        self.programs: list[Program] = []
        self.reward_keys: list[str] = []
        top_item: list[int] = []
        top_atom: list[int] = []
        for pos, ci in enumerate(self.items):
            self.by_scope.setdefault(self._scope(ci), []).append(pos)
            self.programs.append(_program(ci.condition, self.atom_ids, self.atoms))
            # Identical JSON means an identical amount, so the amount is computed once per enterprise.
            self.reward_keys.append(json.dumps([ci.raw.get("reward"), ci.raw.get("per_enterprise_cap")],
                                               sort_keys=True, default=str))
            for n in _top_level(ci.condition):
                if n.atom is not None and n.atom.check is None:
                    top_item.append(pos)
                    top_atom.append(self.atom_ids[n.atom.key])
        # Atoms directly under an item's root ``all`` are evaluated up front for every enterprise so
        # that items one of them makes FALSE are dropped in one vectorised step.
        self.top_item = np.asarray(top_item, dtype=np.int64)
        self.top_atom = np.asarray(top_atom, dtype=np.int64)
        self.top_atom_ids: list[int] = sorted(set(top_atom))
        self.scope_arrays = {k: np.asarray(v, dtype=np.int64) for k, v in self.by_scope.items()}

    @staticmethod
    def _scope(ci: CompiledItem) -> str | None:
        for n in _top_level(ci.condition):
            a = n.atom
            if a is not None and a.field == "region" and a.op == "within":
                return str(a.value)
        return None

    def candidates(self, region: Any) -> list[int]:
        return self.candidate_array(region).tolist()  # type: ignore[no-any-return]

    def candidate_array(self, region: Any) -> npt.NDArray[np.int64]:
        """Positions of the items whose region scope may contain ``region``, in item order."""
        if region is None:
            return np.arange(len(self.items), dtype=np.int64)
        r = str(region).strip()
        keys: list[str | None] = [None]
        if len(r) == 6 and r.isdigit():
            for key in (r, r[:4] + "00", r[:2] + "0000"):
                if key not in keys:
                    keys.append(key)
        else:
            keys.append(r)
        parts = [self.scope_arrays[k] for k in keys if k in self.scope_arrays]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.sort(np.concatenate(parts))


def match_enterprise(profile: Mapping[str, Any], items: ItemIndex | Iterable[Mapping[str, Any]], *, on: date,
                     unknown_fields: bool = True) -> list[MatchRow]:
    """One enterprise against every item (一键匹配): eligible/possible rows in item order.

    The scalar semantics with atoms evaluated at most once per call; pass an ``ItemIndex`` built
    once so items are not re-parsed per call. Items whose region scope excludes the enterprise's
    region are skipped without evaluation (region ``within`` is by code prefix, RULES.md §3)."""
    index = items if isinstance(items, ItemIndex) else ItemIndex(items)
    view = ProfileView(profile, on=on)
    memo: dict[str, AtomOutcome] = {}
    atoms = index.atoms
    vals: list[Any] = [_UNSET] * len(atoms)
    miss: Missing = [_NONE] * len(atoms)

    def get(i: int) -> bool | None:
        v = vals[i]
        if v is _UNSET:
            atom = atoms[i]
            out = atom.evaluate(view, None)
            memo[atom.key] = out
            v = vals[i] = out.result
            miss[i] = out.missing
        return v  # type: ignore[no-any-return]

    false_atom = np.zeros(len(atoms) + 1, dtype=bool)
    for i in index.top_atom_ids:
        if get(i) is False:
            false_atom[i] = True
    dead = np.zeros(len(index.items), dtype=bool)
    dead[index.top_item[false_atom[index.top_atom]]] = True
    cand = index.candidate_array(profile.get("region"))
    uscc = str(profile.get("uscc"))
    rewards: dict[str, tuple[str, str | None]] = {}
    out: list[MatchRow] = []
    programs = index.programs
    for pos in cand[~dead[cand]].tolist():
        r, missing = programs[pos](get, miss)
        if r is False:
            continue
        ci = index.items[pos]
        if not ci.in_force(on):
            continue
        key = index.reward_keys[pos]
        amount = rewards.get(key)
        if amount is None:
            lo, hi = item_range(ci, view, None, memo)
            amount = rewards[key] = (fen_to_str(round_half_up_fen(lo)),
                                     None if hi is None else fen_to_str(round_half_up_fen(hi)))
        unknown: tuple[str, ...] | None = None
        if unknown_fields:
            unknown = tuple(sorted(set(missing))) if missing else _NONE
        out.append(MatchRow(uscc, ci.id, status_of(r), amount[0], amount[1], unknown))
    return out
