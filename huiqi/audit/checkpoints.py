"""Signed checkpoints of the audit chain head, kept outside the database.

After each seal the sealer appends one line `{"seq", "hash", "at", "sig"}` to
`<HUIQI_AUDIT_CHECKPOINT_DIR>/audit-checkpoints.jsonl`, where `sig` is an HMAC with
HUIQI_AUDIT_KEY. Someone who can rewrite the database (delete the last rows and move the head
back, re-hash the chain, TRUNCATE) cannot rewrite what this file already says, so verification
compares the chain with every checkpoint. In production the directory belongs on storage the
database administrator cannot write (another host's mount, an append-only/WORM share).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

FILE_NAME = "audit-checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str


@dataclass
class Checkpoints:
    valid: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def checkpoint_path() -> Path:
    return Path(settings.HUIQI_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _signature(seq: int, digest: str, at: str) -> str:
    from .services import audit_key

    message = f"huiqi-audit-checkpoint|{seq}|{digest}|{at}".encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def checkpoint_append(*, seq: int, hash: str) -> Checkpoint:
    """Append one signed line (a single O_APPEND write, so concurrent sealers do not interleave)."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    at = timezone.now().isoformat()
    line = json.dumps({"seq": seq, "hash": hash, "at": at, "sig": _signature(seq, hash, at)}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return Checkpoint(seq=seq, hash=hash, at=at)


def checkpoints_read() -> Checkpoints:
    result = Checkpoints()
    path = checkpoint_path()
    if not path.exists():
        return result
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            point = Checkpoint(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]))
            signed = hmac.compare_digest(str(data["sig"]), _signature(point.seq, point.hash, point.at))
        except (ValueError, KeyError, TypeError):
            signed = False
        if not signed:
            result.problems.append(f"外部检查点文件第 {number} 行签名不符（检查点被改动）")
            continue
        result.valid.append(point)
    return result
