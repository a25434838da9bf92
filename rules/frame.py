"""Profiles held column by column for batch matching (RULES.md §2 in NumPy arrays).

Rows are sorted by region code so that every region (a county, a prefecture, a province) is a
contiguous block: an item scoped to a county touches only its county's rows. Rows whose region is
unknown sit in one block at the end and are visited by every item (their scope is UNKNOWN).

Numbers are kept twice: a float64 column for fast comparisons and an exact integer column
(value × 10^k) for rewards and for re-deciding comparisons that are too close to call in floating
point, so that batch results equal the scalar ``Fraction`` results exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rules.fields import FIELDS, FLAG_LABELS
from rules.numbers import NotANumber, to_fraction

BoolArr = npt.NDArray[np.bool_]
IntArr = npt.NDArray[Any]  # int64, or object holding Python ints when int64 would overflow
_I64_SAFE = 2**62


class FrameError(ValueError):
    """A profile that cannot be loaded; ``line`` is 1-based within the input."""

    def __init__(self, line: int, message: str, source: str | None = None):
        self.line = line
        self.source = source
        where = f"{source} 第{line}行" if source else f"第{line}行"
        super().__init__(f"{where}：{message}")


def _decimal_places(den: int) -> int | None:
    k2 = k5 = 0
    while den % 2 == 0:
        den //= 2
        k2 += 1
    while den % 5 == 0:
        den //= 5
        k5 += 1
    return None if den != 1 else max(k2, k5)


@dataclass(slots=True)
class NumCol:
    """A numeric column: ``known`` rows hold ``ints / scale`` exactly and ``f`` approximately."""

    known: BoolArr
    f: npt.NDArray[np.float64]
    ints: IntArr
    scale: int
    # True when every value is an integer below 2**53, so ``f`` holds it exactly and a float
    # comparison with an exactly representable threshold needs no exact re-check.
    exact_float: bool = False

    def exact(self, i: int) -> Fraction:
        return Fraction(int(self.ints[i]), self.scale)

    def take(self, order: npt.NDArray[np.int64]) -> NumCol:
        return NumCol(self.known[order], self.f[order], self.ints[order], self.scale, self.exact_float)


@dataclass(slots=True)
class CatCol:
    """A categorical column: ``codes`` index ``vocab``; -1 = unknown."""

    codes: npt.NDArray[np.int32]
    vocab: list[str]

    @property
    def known(self) -> BoolArr:
        return self.codes >= 0

    def take(self, order: npt.NDArray[np.int64]) -> CatCol:
        return CatCol(self.codes[order], self.vocab)


def _num_col(n: int, entries: list[tuple[int, Any]], what: str, lines: list[int], source: str | None) -> NumCol:
    known = np.zeros(n, dtype=bool)
    values: list[int | Fraction] = []
    rows: list[int] = []
    k = 0
    for row, raw in entries:
        t = type(raw)
        if t is int:
            v: int | Fraction = raw
        elif t is float and raw.is_integer() and abs(raw) < 2**53:
            v = int(raw)
        else:
            try:
                fr = to_fraction(raw)
            except NotANumber:
                raise FrameError(lines[row], f"{what} 不是数值：{raw!r}", source) from None
            if fr.denominator == 1:
                v = fr.numerator
            else:
                places = _decimal_places(fr.denominator)
                if places is None:
                    raise FrameError(lines[row], f"{what} 不是有限小数：{raw!r}", source)
                k = max(k, places)
                v = fr
        rows.append(row)
        values.append(v)
    scale = 10**k
    scaled = [int(v * scale) if isinstance(v, Fraction) else v * scale for v in values]
    big = any(abs(x) >= _I64_SAFE for x in scaled)
    ints: IntArr = np.zeros(n, dtype=object if big else np.int64)
    f = np.zeros(n, dtype=np.float64)
    if rows:
        idx = np.asarray(rows, dtype=np.int64)
        known[idx] = True
        if big:
            ints[idx] = np.asarray(scaled, dtype=object)
            f[idx] = np.asarray([float(Fraction(x, scale)) for x in scaled], dtype=np.float64)
        else:
            arr = np.asarray(scaled, dtype=np.int64)
            ints[idx] = arr
            f[idx] = arr.astype(np.float64) / scale if scale != 1 else arr.astype(np.float64)
    exact_float = scale == 1 and not big and (not rows or _maxabs_i64(ints) < 2**53)
    return NumCol(known, f, ints, scale, exact_float)


def _maxabs_i64(a: npt.NDArray[Any]) -> int:
    return int(max(abs(int(a.max())), abs(int(a.min())))) if a.size else 0


def _cat_col(n: int, entries: list[tuple[int, str]]) -> CatCol:
    vocab_index: dict[str, int] = {}
    codes = np.full(n, -1, dtype=np.int32)
    for row, value in entries:
        c = vocab_index.get(value)
        if c is None:
            c = vocab_index[value] = len(vocab_index)
        codes[row] = c
    return CatCol(codes, list(vocab_index))


_STATIC_NUM = [name for name, f in FIELDS.items() if f.kind == "static" and f.type == "money"]
_STATIC_CAT = [name for name, f in FIELDS.items() if f.kind == "static" and f.type in ("enum", "region", "industry")]
_YEARLY_CAT = frozenset(name for name, f in FIELDS.items() if f.kind == "yearly" and f.type == "enum")
_YEARLY = frozenset(name for name, f in FIELDS.items() if f.kind == "yearly")


_TOP_KEYS = frozenset({"uscc", "name", "years", "qualifications", "flags"}) | frozenset(
    name for name, f in FIELDS.items() if f.kind == "static")


def _check_keys(p: Mapping[str, Any], lineno: int, source: str | None) -> None:
    for key in p:
        if key not in _TOP_KEYS:
            raise FrameError(lineno, f"未知的字段 \"{key}\"", source)
    years = p.get("years")
    if isinstance(years, Mapping):
        for y, figures in years.items():
            if isinstance(figures, Mapping):
                for name in figures:
                    if name not in _YEARLY:
                        raise FrameError(lineno, f"未知的字段 \"years.{y}.{name}\"", source)
    flags = p.get("flags")
    if isinstance(flags, Mapping):
        for name in flags:
            if name not in FLAG_LABELS:
                raise FrameError(lineno, f"未知的信用标记 \"flags.{name}\"", source)


class ProfileFrame:
    """All profiles for one evaluation date, columnar and sorted by region."""

    def __init__(self) -> None:
        self.n = 0
        self.on = date.min
        self._uscc: npt.NDArray[Any] | None = np.empty(0, dtype=object)
        self._uscc_arrow: Any = None  # the same column as an Arrow string array, made on demand
        self.lines: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.static_num: dict[str, NumCol] = {}
        self.static_cat: dict[str, CatCol] = {}
        self.yearly_num: dict[tuple[str, int], NumCol] = {}
        self.yearly_cat: dict[tuple[str, int], CatCol] = {}
        self.established_known: BoolArr = np.zeros(0, dtype=bool)
        self.established_ord: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.established_years: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.quals_present: BoolArr = np.zeros(0, dtype=bool)
        self.quals_held: dict[str, BoolArr] = {}
        self.flags: dict[str, npt.NDArray[np.int8]] = {}  # -1 unknown, 0 false, 1 true
        self.flags_present: BoolArr = np.zeros(0, dtype=bool)
        # region blocks: unique region codes in row order and their [start, end) rows
        self.region_blocks: list[tuple[str, int, int]] = []
        self.unknown_region: slice = slice(0, 0)
        self.ones: BoolArr = np.ones(0, dtype=bool)
        self.zeros: BoolArr = np.zeros(0, dtype=bool)

    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def from_jsonl(cls, path: str | Path, *, on: date, strict: bool = False) -> ProfileFrame:
        """Profiles from a JSON-lines file; ``strict`` also rejects keys outside the profile
        vocabulary (a typo such as ``revenu`` would otherwise read as missing data)."""
        path = Path(path)
        try:
            from rules.arrow_io import Irregular, frame_from_jsonl

            return frame_from_jsonl(path, on=on, strict=strict)
        except Irregular:
            pass  # read line by line: the same frame, or the line and field that are wrong
        except OSError:
            pass

        def rows() -> Iterable[tuple[int, Mapping[str, Any]]]:
            with path.open(encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise FrameError(lineno, f"JSON 格式错误：{e.msg}", str(path)) from None
                    if not isinstance(obj, dict):
                        raise FrameError(lineno, "每行应为一个 JSON 对象", str(path))
                    yield lineno, obj

        return cls._build(rows(), on=on, source=str(path), strict=strict)

    @classmethod
    def from_parquet(cls, path: str | Path, *, on: date, strict: bool = False) -> ProfileFrame:
        """Profiles from a Parquet file of profile shape (``huiqi profile export --format parquet``)."""
        import pyarrow.parquet as pq

        from rules.arrow_io import Irregular, frame_from_table

        table = pq.read_table(path)
        try:
            return frame_from_table(table, on=on, strict=strict)
        except Irregular:
            return cls._build(((i, p) for i, p in enumerate(table.to_pylist(), start=1)), on=on,
                              source=str(path), strict=strict)

    @classmethod
    def from_profiles(cls, profiles: Iterable[Mapping[str, Any]], *, on: date, strict: bool = False) -> ProfileFrame:
        return cls._build(((i, p) for i, p in enumerate(profiles, start=1)), on=on, source=None, strict=strict)

    @classmethod
    def _build(cls, numbered: Iterable[tuple[int, Mapping[str, Any]]], *, on: date, source: str | None,
               strict: bool) -> ProfileFrame:
        from rules.profile import ProfileError, parse_date, whole_years

        uscc: list[Any] = []
        lines: list[int] = []
        static_num: dict[str, list[tuple[int, Any]]] = {k: [] for k in _STATIC_NUM}
        static_cat: dict[str, list[tuple[int, str]]] = {k: [] for k in _STATIC_CAT}
        yearly: dict[tuple[str, int], list[tuple[int, Any]]] = {}
        est_rows: list[int] = []
        est_dates: list[date] = []
        quals_rows: list[int] = []
        held: dict[str, list[int]] = {}
        flag_rows: list[int] = []
        flag_vals: dict[str, list[tuple[int, int]]] = {k: [] for k in FLAG_LABELS}
        row = -1
        for row, (lineno, p) in enumerate(numbered):
            if strict:
                _check_keys(p, lineno, source)
            uscc.append(p.get("uscc"))
            lines.append(lineno)
            for name in _STATIC_NUM:
                v = p.get(name)
                if v is not None:
                    static_num[name].append((row, v))
            for name in _STATIC_CAT:
                v = p.get(name)
                if v is not None:
                    static_cat[name].append((row, str(v).strip()))
            est = p.get("established_on")
            if est is not None:
                try:
                    est_dates.append(parse_date(est, "established_on"))
                except ProfileError as e:
                    raise FrameError(lineno, str(e), source) from None
                est_rows.append(row)
            years = p.get("years")
            if isinstance(years, Mapping):
                for y, figures in years.items():
                    if not isinstance(figures, Mapping):
                        continue
                    try:
                        year = int(y)
                    except ValueError:
                        raise FrameError(lineno, f"years 的键应为年份：{y!r}", source) from None
                    for name, v in figures.items():
                        if v is None or name not in _YEARLY:
                            continue
                        yearly.setdefault((name, year), []).append((row, v))
            elif years is not None:
                raise FrameError(lineno, "years 应为对象", source)
            quals = p.get("qualifications")
            if quals is not None:
                if not isinstance(quals, list):
                    raise FrameError(lineno, "qualifications 应为列表", source)
                quals_rows.append(row)
                for q in quals:
                    if not isinstance(q, Mapping):
                        raise FrameError(lineno, "qualifications 的每一项应为对象", source)
                    try:
                        start = q.get("valid_from")
                        end = q.get("valid_to")
                        if start is not None and parse_date(start, "valid_from") > on:
                            continue
                        if end is not None and parse_date(end, "valid_to") < on:
                            continue
                    except ProfileError as e:
                        raise FrameError(lineno, f"qualifications.{e}", source) from None
                    held.setdefault(str(q.get("code")), []).append(row)
            flags = p.get("flags")
            if isinstance(flags, Mapping):
                flag_rows.append(row)
                for name in FLAG_LABELS:
                    v = flags.get(name)
                    if v is None:
                        continue
                    if not isinstance(v, bool):
                        raise FrameError(lineno, f"flags.{name} 应为 true 或 false", source)
                    flag_vals[name].append((row, int(v)))
        n = row + 1
        line_list = lines

        def num(entries: list[tuple[int, Any]], what: str) -> NumCol:
            return _num_col(n, entries, what, line_list, source)

        cols_num = {k: num(v, k) for k, v in static_num.items()}
        cols_cat = {k: _cat_col(n, v) for k, v in static_cat.items()}
        y_num: dict[tuple[str, int], NumCol] = {}
        y_cat: dict[tuple[str, int], CatCol] = {}
        for (name, year), entries in yearly.items():
            if name in _YEARLY_CAT:
                y_cat[(name, year)] = _cat_col(n, [(r, str(v).strip()) for r, v in entries])
            else:
                y_num[(name, year)] = num(entries, f"years.{year}.{name}")
        est_known = np.zeros(n, dtype=bool)
        est_ord = np.zeros(n, dtype=np.int64)
        est_years = np.zeros(n, dtype=np.int64)
        if est_rows:
            idx = np.asarray(est_rows, dtype=np.int64)
            est_known[idx] = True
            est_ord[idx] = np.asarray([d.toordinal() for d in est_dates], dtype=np.int64)
            est_years[idx] = np.asarray([whole_years(d, on) for d in est_dates], dtype=np.int64)
        qp = np.zeros(n, dtype=bool)
        qp[np.asarray(quals_rows, dtype=np.int64)] = True
        qheld = {}
        for code, rs in held.items():
            a = np.zeros(n, dtype=bool)
            a[np.asarray(rs, dtype=np.int64)] = True
            qheld[code] = a
        fp = np.zeros(n, dtype=bool)
        fp[np.asarray(flag_rows, dtype=np.int64)] = True
        fvals = {}
        for name, entries in flag_vals.items():
            a8 = np.full(n, -1, dtype=np.int8)
            if entries:
                a8[np.asarray([r for r, _ in entries], dtype=np.int64)] = np.asarray([v for _, v in entries], dtype=np.int8)
            fvals[name] = a8

        return cls._assemble(n=n, on=on, uscc=np.asarray(uscc, dtype=object), lines=np.asarray(lines, dtype=np.int64),
                             cols_num=cols_num, cols_cat=cols_cat, y_num=y_num, y_cat=y_cat, est_known=est_known,
                             est_ord=est_ord, est_years=est_years, qp=qp, qheld=qheld, fp=fp, fvals=fvals)

    @classmethod
    def _assemble(cls, *, n: int, on: date, uscc: Any, lines: npt.NDArray[np.int64], cols_num: dict[str, NumCol],
                  cols_cat: dict[str, CatCol], y_num: dict[tuple[str, int], NumCol],
                  y_cat: dict[tuple[str, int], CatCol], est_known: BoolArr, est_ord: npt.NDArray[np.int64],
                  est_years: npt.NDArray[np.int64], qp: BoolArr, qheld: dict[str, BoolArr], fp: BoolArr,
                  fvals: dict[str, npt.NDArray[np.int8]]) -> ProfileFrame:
        """The frame from columns in input order: rows sorted by region (stable), blocks found.
        ``uscc`` is an object array of str, or an Arrow string array (kept as Arrow)."""
        fr = cls()
        fr.n = n
        fr.on = on
        # Sort rows by region code, unknown regions last.
        region = cols_cat["region"]
        vocab_sorted = sorted(range(len(region.vocab)), key=lambda c: region.vocab[c])
        rank = np.empty(len(region.vocab) + 1, dtype=np.int64)
        for r_i, c in enumerate(vocab_sorted):
            rank[c] = r_i
        rank[-1] = len(region.vocab)  # codes == -1 index the last slot
        order = np.argsort(rank[region.codes], kind="stable")

        if isinstance(uscc, np.ndarray):
            fr.uscc = uscc[order]
        else:
            fr.uscc_arrow = uscc.take(order)
        fr.lines = lines[order]
        fr.static_num = {k: c.take(order) for k, c in cols_num.items()}
        fr.static_cat = {k: c.take(order) for k, c in cols_cat.items()}
        fr.yearly_num = {k: c.take(order) for k, c in y_num.items()}
        fr.yearly_cat = {k: c.take(order) for k, c in y_cat.items()}
        fr.established_known = est_known[order]
        fr.established_ord = est_ord[order]
        fr.established_years = est_years[order]
        fr.quals_present = qp[order]
        fr.quals_held = {k: a[order] for k, a in qheld.items()}
        fr.flags_present = fp[order]
        fr.flags = {k: a[order] for k, a in fvals.items()}
        fr.ones = np.ones(n, dtype=bool)
        fr.zeros = np.zeros(n, dtype=bool)

        codes = fr.static_cat["region"].codes
        blocks: list[tuple[str, int, int]] = []
        if n:
            change = np.flatnonzero(np.diff(codes)) + 1
            starts = np.concatenate([[0], change])
            ends = np.concatenate([change, [n]])
            for s, end in zip(starts.tolist(), ends.tolist(), strict=True):
                c = int(codes[s])
                if c < 0:
                    fr.unknown_region = slice(s, end)
                else:
                    blocks.append((region.vocab[c], s, end))
        fr.region_blocks = blocks
        return fr

    def __len__(self) -> int:
        return self.n

    @property
    def uscc(self) -> npt.NDArray[Any]:
        """Credit codes in frame order, as Python strings (made from the Arrow column on demand)."""
        if self._uscc is None:
            self._uscc = np.asarray(self._uscc_arrow.to_numpy(zero_copy_only=False), dtype=object)
        return self._uscc

    @uscc.setter
    def uscc(self, value: npt.NDArray[Any]) -> None:
        self._uscc = value
        self._uscc_arrow = None

    @property
    def uscc_arrow(self) -> Any:
        """Credit codes in frame order as an Arrow string array (the writers take from it)."""
        if self._uscc_arrow is None:
            import pyarrow as pa

            self._uscc_arrow = pa.array([u if u is None or isinstance(u, str) else str(u) for u in self.uscc.tolist()],
                                        type=pa.string())
        return self._uscc_arrow

    @uscc_arrow.setter
    def uscc_arrow(self, value: Any) -> None:
        self._uscc_arrow = value
        self._uscc = None
