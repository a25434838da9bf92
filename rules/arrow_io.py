"""Profiles read through Arrow straight into ``ProfileFrame`` columns (JSON lines and Parquet).

The JSON-lines reader is Arrow's (C++, multi-threaded) with an explicit schema: every number is
read as ``decimal128(38, 6)`` from its text, so ``1800000.35`` is held exactly and never passes
through a binary float; each column is then scaled down to the fewest decimal places it needs (the
same integer columns the line-by-line reader builds). Parquet files written by ``huiqi profile
export`` have the same shape (decimal numbers, ISO dates).

Anything the vectorised reader does not take as is — a malformed line, a figure written as
"三千万" or "1,800,000", a date in another ISO form, a key outside the vocabulary under ``strict``
— raises ``Irregular``; the caller then reads the file line by line, which either reads it the
same way or stops with the line and field (``FrameError``). Fast for good files, exact messages
for bad ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from rules.fields import FIELDS, FLAG_LABELS
from rules.frame import (
    _I64_SAFE,
    _STATIC_CAT,
    _STATIC_NUM,
    _TOP_KEYS,
    _YEARLY,
    _YEARLY_CAT,
    BoolArr,
    CatCol,
    NumCol,
    ProfileFrame,
    _num_col,
)

SCALE = 6
NUMBER = pa.decimal128(38, SCALE)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_YEARLY_ORDER = [name for name, f in FIELDS.items() if f.kind == "yearly"]


class Irregular(Exception):
    """Input the vectorised reader does not take as is (the line-by-line reader decides)."""


def year_type() -> pa.DataType:
    return pa.struct([(name, pa.string() if name in _YEARLY_CAT else NUMBER) for name in _YEARLY_ORDER])


def profile_schema(years: Iterable[int | str] = ()) -> pa.Schema:
    """The Arrow shape of RULES.md §2 profiles: numbers exact decimals, dates ISO strings."""
    fields: list[tuple[str, pa.DataType]] = [("uscc", pa.string()), ("name", pa.string())]
    for name, f in FIELDS.items():
        if f.kind == "static":
            fields.append((name, NUMBER if f.type == "money" else pa.string()))
    fields.append(("years", pa.struct([(str(y), year_type()) for y in sorted({int(y) for y in years})])))
    fields.append(("qualifications", pa.list_(pa.struct([("code", pa.string()), ("valid_from", pa.string()),
                                                          ("valid_to", pa.string())]))))
    fields.append(("flags", pa.struct([(name, pa.bool_()) for name in FLAG_LABELS])))
    return pa.schema(fields)


def _years_in(schema: pa.Schema) -> set[int]:
    if "years" not in schema.names:
        return set()
    t = schema.field("years").type
    if not pa.types.is_struct(t):
        raise Irregular("years")
    out = set()
    for i in range(t.num_fields):
        name = t.field(i).name
        if not (name.isascii() and name.isdigit()):
            raise Irregular(f"years.{name}")
        out.add(int(name))
    return out


def _read(data: pa.Buffer, years: set[int]) -> pa.Table:
    opts = pj.ParseOptions(explicit_schema=profile_schema(years), unexpected_field_behavior="infer")
    # Blocks are parsed in parallel; few large blocks, because stitching many costs as much as parsing.
    block = min(max(data.size // 4, 1 << 20), 1 << 25)
    try:
        return pj.read_json(pa.BufferReader(data), read_options=pj.ReadOptions(block_size=block),
                            parse_options=opts)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as e:
        raise Irregular(str(e)) from None


_YEAR_KEY = re.compile(rb'"(\d{4})"\s*:\s*[{n]')


def _year_keys(raw: bytes) -> set[int]:
    return {int(m) for m in set(_YEAR_KEY.findall(raw))}


def read_jsonl_table(path: str | Path) -> tuple[pa.Table, npt.NDArray[np.int64]]:
    """JSON lines as an Arrow table of profile shape, and each row's 1-based line number."""
    return read_jsonl_buffer(pa.memory_map(str(path)).read_buffer())


