"""Match results written through Arrow, chunk by chunk, all or nothing (RULES.md §7).

Chunks (one item's eligible/possible rows as NumPy arrays) are gathered up to ``batch_rows`` rows,
turned into one Arrow record batch with no Python object per row — credit codes taken from the
frame's Arrow column (or indexing it as a dictionary), the item id and the status
dictionary-encoded, amounts from whole fen — and written out by a thread of its own while the next
batch is computed: one Parquet row group per batch, or JSON lines rendered by Polars from the same
batch. Memory holds two batches whatever the number of output rows. Output goes to a temporary
file next to the target that replaces it only when ``commit`` is reached, so a failed run leaves
neither a half-written file nor a changed earlier result.

Parquet columns: ``uscc``, ``policy``, ``status`` text (dictionary-encoded in the file),
``amount_min`` and ``amount_max`` exact ``decimal(38, 2)`` yuan (``amount_max`` null when
unbounded). JSON lines keep RULES.md §7's decimal strings, byte for byte as before.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from rules.batch import MatchChunk
from rules.evaluate import STATUS_ELIGIBLE, STATUS_POSSIBLE
from rules.frame import ProfileFrame
from rules.numbers import fen_to_str

MONEY = pa.decimal128(38, 2)
RESULT_SCHEMA = pa.schema([("uscc", pa.string()), ("policy", pa.string()), ("status", pa.string()),
                           ("amount_min", MONEY), ("amount_max", MONEY)])
_STATUSES = pa.array([STATUS_ELIGIBLE, STATUS_POSSIBLE], type=pa.string())
FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


def money_array(fen: npt.NDArray[Any], null: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """Whole fen as exact ``decimal(38, 2)`` yuan (the integer is the unscaled decimal)."""
    n = len(fen)
    validity = None
    if null is not None and null.any():
        validity = pa.py_buffer(np.packbits(~null, bitorder="little"))
    if fen.dtype == object:  # beyond int64: Python ints, exact
        from decimal import Decimal

        return pa.array([None if null is not None and null[i] else Decimal(int(v)).scaleb(-2)
                         for i, v in enumerate(fen.tolist())], type=MONEY)
    lo = np.asarray(fen, dtype=np.int64)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = lo
    np.right_shift(lo, 63, out=words[:, 1])  # sign extension: the high 64 bits of the 128-bit integer
    return pa.Array.from_buffers(MONEY, n, [validity, pa.py_buffer(words)],
                                 null_count=-1 if validity is not None else 0)


def _money_text(fen: npt.NDArray[Any]) -> Any:
    """Whole fen as the decimal strings of RULES.md §7 ("2630.70"), column-wise."""
    import polars as pl

    if fen.dtype == object:
        return pl.Series([fen_to_str(int(x)) for x in fen], dtype=pl.Utf8)
    s = pl.Series(fen.astype(np.int64))
    a = s.abs()
    text = (a // 100).cast(pl.Utf8) + "." + (a % 100).cast(pl.Utf8).str.zfill(2)
    return pl.select(pl.when(s < 0).then("-" + text).otherwise(text)).to_series()


class _Batch:
    def __init__(self) -> None:
        self.rows: list[npt.NDArray[np.int64]] = []
        self.policy_index: list[npt.NDArray[np.int32]] = []
        self.policies: list[str | None] = []
        self.eligible: list[npt.NDArray[np.bool_]] = []
        self.min_fen: list[npt.NDArray[Any]] = []
        self.max_fen: list[npt.NDArray[Any]] = []
        self.max_inf: list[npt.NDArray[np.bool_]] = []
        self.size = 0

    def add(self, c: MatchChunk) -> None:
        self.rows.append(c.rows)
        self.policy_index.append(np.full(len(c), len(self.policies), dtype=np.int32))
        self.policies.append(c.policy)
        self.eligible.append(c.eligible)
        self.min_fen.append(c.min_fen)
        self.max_fen.append(c.max_fen)
        self.max_inf.append(c.max_inf)
        self.size += len(c)


def _cat(parts: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    if any(p.dtype == object for p in parts):
        return np.concatenate([p.astype(object) for p in parts])
    return np.concatenate(parts)


def uscc_dictionary(frame: ProfileFrame, batch_rows: int) -> pa.Array | None:
    """The frame's credit codes as the dictionary of every batch's ``uscc`` column, when that pays:
    the Parquet writer then stores each row's index as it is instead of hashing a string per row, but
    writes the whole dictionary into every row group, so only when batches are several times longer
    than the frame. Not with a null code (which a Parquet dictionary cannot hold)."""
    col = frame.uscc_arrow
    if col.null_count or 4 * len(col) > batch_rows:
        return None
    return col


def record_batch(b: _Batch, frame: ProfileFrame, *, dictionary: bool = True,
                 uscc_dict: pa.Array | None = None) -> pa.RecordBatch:
    """The gathered chunks as one Arrow batch; ``policy`` and ``status`` dictionary-encoded unless
    ``dictionary`` is False (Spark's Arrow schema wants plain text); ``uscc`` too over
    ``uscc_dict`` when given (``uscc_dictionary``)."""
    rows = np.concatenate(b.rows)
    policy: pa.Array = pa.DictionaryArray.from_arrays(pa.array(np.concatenate(b.policy_index), type=pa.int32()),
                                                      pa.array(b.policies, type=pa.string()))
    status: pa.Array = pa.DictionaryArray.from_arrays(
        pa.array((~np.concatenate(b.eligible)).astype(np.int8), type=pa.int8()), _STATUSES)
    if uscc_dict is not None and dictionary:
        uscc = pa.DictionaryArray.from_arrays(pa.array(rows.astype(np.int32), type=pa.int32()), uscc_dict)
    else:
        uscc = frame.uscc_arrow.take(pa.array(rows, type=pa.int64()))
    if not dictionary:
        policy, status = policy.dictionary_decode(), status.dictionary_decode()
    inf = np.concatenate(b.max_inf)
    return pa.RecordBatch.from_arrays(
        [uscc, policy, status, money_array(_cat(b.min_fen)), money_array(_cat(b.max_fen), inf)],
        names=RESULT_SCHEMA.names)


def result_batches(chunks: Iterable[MatchChunk], frame: ProfileFrame, *, batch_rows: int = 1 << 20,
                   dictionary: bool = True) -> Iterator[pa.RecordBatch]:
    """Chunks as Arrow record batches of at most about ``batch_rows`` rows."""
    b = _Batch()
    for c in chunks:
        b.add(c)
        if b.size >= batch_rows:
            yield record_batch(b, frame, dictionary=dictionary)
            b = _Batch()
    if b.size:
        yield record_batch(b, frame, dictionary=dictionary)


class ResultWriter:
    """Streams chunks to ``out`` (.parquet or .jsonl); use as a context manager, ``commit`` last."""

    def __init__(self, out: str | Path, frame: ProfileFrame, *, batch_rows: int = 1 << 20):
        self.out = Path(out)
        self.format = FORMATS.get(self.out.suffix.lower())
        if self.format is None:
            raise ValueError(f"{out}：输出文件应以 .jsonl 或 .parquet 结尾")
        folder = self.out.parent if str(self.out.parent) else Path(".")
        if not folder.is_dir():
            raise ValueError(f"{out}：输出目录不存在")
        self.frame = frame
        self.batch_rows = batch_rows
        self.count = 0
        fd, name = tempfile.mkstemp(prefix=f".{self.out.name}.", suffix=".tmp", dir=folder)
        self.tmp = Path(name)
        self._fh: Any = os.fdopen(fd, "wb")
        self._pq: Any = None
        self._batch = _Batch()
        self._done = False
        self._uscc_dict = uscc_dictionary(frame, batch_rows) if self.format == "parquet" else None
        # One thread turns gathered batches into Arrow and writes them (Arrow, Parquet and Polars
        # release the GIL) while the caller computes the next one; at most one batch waits for it.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="result-writer")
        self._pending: Future[None] | None = None
        self.write_cpu = 0.0  # CPU seconds of the writing thread (for benchmarks)

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abort()

    def write(self, chunk: MatchChunk) -> None:
        self._batch.add(chunk)
        if self._batch.size >= self.batch_rows:
            self._flush()

    def write_all(self, chunks: Iterable[MatchChunk]) -> int:
        for c in chunks:
            self.write(c)
        return self.count

    def _flush(self) -> None:
        b = self._batch
        if not b.size:
            return
        self._batch = _Batch()
        self.count += b.size
        self._wait()
        self._pending = self._pool.submit(self._write_batch, b)

    def _wait(self) -> None:
        """Until the batch being written is out; its error, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def _write_batch(self, b: _Batch) -> None:
        started = time.thread_time()
        try:
            self._write_batch_now(b)
        finally:
            self.write_cpu += time.thread_time() - started

    def _write_batch_now(self, b: _Batch) -> None:
        if self.format == "parquet":
            import pyarrow.parquet as pq

            batch = record_batch(b, self.frame, uscc_dict=self._uscc_dict)
            if self._pq is None:
                # Amounts are nearly all distinct: a dictionary attempt on them costs a fifth of the
                # write and the file hardly shrinks.
                self._pq = pq.ParquetWriter(self._fh, batch.schema, compression="zstd", store_schema=False,
                                            use_dictionary=["uscc", "policy", "status"],
                                            write_statistics=["policy", "status"])
            self._pq.write_batch(batch, row_group_size=b.size)
        else:
            self._write_jsonl(b)

    def _write_jsonl(self, b: _Batch) -> None:
        import polars as pl

        rows = np.concatenate(b.rows)
        inf = np.concatenate(b.max_inf)
        policies = pl.Series(b.policies, dtype=pl.Utf8)
        df = pl.DataFrame({
            "uscc": pl.from_arrow(self.frame.uscc_arrow.take(pa.array(rows, type=pa.int64()))),
            "policy": policies.gather(pl.Series(np.concatenate(b.policy_index))),
            "status": pl.Series(np.where(np.concatenate(b.eligible), STATUS_ELIGIBLE, STATUS_POSSIBLE),
                                dtype=pl.Utf8),
            "amount_min": _money_text(_cat(b.min_fen)),
            "amount_max": pl.select(pl.when(pl.Series(inf)).then(None)
                                    .otherwise(_money_text(_cat(b.max_fen)))).to_series(),
        })
        df.write_ndjson(self._fh)

    def commit(self) -> int:
        """Write what is left, close, and put the file in place; returns the rows written."""
        self._flush()
        self._wait()
        self._pool.shutdown()
        if self.format == "parquet" and self._pq is None:
            import pyarrow.parquet as pq

            self._pq = pq.ParquetWriter(self._fh, RESULT_SCHEMA, compression="zstd", store_schema=False)
        if self._pq is not None:
            self._pq.close()
        self._fh.close()
        os.replace(self.tmp, self.out)
        self._done = True
        return self.count

    def abort(self) -> None:
        self._done = True
        try:  # the writing thread must be done with the file before it is closed
            self._wait()
        except BaseException:
            pass
        self._pool.shutdown()
        try:
            if self._pq is not None:
                self._pq.close()
        except Exception:
            pass
        self._fh.close()
        self.tmp.unlink(missing_ok=True)
