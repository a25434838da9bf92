"""``match-batch --jobs N``: items matched by N forked processes, results in item order.

The frame is loaded once; ``fork`` shares it with the workers page by page (nothing is copied or
pickled). Items are cut into blocks dealt round-robin to the workers; each worker sends its
blocks' chunks back through its own pipe in order and the parent takes block 0 from worker 0,
block 1 from worker 1, … so the output is the single-process output row for row, and a worker is
never more than one block ahead of the writer (memory stays bounded). Each worker keeps its own
atom cache.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rules.batch import AtomCache, MatchChunk, match_batch_chunks
from rules.evaluate import CompiledItem
from rules.frame import ProfileFrame

BLOCK = 8


def _worker(conn: Any, items: Sequence[CompiledItem], frame: ProfileFrame, first: int, step: int, block: int) -> None:
    try:
        cache = AtomCache(frame)
        for start in range(first * block, len(items), step * block):
            part = items[start:start + block]
            conn.send(("ok", list(match_batch_chunks(part, frame, cache=cache)), len(part)))
    except BaseException as e:
        conn.send(("error", e, 0))
    finally:
        conn.close()


def match_batch_chunks_parallel(items: Sequence[CompiledItem], frame: ProfileFrame, *, jobs: int,
                                progress: Callable[[int], None] | None = None,
                                block: int = BLOCK) -> Iterator[MatchChunk]:
    """``match_batch_chunks`` over ``jobs`` processes, same chunks in the same order."""
    jobs = max(1, min(jobs, (len(items) + block - 1) // block))
    if jobs == 1 or not hasattr(os, "fork"):
        yield from match_batch_chunks(items, frame, progress=progress)
        return
    ctx = mp.get_context("fork")
    conns: list[Any] = []
    procs: list[Any] = []
    frame.uscc_arrow  # noqa: B018 - build shared columns before forking, not once per worker
    try:
        for w in range(jobs):
            parent, child = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_worker, args=(child, items, frame, w, jobs, block), daemon=True)
            p.start()
            child.close()
            conns.append(parent)
            procs.append(p)
        n_blocks = (len(items) + block - 1) // block
        for b in range(n_blocks):
            kind, payload, done = conns[b % jobs].recv()
            if kind == "error":
                raise payload
            yield from payload
            if progress is not None:
                progress(done)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        for c in conns:
            c.close()