def read_jsonl_buffer(data: pa.Buffer) -> tuple[pa.Table, npt.NDArray[np.int64]]:
    """``read_jsonl_table`` on JSON-lines text already in memory."""
    # The years present (their keys are data) are found in the first megabyte so that their
    # figures are read as decimals; a year first met later is found in the whole text and the
    # file read again (rare, and still far faster than line by line).
    years = _year_keys(data[: 1 << 20].to_pybytes())
    try:
        table = _read(data, years)
    except Irregular:
        more = _year_keys(data.to_pybytes())
        if more <= years:
            raise
        years |= more
        table = _read(data, years)
    found = _years_in(table.schema)
    if not found <= years:
        table = _read(data, years | found)
    text = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 26  # count newlines 64 MB at a time (no file-sized temporary)
    newlines = sum(int(np.count_nonzero(text[i:i + step] == 10)) for i in range(0, text.size, step))
    lines_total = newlines + (1 if text.size and text[-1] != 10 else 0)
    if lines_total == table.num_rows:
        lines = np.arange(1, table.num_rows + 1, dtype=np.int64)
    else:  # blank lines: number the others as the line-by-line reader does
        lines = np.asarray([i for i, line in enumerate(data.to_pybytes().split(b"\n"), start=1) if line.strip()],
                           dtype=np.int64)[: table.num_rows]
    return table, lines


# -- columns ---------------------------------------------------------------------------------------


def _valid(arr: pa.Array) -> BoolArr:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    return np.asarray(pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)


def _python_num(arr: pa.Array, what: str) -> NumCol:
    """The line-by-line conversion, for the rare column that needs it (floats, huge values)."""
    entries = [(i, v) for i, v in enumerate(arr.to_pylist()) if v is not None]
    return _num_col(len(arr), entries, what, list(range(1, len(arr) + 1)), None)


def _num(arr: pa.Array, what: str) -> NumCol:
    t = arr.type
    n = len(arr)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        try:
            arr = pc.cast(arr, NUMBER)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
            raise Irregular(what) from e
        t = arr.type
    valid = _valid(arr)
    if pa.types.is_integer(t):
        ints = np.asarray(arr.fill_null(0).cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
        places = 0
    elif pa.types.is_decimal(t) and t.byte_width == 16 and t.scale >= 0:
        words = np.frombuffer(arr.buffers()[1], dtype=np.int64)[2 * arr.offset: 2 * (arr.offset + n)]
        lo, hi = words[0::2], words[1::2]
        if not np.array_equal(hi[valid], lo[valid] >> 63):  # beyond int64: exact Python ints
            return _python_num(arr, what)
        ints = np.where(valid, lo, 0)
        places = t.scale
        for k in range(places + 1):  # the fewest decimal places that hold every value
            div = 10 ** (places - k)
            if div == 1 or not np.any(ints % div):
                if div != 1:
                    ints = ints // div
                places = k
                break
    elif pa.types.is_floating(t):
        return _python_num(arr, what)
    else:
        raise Irregular(what)
    maxabs = int(np.abs(ints).max()) if n else 0
    if maxabs >= _I64_SAFE:
        return _python_num(arr, what)
    scale = 10**places
    f = ints.astype(np.float64)
    if scale != 1:
        f /= scale
    return NumCol(valid, f, ints, scale, scale == 1 and maxabs < 2**53)


def _cat(arr: pa.Array | None, n: int, what: str) -> CatCol:
    if arr is None or pa.types.is_null(arr.type):
        return CatCol(np.full(n, -1, dtype=np.int32), [])
    if pa.types.is_integer(arr.type):
        arr = arr.cast(pa.string())
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        raise Irregular(what)
    enc = pc.utf8_trim_whitespace(arr).dictionary_encode()
    codes = np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int32)
    return CatCol(codes, [str(v) for v in enc.dictionary.to_pylist()])


