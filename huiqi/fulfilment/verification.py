"""批量核验: re-check every pending application of one item against the credit lists (失信,
经营异常, 重大违法) and the rules, on current data, in one pass.

The profiles are loaded with a handful of queries (``iter_profiles`` prefetches figures,
qualifications and flags by chunk), put in one columnar ``ProfileFrame`` and matched by
``rules.batch`` in a single vectorised call. Only the rows the batch cannot settle from the
profile alone — those whose doubt is a declared ``input.*`` figure or a reviewer's check, and
those that fail (to say why) — are evaluated one by one with their declared figures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from huiqi.audit.services import audit_record
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import iter_profiles
from huiqi.policies.models import PolicyItem
from rules.batch import ProfileFrame, match_batch_chunks
from rules.evaluate import compile_item, evaluate
from rules.explain import explain, path_label
from rules.fields import FLAG_LABELS, INPUT_PREFIX

from .access import access_batch_verify
from .models import Application
from .workflow import WorkflowError

PENDING = (Application.Status.SUBMITTED, Application.Status.RETURNED)


@dataclass(frozen=True)
class VerificationRow:
    application_id: int
    reference: str
    enterprise: str
    uscc: str
    verdict: str  # pass 通过 | fail 不通过 | doubt 待核实
    reasons: tuple[str, ...]

    @property
    def verdict_label(self) -> str:
        return {"pass": "通过", "fail": "不通过", "doubt": "待核实"}[self.verdict]


@dataclass
class VerificationReport:
    item_code: str
    on: date
    total: int = 0
    seconds: float = 0.0
    rows: list[VerificationRow] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for r in self.rows if r.verdict == verdict)

    @property
    def count_pass(self) -> int:
        return self.count("pass")

    @property
    def count_fail(self) -> int:
        return self.count("fail")

    @property
    def count_doubt(self) -> int:
        return self.count("doubt")

    @property
    def problems(self) -> list[VerificationRow]:
        return [r for r in self.rows if r.verdict != "pass"]


def batch_verify(*, actor: Any, item: PolicyItem, today: date) -> VerificationReport:
    if not access_batch_verify(actor, item):
        raise WorkflowError("您没有该事项的批量核验权限")
    started = time.perf_counter()
    report = verify_pending(item=item, today=today)
    report.seconds = time.perf_counter() - started
    with transaction.atomic():
        audit_record(actor=actor, action="application.batch_verify", obj=item,
                     after={"total": report.total, "fail": report.count("fail"), "doubt": report.count("doubt"),
                            "seconds": round(report.seconds, 2)})
    return report


def verify_pending(*, item: PolicyItem, today: date) -> VerificationReport:
    item = PolicyItem.objects.select_related("document").get(pk=item.pk)
    report = VerificationReport(item_code=item.code, on=today)
    apps = list(Application.objects.filter(item=item, status__in=PENDING).order_by("pk").values_list(
        "pk", "enterprise_id", "inputs", "checks", "enterprise__uscc", "enterprise__name"))
    report.total = len(apps)
    if not apps:
        return report
    applicants = Enterprise.objects.filter(pk__in=Application.objects.filter(item=item, status__in=PENDING)
                                           .values("enterprise_id"))
    profiles = {p["uscc"]: p for p in iter_profiles(applicants)}
    frame = ProfileFrame.from_profiles(profiles.values(), on=today)
    row_of = {str(u): i for i, u in enumerate(frame.uscc.tolist())}
    rules_item = item.as_rules_item()
    compiled = compile_item(rules_item)
    status = ["ineligible"] * frame.n
    unknown: list[list[str]] = [[] for _ in range(frame.n)]
    for chunk in match_batch_chunks([compiled], frame, unknown_fields=True):
        for j, row in enumerate(chunk.rows.tolist()):
            status[row] = "eligible" if chunk.eligible[j] else "possible"
            unknown[row] = chunk.unknown_fields[j] if chunk.unknown_fields is not None else []
    listed = {name: frame.flags[name] for name in FLAG_LABELS if name in frame.flags}

    for pk, _ent, inputs, checks, uscc, name in apps:
        row = row_of[uscc]
        reasons = [f"列入{label}" for flag, label in FLAG_LABELS.items()
                   if flag in listed and int(listed[flag][row]) == 1]
        verdict = "pass"
        batch_status = status[row]
        needs_scalar = batch_status == "ineligible" or (
            batch_status == "possible" and any(p.startswith(INPUT_PREFIX) for p in unknown[row])) or (
            batch_status == "possible" and bool(checks))
        final_status, missing = batch_status, [p for p in unknown[row] if not p.startswith(INPUT_PREFIX)]
        if needs_scalar:
            ev = evaluate(rules_item, profiles[uscc], on=today, compiled=compiled,
                          inputs={k: Decimal(v) for k, v in (inputs or {}).items()}, checks=checks or {})
            final_status = ev.status
            if ev.status == "ineligible":
                reasons += [r.text for r in explain(ev, item=rules_item) if r.kind == "unmet"] or ["不符合申报条件"]
            missing = [p for p in ev.unknown_fields if not p.startswith(INPUT_PREFIX)]
        if final_status == "ineligible" or reasons:
            verdict = "fail"
        elif missing:
            verdict = "doubt"
            reasons = ["缺少数据：" + "、".join(path_label(p) for p in missing)]
        report.rows.append(VerificationRow(pk, f"SB{pk:08d}", name, uscc, verdict, tuple(dict.fromkeys(reasons))))
    return report
