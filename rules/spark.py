"""``huiqi match-batch --engine spark``: the same kernel on Apache Spark, partition by partition.

For the case one machine is outgrown (tens of millions of enterprises): Spark reads the profiles
(JSON lines as text, or Parquet of profile shape), partitions them by region, broadcasts the
validated policy items, and matches each partition with ``mapInArrow``: the partition's Arrow
batches become a ``ProfileFrame`` through the very reader of the single-machine path
(``rules.arrow_io``) and go through ``rules.batch.match_batch_chunks``; the chunks come back as
Arrow batches built by ``rules.results_io``. Spark writes them as a directory of Parquet part
files (one or more per partition), put in place only when the whole job succeeded.

Every (enterprise, item) pair is decided by that enterprise's own figures, so the union of the
partitions' rows is the single-machine output row for row (only the order differs).

Java comes from the system (Spark 4 needs Java 17 or later); ``--master`` takes any Spark master
URL: ``local[4]``, ``spark://host:7077``, ``yarn``, ``k8s://…``.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from rules.evaluate import CompiledItem

ROWS_PER_FRAME = 200_000


class SparkInputError(Exception):
    pass


_compiled: dict[str, list[CompiledItem]] = {}


def _items(bc: Any, token: str) -> list[CompiledItem]:
    """The broadcast items compiled once per Python worker process and run."""
    hit = _compiled.get(token)
    if hit is None:
        from rules.evaluate import compile_item

        hit = _compiled[token] = [compile_item(raw) for raw in bc.value]
    return hit


def _frame_of(batches: list[Any], on: date, text: bool) -> Any:
    import pyarrow as pa

    from rules.arrow_io import Irregular, frame_from_table, read_jsonl_buffer
    from rules.frame import ProfileFrame

    table = pa.Table.from_batches(batches)
    if not text:
        try:
            return frame_from_table(table, on=on, strict=True)
        except Irregular:
            return ProfileFrame.from_profiles(table.to_pylist(), on=on, strict=True)
    lines = table.column("value").to_pylist()
    data = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        t, _ = read_jsonl_buffer(pa.py_buffer(data))
        return frame_from_table(t, on=on, strict=True)
    except Irregular:
        import json

        return ProfileFrame.from_profiles([json.loads(line) for line in lines], on=on, strict=True)


def _partition_matcher(bc: Any, token: str, on: date, text: bool) -> Any:
    def match(batches: Iterator[Any]) -> Iterator[Any]:
        from rules.batch import AtomCache, match_batch_chunks
        from rules.results_io import result_batches

        items = _items(bc, token)
        pending: list[Any] = []
        rows = 0

        def run(group: list[Any]) -> Iterator[Any]:
            frame = _frame_of(group, on, text)
            if frame.n == 0:
                return
            chunks = match_batch_chunks(items, frame, cache=AtomCache(frame))
            yield from result_batches(chunks, frame, dictionary=False)

        for b in batches:
            pending.append(b)
            rows += b.num_rows
            if rows >= ROWS_PER_FRAME:
                yield from run(pending)
                pending, rows = [], 0
        if pending:
            yield from run(pending)

    return match


def _replace_dir(tmp: Path, out: Path) -> None:
    old: Path | None = None
    if out.exists() or out.is_symlink():
        old = out.with_name(f".{out.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(out, old)
    os.replace(tmp, out)
    if old is not None:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def spark_session(master: str | None) -> Any:
    import logging

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    logging.getLogger("py4j").setLevel(logging.ERROR)  # its shutdown chatter is not an error
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master or "local[*]").appName("huiqi match-batch")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50000")
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .getOrCreate())


def match_batch_spark(items: list[CompiledItem], enterprises: Path, *, on: date, out: Path,
                      master: str | None = None, partitions: int | None = None) -> int:
    """Match on Spark; ``out`` becomes a directory of Parquet part files. Returns the rows written."""
    if out.suffix.lower() != ".parquet":
        raise SparkInputError(f"{out}：Spark 引擎输出 Parquet 目录，文件名应以 .parquet 结尾")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise SparkInputError(f"{out}：输出目录不存在")
    if not enterprises.exists():
        raise SparkInputError(f"{enterprises}：文件不存在")
    from pyspark.sql import functions as F
    from pyspark.sql.types import DecimalType, StringType, StructField, StructType

    spark = spark_session(master)
    spark.sparkContext.setLogLevel("ERROR")
    tmp = folder / f".{out.name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        sc = spark.sparkContext
        bc = sc.broadcast([ci.raw for ci in items])
        text = enterprises.suffix.lower() != ".parquet"
        if text:
            df = spark.read.text(str(enterprises)).where(F.length(F.trim("value")) > 0)
            region = F.get_json_object("value", "$.region")
        else:
            df = spark.read.parquet(str(enterprises))
            region = F.col("region")
        df = df.repartition(partitions or max(2, sc.defaultParallelism), region)
        schema = StructType([StructField("uscc", StringType()), StructField("policy", StringType()),
                             StructField("status", StringType()), StructField("amount_min", DecimalType(38, 2)),
                             StructField("amount_max", DecimalType(38, 2))])
        result = df.mapInArrow(_partition_matcher(bc, uuid.uuid4().hex, on, text), schema)
        result.write.parquet(str(tmp))
        count = spark.read.parquet(str(tmp)).count()
        _replace_dir(tmp, out)
        return int(count)
    except Exception as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if type(e).__name__ in ("PythonException", "Py4JJavaError", "AnalysisException"):
            raise SparkInputError(f"Spark 作业失败：{_first_line(e)}") from None
        raise
    finally:
        spark.stop()


def _first_line(e: BaseException) -> str:
    text = str(e)
    for line in text.splitlines():
        if "FrameError" in line or "错误" in line or "第" in line:
            return line.strip()
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__
