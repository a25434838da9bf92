"""Writes of the ingestion workflow: upload → drafts → edits → confirm (into the policy workflow)
or discard. Every write is one transaction with an audit event."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from huiqi.audit.services import audit_record
from huiqi.core.sandbox import SandboxRefused, run_limited
from huiqi.enterprises.models import Qualification
from huiqi.policies.models import Level, PolicyItem, SupportType
from huiqi.policies.services import policy_document_create, policy_item_create
from policytext import DocumentError, extract_document, read_document
from policytext.extract import LOW_CONFIDENCE, to_json

from .models import DraftItem, IngestBatch
from .validation import EDITABLE, Problem, batch_problems, clean_draft, confirm_problems

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
BATCH_FIELDS = ("title", "doc_number", "issuer", "level", "region", "issued_on", "valid_from", "valid_to")


class IngestError(Exception):
    """A refusal the officer must read (Chinese message naming the file or field)."""


class DraftInvalid(IngestError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(f"{p.path}：{p.message}" for p in problems))


def known_qualifications() -> set[str]:
    return set(Qualification.objects.values_list("code", flat=True))


def _catalogue() -> dict[str, list[str]]:
    return {code: [name, *(aliases or [])]
            for code, name, aliases in Qualification.objects.values_list("code", "name", "aliases")}


def _level_for(region: str | None, issuer: str | None) -> str:
    if not region:
        return Level.NATIONAL if issuer and re.search(r"(国务院|国家|部$|总局)", issuer) else ""
    if region.endswith("0000"):
        return Level.PROVINCE
    if region.endswith("00"):
        return Level.CITY
    return Level.COUNTY


_LABEL = re.compile(r"^\s*(第[^条]{1,6}条|[(（][^)）]{1,4}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[①-⑳])\s*")


def draft_title(clause_text: str) -> str:
    """A short working title from the clause's first words (the officer edits it)."""
    body = _LABEL.sub("", clause_text).strip()
    first = re.split(r"[。;；\n]", body, maxsplit=1)[0]
    if len(first) > 30:
        first = re.split(r"[,，:：]", first, maxsplit=1)[0]
    first = first.strip()
    return (first[:30] + "…") if len(first) > 30 else (first or body[:30])


def _window(window: Mapping[str, str] | None, key: str) -> date | None:
    if not window or not window.get(key):
        return None
    try:
        return date.fromisoformat(window[key])
    except ValueError:
        return None


