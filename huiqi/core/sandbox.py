"""Run a parser of an uploaded file in a child process with a memory cap (RLIMIT_AS) and a
time limit, so a hostile file that slips past the up-front checks (a PDF bomb, a pathological
HTML page) costs one short-lived child and never the web or worker process.

The child is forked: it inherits the already-imported parsers (no start-up cost) and never
touches the database or the cache — it gets bytes and returns plain picklable values. It ends
with ``os._exit`` (multiprocessing's fork start method), so inherited database connections are
neither used nor closed by it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024  # on top of what the process already maps
DEFAULT_TIMEOUT_SECONDS = 60.0


class SandboxRefused(Exception):
    """The child ran out of memory or time, or died; ``str(exc)`` is a Chinese message."""


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
           memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    try:
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    except (ValueError, OSError):  # a platform without the limits: still isolated in a process
        pass
    try:
        result: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # the caller decides what each exception type means
        result = ("error", exc)
    try:
        conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    except Exception as exc:  # an exception that does not pickle: keep its message
        conn.send_bytes(pickle.dumps(("error", RuntimeError(str(exc)))))
    conn.close()


def run_limited(func: Callable[..., T], *args: Any, memory_bytes: int | None = None,
                timeout: float | None = None, what: str = "文件", **kwargs: Any) -> T:
    """Call ``func(*args, **kwargs)`` in a forked child under the limits and return its result.

    An exception raised by ``func`` is raised again here (same type and message); running out of
    memory or time raises ``SandboxRefused``. Without ``fork`` (not Linux/macOS) ``func`` runs
    in-process.
    """
    memory_bytes = DEFAULT_MEMORY_BYTES if memory_bytes is None else memory_bytes
    timeout = DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout
    if sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        return func(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, daemon=True,
                              args=(sender, func, args, kwargs, memory_bytes, max(1, int(timeout))))
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            process.kill()
            raise SandboxRefused(f"{what}解析超过 {timeout:.0f} 秒仍未完成，已中止；请检查文件或拆分后重新上传")
        try:
            status, payload = pickle.loads(receiver.recv_bytes())
        except (EOFError, OSError):
            status, payload = "died", None
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
    if status == "ok":
        return payload  # type: ignore[no-any-return]
    if status == "error":
        raise payload
    if status == "memory":
        raise SandboxRefused(f"{what}解析所需内存超过上限 {memory_bytes // (1024 * 1024)} MB，已中止；请检查文件是否异常")
    raise SandboxRefused(f"{what}解析进程异常退出，文件可能已损坏或含有恶意内容")
