"""The worker seals the audit log every minute (and so anchors the head in a checkpoint)."""

from __future__ import annotations

from datetime import timedelta


def _seal() -> None:
    from .services import audit_seal

    audit_seal()


def register_jobs() -> None:
    from huiqi.matching.scheduling import Schedule, every, register

    register(Schedule("audit.seal", "每分钟 封存审计日志并写入签名检查点", every(timedelta(minutes=1)), _seal))