def _days(arr: pa.Array, what: str) -> npt.NDArray[np.int64]:
    """ISO dates as days since 1970-01-01 (nulls 0); other spellings are irregular."""
    if pa.types.is_date32(arr.type):
        d = arr
    elif pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        ok = pc.match_substring_regex(arr, _ISO_DATE)
        if pc.any(pc.invert(ok.fill_null(True))).as_py():
            raise Irregular(what)
        try:
            d = pc.cast(arr, pa.date32())
        except pa.ArrowInvalid as e:
            raise Irregular(what) from e
    elif pa.types.is_null(arr.type):
        return np.zeros(len(arr), dtype=np.int64)
    else:
        raise Irregular(what)
    return np.asarray(d.cast(pa.int32()).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)


def _whole_years(days: npt.NDArray[np.int64], on: date) -> npt.NDArray[np.int64]:
    """``rules.profile.whole_years`` column-wise."""
    d = days.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    before = (month > on.month) | ((month == on.month) & (day > on.day))
    return (on.year - year - before).astype(np.int64)


def _struct_children(arr: pa.Array) -> dict[str, pa.Array]:
    """Children of a struct column with the parent's nulls merged in."""
    t = arr.type
    return {t.field(i).name: child for i, child in enumerate(arr.flatten())}


def _combine(chunks: list[pa.Array], t: pa.DataType) -> pa.Array:
    """One array from chunks; structs child by child (Arrow's own concatenation of nested structs
    costs more than the parse)."""
    if len(chunks) == 1:
        return chunks[0]
    if not chunks:
        return pa.array([], type=t)
    if pa.types.is_struct(t):
        kids = [c.flatten() for c in chunks]
        arrays = [_combine([k[i] for k in kids], t.field(i).type) for i in range(t.num_fields)]
        valid = np.concatenate([_valid(c) for c in chunks])
        mask = None if valid.all() else pa.array(~valid)
        return pa.StructArray.from_arrays(arrays, fields=[t.field(i) for i in range(t.num_fields)], mask=mask)
    return pa.concat_arrays(chunks)


