from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from huiqi.accounts.access import access_audit_log
from huiqi.core.access_views import require
from huiqi.core.masking import mask_ip, mask_personal_text
from huiqi.core.spreadsheets import xlsx_response

from .models import AuditEvent
from .selectors import audit_events
from .services import audit_record, audit_verify
from .words import ACTION_WORDS, SUBJECTS, action_words, subject_of

FILTERS = ("action", "actor", "object_id", "start", "end")
EXPORT_LIMIT = 100_000  # one sheet; a wider range is narrowed with the date filters


@dataclass(frozen=True)
class AuditRow:
    """One event as the auditor reads it: the action in words, personal numbers in the texts
    masked. The client address shows in full on the page (the auditor's own investigation) and
    masked in an export, which leaves the platform."""

    pk: int
    at: Any
    actor: str
    action: str
    subject: str
    result: str
    result_ok: bool
    client_ip: str
    detail: str

    @classmethod
    def of(cls, event: AuditEvent) -> AuditRow:
        return cls(pk=event.pk, at=timezone.localtime(event.at), actor=event.actor_label,
                   action=action_words(event.action),
                   subject=mask_personal_text(event.object_repr or event.object_id),
                   result=event.get_result_display(), result_ok=event.result == AuditEvent.Result.OK,
                   client_ip=event.client_ip, detail=mask_personal_text(event.detail))


def _date(text: str) -> date | None:
    return parse_date(text) if text else None


def _action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The filter's choices: per kind of object, "all of them" and then each action, in words."""
    groups: dict[str, list[tuple[str, str]]] = {key: [(f"{key}.", f"全部{label}操作")] for key, label in SUBJECTS.items()}
    for code, words in ACTION_WORDS.items():
        if subject_of(code):
            groups[subject_of(code)].append((code, words))
    return [(SUBJECTS[key], choices) for key, choices in groups.items()]


def audit_log(request: HttpRequest) -> HttpResponse:
    """The log with filters; ``?format=xlsx`` exports what the filters select (and is itself
    recorded in the log)."""
    require(request, access_audit_log(request.user))
    filters = {k: request.GET.get(k, "").strip() for k in FILTERS}
    events = audit_events(viewer=request.user, action=filters["action"], actor=filters["actor"],
                          object_id=filters["object_id"], start=_date(filters["start"]), end=_date(filters["end"]))
    if request.GET.get("format") == "xlsx":
        return _export(request, events, filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = audit_verify() if request.GET.get("verify") else None
    export_query = request.GET.copy()
    for key in ("page", "verify"):
        export_query.pop(key, None)
    export_query["format"] = "xlsx"
    return render(request, "audit/log.html", {
        "page": page, "rows": [AuditRow.of(e) for e in page.object_list], "filters": filters,
        "verification": verification, "action_choices": _action_choices(),
        "export_query": export_query.urlencode(),
    })


def _export(request: HttpRequest, events: Any, filters: dict[str, str]) -> HttpResponse:
    selected = list(events[:EXPORT_LIMIT])
    described = "；".join(f"{label}：{filters[key]}" for key, label in (
        ("action", "事件"), ("actor", "操作人"), ("object_id", "对象标识"), ("start", "起"), ("end", "止"))
        if filters[key]) or "无筛选条件"
    audit_record(actor=request.user, action="audit.export", object_type="audit.auditevent",
                 object_repr=f"导出审计日志 {len(selected)} 条", detail=described)
    rows = (AuditRow.of(e) for e in selected)
    return xlsx_response(
        f"审计日志-{timezone.localdate():%Y%m%d}.xlsx", "审计日志",
        ["序号", "时间", "操作人", "事件", "对象", "结果", "来源地址", "说明"],
        ([r.pk, r.at.strftime("%Y-%m-%d %H:%M:%S"), r.actor, r.action, r.subject, r.result, mask_ip(r.client_ip), r.detail]
         for r in rows))