def batch_upload(*, actor: Any, filename: str, data: bytes) -> IngestBatch:
    """Read, segment and draft a document; store it only when it could be read.

    Raises IngestError (nothing stored) for a wrong type, an oversized file, a scanned PDF."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise IngestError(f"“{name or '未命名文件'}”的类型不受支持：请上传 .txt、.html、.docx 或 .pdf 文件")
    if not data:
        raise IngestError(f"“{name}”是空文件")
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError(f"“{name}”超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请拆分后上传")
    if getattr(actor, "department_id", None) is None:
        raise IngestError("当前账号没有所属部门，不能上传政策文件")
    try:
        # The file is unpacked and parsed in a child with memory and time limits; the text it
        # returns is bounded (policytext.readers.MAX_TEXT_CHARS), so drafting runs here.
        document = run_limited(read_document, data, filename=name, what="政策文件")
        result = extract_document(document, catalogue=_catalogue())
    except (DocumentError, SandboxRefused) as exc:
        raise IngestError(f"“{name}”：{exc}") from exc
    meta = result.metadata
    region = meta.region_code or (getattr(actor, "region", "") or "")
    batch = IngestBatch(
        created_by=actor, department_id=actor.department_id, filename=name[:200],
        kind=suffix.lstrip("."), text=result.document.text,
        title=(meta.title or "")[:300], doc_number=(meta.doc_number or "")[:80], issuer=(meta.issuer or "")[:200],
        level=_level_for(meta.region_code, meta.issuer), region=region[:6], issued_on=meta.issued_on,
        valid_from=meta.valid_from, valid_to=meta.valid_to,
    )
    drafts: list[DraftItem] = []
    for position, extracted in enumerate(result.clauses, start=1):
        d, clause = extracted.draft, extracted.clause
        if d.reward is None and d.conditions is None:
            continue
        drafts.append(DraftItem(
            position=position, clause_path=clause.path[:60], clause_text=clause.text,
            clause_start=clause.start, clause_end=clause.end,
            spans=[{"element": s.element, "path": s.path, "start": s.start, "end": s.end} for s in d.spans],
            title=draft_title(clause.text)[:200], conditions=to_json(d.conditions), reward=to_json(d.reward),
            mode=d.mode or "", window_start=_window(d.window, "from"), window_end=_window(d.window, "to"),
            materials=list(d.materials), reviewing_departments=list(d.reviewing_departments),
            paying_department=(d.paying_department or "")[:100],
            proposed_qualifications=[dict(p) for p in d.proposed_qualifications],
            confidence=d.confidence, unmodelled=(d.unmodelled or "")[:200],
            doubts=[{"path": x.path, "label": x.label, "confidence": x.confidence, "reasons": list(x.reasons),
                     "low": x.confidence < LOW_CONFIDENCE} for x in d.doubts],
        ))
    with transaction.atomic():
        batch.source_file.save(name, ContentFile(data), save=False)
        batch.save()
        for draft in drafts:
            draft.batch = batch
        DraftItem.objects.bulk_create(drafts)
        audit_record(actor=actor, action="ingest.batch.upload", obj=batch,
                     after={"filename": name, "title": batch.title, "doc_number": batch.doc_number,
                            "drafts": len(drafts)})
    return batch


def _batch_snapshot(batch: IngestBatch) -> dict[str, Any]:
    return {k: getattr(batch, k) for k in BATCH_FIELDS}


def batch_update(*, actor: Any, batch: IngestBatch, **changes: Any) -> IngestBatch:
    """Edit the document metadata (before the document is created on first confirmation)."""
    unknown = set(changes) - set(BATCH_FIELDS)
    if unknown:
        raise TypeError(f"unknown batch fields: {sorted(unknown)}")
    if batch.document_id is not None:
        raise IngestError("已有事项确认入库，文件信息请在政策库中修改")
    if batch.status != IngestBatch.Status.OPEN:
        raise IngestError("该批次已结束，不能再修改")
    before = _batch_snapshot(batch)
    for key, value in changes.items():
        setattr(batch, key, value)
    try:
        batch.full_clean(exclude=["source_file", "text", "created_by", "department"])
    except ValidationError as exc:
        raise IngestError("；".join(f"{getattr(batch._meta.get_field(k), 'verbose_name', k)}：{'、'.join(v)}"
                                   for k, v in exc.message_dict.items())) from exc
    after = _batch_snapshot(batch)
    diff = [k for k in BATCH_FIELDS if before[k] != after[k]]
    with transaction.atomic():
        batch.save()
        audit_record(actor=actor, action="ingest.batch.update", obj=batch,
                     before={k: before[k] for k in diff}, after={k: after[k] for k in diff})
    return batch


def _draft_snapshot(draft: DraftItem) -> dict[str, Any]:
    return {k: getattr(draft, k) for k in EDITABLE}


def _ensure_editable(draft: DraftItem) -> None:
    if draft.status != DraftItem.Status.DRAFT:
        raise IngestError(f"条款{draft.clause_path}的草稿已{draft.get_status_display()}，不能再修改")


def draft_update(*, actor: Any, draft: DraftItem, payload: Mapping[str, Any]) -> list[Problem]:
    """Save the elements in ``payload`` (keys of validation.EDITABLE); returns the rule problems
    still open. A draft may be saved with problems (work in progress) but not confirmed."""
    _ensure_editable(draft)
    unknown = set(payload) - set(EDITABLE)
    if unknown:
        raise IngestError(f"未知的要素：{'、'.join(sorted(unknown))}")
    changes, problems = clean_draft(payload, known_qualifications=known_qualifications())
    for key, value in changes.items():
        limit = getattr(DraftItem._meta.get_field(key), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            label = DraftItem._meta.get_field(key).verbose_name  # type: ignore[union-attr]
            raise ValidationError(f"“{label}”不能超过 {limit} 字（收到 {len(value):,} 字），未保存")
    before = _draft_snapshot(draft)
    for key, value in changes.items():
        setattr(draft, key, value)
    after = _draft_snapshot(draft)
    diff = [k for k in EDITABLE if before[k] != after[k]]
    if diff:
        with transaction.atomic():
            draft.save()
            audit_record(actor=actor, action="ingest.draft.update", obj=draft,
                         before={k: before[k] for k in diff}, after={k: after[k] for k in diff},
                         detail=f"{len(problems)} 个待修正问题" if problems else "")
    return problems


def _unique_code(batch: IngestBatch, draft: DraftItem) -> str:
    base = f"doc{batch.document_id}-{draft.position}"
    code, n = base, 1
    while PolicyItem.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _ensure_document(*, actor: Any, batch: IngestBatch) -> None:
    if batch.document_id is not None:
        return
    problems = batch_problems(batch)
    if problems:
        raise DraftInvalid(problems)
    with batch.source_file.open("rb") as handle:
        content = ContentFile(handle.read(), name=Path(batch.source_file.name).name)
    document = policy_document_create(
        actor=actor, title=batch.title, issuer=batch.issuer, level=batch.level, region=batch.region,
        doc_number=batch.doc_number, department=batch.department, issued_on=batch.issued_on,
        effective_from=batch.valid_from, effective_to=batch.valid_to, text=batch.text, source_file=content,
    )
    batch.document = document
    batch.save(update_fields=["document", "updated_at"])


def _close_if_finished(batch: IngestBatch) -> None:
    if not batch.drafts.filter(status=DraftItem.Status.DRAFT).exists():
        batch.status = IngestBatch.Status.DONE
        batch.save(update_fields=["status", "updated_at"])


def draft_confirm(*, actor: Any, draft: DraftItem) -> PolicyItem:
    """Turn a valid draft into a PolicyItem in status draft (a reviewer reviews and publishes it).

    Raises DraftInvalid naming each problem; nothing is written then."""
    _ensure_editable(draft)
    problems = confirm_problems(draft, known_qualifications=known_qualifications())
    if problems:
        raise DraftInvalid(problems)
    batch = draft.batch
    with transaction.atomic():
        _ensure_document(actor=actor, batch=batch)
        assert batch.document is not None
        reward: dict[str, Any] = dict(draft.reward or {})
        item = policy_item_create(
            actor=actor, document=batch.document, code=_unique_code(batch, draft), title=draft.title,
            mode=draft.mode, conditions=draft.conditions if draft.conditions is not None else {"always": True},
            reward=reward, clause_path=draft.clause_path, clause_text=draft.clause_text,
            region=batch.region, department=batch.department,
            support_type=SupportType.SERVICE if isinstance(reward, dict) and "none" in reward else SupportType.SUBSIDY,
            window_start=draft.window_start, window_end=draft.window_end,
            valid_from=batch.valid_from, valid_to=batch.valid_to, materials=list(draft.materials),
            reviewing_department="、".join(draft.reviewing_departments)[:100],
            paying_department=draft.paying_department, budget=draft.budget,
            per_enterprise_cap=draft.per_enterprise_cap, exclusive_group=draft.exclusive_group,
        )
        draft.status = DraftItem.Status.CONFIRMED
        draft.policy_item = item
        draft.save(update_fields=["status", "policy_item", "updated_at"])
        audit_record(actor=actor, action="ingest.draft.confirm", obj=draft,
                     before={"status": DraftItem.Status.DRAFT},
                     after={"status": DraftItem.Status.CONFIRMED, "policy_item": item.code})
        _close_if_finished(batch)
    return item


@dataclass
class ConfirmReport:
    confirmed: list[PolicyItem] = field(default_factory=list)
    refused: list[tuple[DraftItem, list[Problem]]] = field(default_factory=list)


def batch_confirm_valid(*, actor: Any, batch: IngestBatch) -> ConfirmReport:
    """Confirm every draft that is valid; the rest stay as drafts with their reasons."""
    report = ConfirmReport()
    problems = batch_problems(batch)
    drafts = list(batch.drafts.filter(status=DraftItem.Status.DRAFT).select_related("batch"))
    if problems:
        report.refused = [(d, problems) for d in drafts]
        return report
    for draft in drafts:
        try:
            report.confirmed.append(draft_confirm(actor=actor, draft=draft))
        except DraftInvalid as exc:
            report.refused.append((draft, exc.problems))
    return report


def draft_discard(*, actor: Any, draft: DraftItem) -> DraftItem:
    _ensure_editable(draft)
    with transaction.atomic():
        draft.status = DraftItem.Status.DISCARDED
        draft.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="ingest.draft.discard", obj=draft,
                     before={"status": DraftItem.Status.DRAFT}, after={"status": DraftItem.Status.DISCARDED})
        _close_if_finished(draft.batch)
    return draft


def batch_discard(*, actor: Any, batch: IngestBatch) -> IngestBatch:
    """Give up the remaining drafts of a batch (confirmed items stay in the policy workflow)."""
    if batch.status != IngestBatch.Status.OPEN:
        raise IngestError("该批次已结束")
    with transaction.atomic():
        n = batch.drafts.filter(status=DraftItem.Status.DRAFT).update(status=DraftItem.Status.DISCARDED)
        batch.status = IngestBatch.Status.DISCARDED if batch.document_id is None else IngestBatch.Status.DONE
        batch.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="ingest.batch.discard", obj=batch,
                     before={"status": IngestBatch.Status.OPEN}, after={"status": batch.status, "discarded": n})
    return batch


# -- the optional language-model adapter -----------------------------------------------------

def draft_suggest(*, actor: Any, draft: DraftItem, url: str, model: str, api_key: str = "",
                  timeout: float = 30.0) -> dict[str, Any]:
    """Ask the configured model to re-draft the clause; keep its output as a suggestion only
    when it passes the same validation. Raises IngestError with the reason otherwise."""
    from policytext.llm import LlmError, redraft_clause

    _ensure_editable(draft)
    try:
        suggestion = redraft_clause(text=draft.clause_text, url=url, model=model, api_key=api_key,
                                    timeout=timeout, known_qualifications=known_qualifications(),
                                    clause_id=draft.clause_path or None)
    except LlmError as exc:
        with transaction.atomic():
            audit_record(actor=actor, action="ingest.draft.suggest", obj=draft, result="error", detail=str(exc)[:500])
        raise IngestError(str(exc)) from exc
    data = suggestion.as_json()
    with transaction.atomic():
        draft.suggestion = data
        draft.save(update_fields=["suggestion", "updated_at"])
        audit_record(actor=actor, action="ingest.draft.suggest", obj=draft, after=data)
    return data


def draft_suggestion_decide(*, actor: Any, draft: DraftItem, accept: bool) -> list[Problem]:
    """Accept (the suggestion replaces conditions, reward and mode, audited as an edit) or reject."""
    _ensure_editable(draft)
    suggestion = draft.suggestion
    if not suggestion:
        raise IngestError("没有待处理的大模型建议")
    problems: list[Problem] = []
    with transaction.atomic():
        if accept:
            payload: dict[str, Any] = {"conditions": suggestion.get("conditions"), "reward": suggestion.get("reward")}
            if suggestion.get("mode"):
                payload["mode"] = suggestion["mode"]
            problems = draft_update(actor=actor, draft=draft, payload=payload)
        draft.suggestion = None
        draft.save(update_fields=["suggestion", "updated_at"])
        audit_record(actor=actor, action="ingest.draft.suggestion_accept" if accept else "ingest.draft.suggestion_reject", obj=draft)
    return problems