def frame_from_table(table: pa.Table, *, on: date, strict: bool = False,
                     lines: npt.NDArray[np.int64] | None = None) -> ProfileFrame:
    """A ``ProfileFrame`` from an Arrow table of profile shape; ``Irregular`` when a column is not
    one the vectorised path reads exactly as the line-by-line reader would."""
    n = table.num_rows
    names = set(table.column_names)
    if strict and names - _TOP_KEYS:
        raise Irregular("unknown key")

    def col(name: str) -> pa.Array | None:
        if name not in names:
            return None
        ch = table.column(name)
        a = _combine(ch.chunks, ch.type)
        return None if pa.types.is_null(a.type) else a

    uscc = col("uscc")
    if uscc is None:
        uscc = pa.nulls(n, pa.string())
    elif not pa.types.is_string(uscc.type):
        raise Irregular("uscc")
    cols_num: dict[str, NumCol] = {}
    for name in _STATIC_NUM:
        a = col(name)
        cols_num[name] = _num(a, name) if a is not None else _num_col(n, [], name, [], None)
    cols_cat = {name: _cat(col(name), n, name) for name in _STATIC_CAT}

    y_num: dict[tuple[str, int], NumCol] = {}
    y_cat: dict[tuple[str, int], CatCol] = {}
    years = col("years")
    if years is not None:
        if not pa.types.is_struct(years.type):
            raise Irregular("years")
        for key, figures in _struct_children(years).items():
            if not (key.isascii() and key.isdigit()):
                raise Irregular(f"years.{key}")
            if pa.types.is_null(figures.type):
                continue
            if not pa.types.is_struct(figures.type):
                raise Irregular(f"years.{key}")
            year = int(key)
            for name, values in _struct_children(figures).items():
                if name not in _YEARLY:
                    if strict:
                        raise Irregular(f"years.{key}.{name}")
                    continue
                if values.null_count == len(values):
                    continue
                if name in _YEARLY_CAT:
                    y_cat[(name, year)] = _cat(values, n, name)
                else:
                    y_num[(name, year)] = _num(values, f"years.{key}.{name}")

    est = col("established_on")
    if est is None:
        est_known = np.zeros(n, dtype=bool)
        est_ord = np.zeros(n, dtype=np.int64)
        est_years = np.zeros(n, dtype=np.int64)
    else:
        est_known = _valid(est)
        days = _days(est, "established_on")
        est_ord = np.where(est_known, days + _EPOCH_ORDINAL, 0)
        est_years = np.where(est_known, _whole_years(days, on), 0)

    qp = np.zeros(n, dtype=bool)
    qheld: dict[str, BoolArr] = {}
    quals = col("qualifications")
    if quals is not None:
        if not (pa.types.is_list(quals.type) or pa.types.is_large_list(quals.type)):
            raise Irregular("qualifications")
        qp = _valid(quals)
        entries = pc.list_flatten(quals)
        if len(entries):
            if not pa.types.is_struct(entries.type) or entries.null_count:
                raise Irregular("qualifications")
            parents = np.asarray(pc.list_parent_indices(quals).to_numpy(zero_copy_only=False), dtype=np.int64)
            parts = _struct_children(entries)
            code = parts.get("code")
            if code is None or code.null_count or not pa.types.is_string(code.type):
                raise Irregular("qualifications.code")
            held = np.ones(len(entries), dtype=bool)
            on_days = on.toordinal() - _EPOCH_ORDINAL
            for key in ("valid_from", "valid_to"):
                part = parts.get(key)
                if part is None or pa.types.is_null(part.type):
                    continue
                known = _valid(part)
                d = _days(part, f"qualifications.{key}")
                held &= ~known | ((d <= on_days) if key == "valid_from" else (d >= on_days))
            enc = code.filter(pa.array(held)).dictionary_encode()
            idx = np.asarray(enc.indices.to_numpy(zero_copy_only=False))
            rows = parents[held]
            for c, name in enumerate(enc.dictionary.to_pylist()):
                a = np.zeros(n, dtype=bool)
                a[rows[idx == c]] = True
                qheld[str(name)] = a

    fp = np.zeros(n, dtype=bool)
    fvals = {name: np.full(n, -1, dtype=np.int8) for name in FLAG_LABELS}
    flags = col("flags")
    if flags is not None:
        if not pa.types.is_struct(flags.type):
            raise Irregular("flags")
        fp = _valid(flags)
        for name, values in _struct_children(flags).items():
            if name not in FLAG_LABELS:
                if strict:
                    raise Irregular(f"flags.{name}")
                continue
            if pa.types.is_null(values.type):
                continue
            if not pa.types.is_boolean(values.type):
                raise Irregular(f"flags.{name}")
            v = np.asarray(values.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.int8)
            fvals[name] = np.where(_valid(values), v, -1).astype(np.int8)

    if lines is None:
        lines = np.arange(1, n + 1, dtype=np.int64)
    return ProfileFrame._assemble(n=n, on=on, uscc=uscc, lines=lines, cols_num=cols_num, cols_cat=cols_cat,
                                  y_num=y_num, y_cat=y_cat, est_known=est_known, est_ord=est_ord,
                                  est_years=est_years, qp=qp, qheld=qheld, fp=fp, fvals=fvals)


def frame_from_jsonl(path: str | Path, *, on: date, strict: bool = False) -> ProfileFrame:
    table, lines = read_jsonl_table(path)
    return frame_from_table(table, on=on, strict=strict, lines=lines)


def export_schema(years: Iterable[int]) -> pa.Schema:
    """``profile_schema`` for a Parquet file (which has no empty struct: no years, no column)."""
    years = set(years)
    schema = profile_schema(years)
    if not years:
        schema = schema.remove(schema.get_field_index("years"))
    return schema


def profiles_table(profiles: Iterable[Any], years: Iterable[int] | None = None) -> pa.Table:
    """Profile dicts (RULES.md §2) as an Arrow table of profile shape, numbers as exact decimals
    (``huiqi profile export --out X.parquet``); ``years`` fixes the year columns (default: those
    present)."""
    from decimal import Decimal

    from rules.numbers import to_fraction

    rows = list(profiles)
    if years is None:
        found: set[int] = set()
        for p in rows:
            ys = p.get("years")
            if isinstance(ys, dict):
                found.update(int(y) for y in ys)
        years = found
    years = set(years)
    schema = export_schema(years)

    def exact(v: Any) -> Any:
        if v is None:
            return None
        fr = to_fraction(v)
        return Decimal(fr.numerator) / Decimal(fr.denominator)  # exact, or Arrow refuses to rescale

    def shape(p: dict[str, Any]) -> dict[str, Any]:
        out = {k: p.get(k) for k in schema.names if k not in ("years",)}
        for name in _STATIC_NUM:
            out[name] = exact(p.get(name))
        for name in ("established_on",):
            v = p.get(name)
            out[name] = None if v is None else str(v)
        ys = p.get("years") or {}
        if not years:
            return out
        out["years"] = {str(y): None if not isinstance(fig, dict) else
                        {k: (str(v) if k in _YEARLY_CAT and v is not None else exact(v) if k not in _YEARLY_CAT else None)
                         for k, v in fig.items() if k in _YEARLY}
                        for y, fig in ys.items() if int(y) in years}
        quals = p.get("qualifications")
        if quals is not None:
            out["qualifications"] = [{"code": str(q.get("code")),
                                      "valid_from": None if q.get("valid_from") is None else str(q.get("valid_from")),
                                      "valid_to": None if q.get("valid_to") is None else str(q.get("valid_to"))}
                                     for q in quals]
        return out

    return pa.Table.from_pylist([shape(p) for p in rows], schema=schema)


# -- policy items (RULES.md §5) as Parquet -----------------------------------------------------------

# The rules (conditions, reward) stay JSON text, written as the JSON-lines export writes them: they
# are trees, and the engine compiles them from that same text, so a Parquet round trip cannot change
# what an item means (numbers keep their written form; canonical JSON would turn "0.35" into a bare
# number that json.loads reads as a float).
ITEM_SCHEMA = pa.schema([
    ("id", pa.string()), ("title", pa.string()), ("region", pa.string()),
    ("valid_from", pa.date32()), ("valid_to", pa.date32()), ("mode", pa.string()),
    ("conditions", pa.string()), ("reward", pa.string()), ("exclusive_group", pa.string()),
    ("per_enterprise_cap", pa.string()), ("budget", pa.string()),
    ("source", pa.struct([("doc", pa.string()), ("clause", pa.string()), ("text", pa.string())])),
    ("rules_version", pa.string()),
])
_ITEM_JSON = ("conditions", "reward")


def items_table(items: Iterable[dict[str, Any]]) -> pa.Table:
    """Items as ``huiqi policy export --out X.parquet`` writes them: one row per item, the rule
    trees as JSON text, money (cap, budget) as exact decimal text, dates as dates, plus the rules
    version (the hash the platform stores) so a reader can tell which rules it was given."""
    import json

    from rules.canonical import rules_version

    rows = []
    for item in items:
        row = {name: item.get(name) for name in ITEM_SCHEMA.names}
        for name in ("valid_from", "valid_to"):
            if row[name] is not None:
                row[name] = date.fromisoformat(str(row[name]))
        for name in _ITEM_JSON:
            row[name] = json.dumps(item[name], ensure_ascii=False)
        row["rules_version"] = rules_version(item["conditions"], item["reward"])
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=ITEM_SCHEMA)


def items_from_table(table: pa.Table) -> Iterable[dict[str, Any]]:
    """The RULES.md §5 dicts back from such a table (row order kept); a rule column that is not
    JSON is left as text, so validation names the row and the field."""
    import json

    for row in table.to_pylist():
        item = {k: v for k, v in row.items() if k != "rules_version"}
        for name in ("valid_from", "valid_to"):
            if isinstance(item.get(name), date):
                item[name] = item[name].isoformat()
        for name in _ITEM_JSON:
            if isinstance(item.get(name), str):
                try:
                    item[name] = json.loads(item[name])
                except json.JSONDecodeError:
                    pass
        yield item
