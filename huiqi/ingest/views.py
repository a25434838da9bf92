"""Pages of 政策颗粒化: upload, the review page (clauses left, drafted items right) and the JSON
endpoints its script calls (validate while typing, save, code pickers, catalogue entries, the
optional model suggestion)."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from huiqi.accounts.access import access_qualification_catalogue_edit
from huiqi.core.jsonbody import JsonRefused, load_json
from huiqi.enterprises.models import Qualification
from huiqi.enterprises.services import qualification_create
from policytext.extract import LOW_CONFIDENCE

from . import selectors, services
from .models import DraftItem, IngestBatch
from .validation import Problem, batch_problems, clean_draft, completeness_problems, draft_problems


def _require_officer(request: HttpRequest) -> None:
    if not selectors.can_ingest(request.user):
        raise PermissionDenied("政策解析仅对有所属部门的政策专员开放")


def _batch(request: HttpRequest, pk: int) -> IngestBatch:
    _require_officer(request)
    batch = selectors.batch_for_viewer(viewer=request.user, pk=pk)
    if batch is None:
        raise Http404("没有找到该解析批次，或它不属于你的部门")
    return batch


def _draft(request: HttpRequest, batch_pk: int, pk: int) -> DraftItem:
    _require_officer(request)
    draft = selectors.draft_for_viewer(viewer=request.user, batch_pk=batch_pk, pk=pk)
    if draft is None:
        raise Http404("没有找到该事项草稿")
    return draft


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = load_json(request.body)
    except JsonRefused as exc:
        raise ValidationError(str(exc)) from exc
    if not isinstance(data, dict):
        raise ValidationError("请求内容应为 JSON 对象")
    return data


def _problems(problems: list[Problem]) -> list[dict[str, str]]:
    return [p.as_json() for p in problems]


def llm_settings() -> tuple[str, str, str]:
    """(url, model, key) from settings or the environment; empty strings when not configured."""
    url = getattr(settings, "HUIQI_LLM_URL", None) or os.environ.get("HUIQI_LLM_URL", "")
    model = getattr(settings, "HUIQI_LLM_MODEL", None) or os.environ.get("HUIQI_LLM_MODEL", "")
    key = getattr(settings, "HUIQI_LLM_KEY", None) or os.environ.get("HUIQI_LLM_KEY", "")
    return str(url), str(model), str(key)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    error = ""
    if request.method == "POST":
        upload_file = request.FILES.get("file")
        if upload_file is None:
            error = "请选择要上传的政策文件"
        elif upload_file.size and upload_file.size > services.MAX_UPLOAD_BYTES:
            error = f"“{upload_file.name}”超过 {services.MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请拆分后上传"
        else:
            try:
                batch = services.batch_upload(actor=request.user, filename=upload_file.name or "",
                                              data=upload_file.read())
            except services.IngestError as exc:
                error = str(exc)
            else:
                n = batch.drafts.count()
                messages.success(request, f"已解析“{batch}”，起草了 {n} 个事项，请逐项核对后确认")
                return HttpResponseRedirect(reverse("ingest:review", args=[batch.pk]))
    batches = selectors.batches_for_viewer(viewer=request.user)[:50]
    return render(request, "ingest/upload.html", {"batches": batches, "error": error,
                                                  "max_mb": services.MAX_UPLOAD_BYTES // (1024 * 1024)},
                  status=400 if error else 200)


def _draft_state(draft: DraftItem) -> dict[str, Any]:
    return {
        "id": draft.pk, "title": draft.title, "conditions": draft.conditions, "reward": draft.reward,
        "mode": draft.mode, "window_start": draft.window_start.isoformat() if draft.window_start else "",
        "window_end": draft.window_end.isoformat() if draft.window_end else "",
        "materials": draft.materials, "reviewing_departments": draft.reviewing_departments,
        "paying_department": draft.paying_department,
        "budget": str(draft.budget) if draft.budget is not None else "",
        "per_enterprise_cap": str(draft.per_enterprise_cap) if draft.per_enterprise_cap is not None else "",
        "exclusive_group": draft.exclusive_group, "proposed": draft.proposed_qualifications,
        "suggestion": draft.suggestion, "status": draft.status,
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    drafts = list(batch.drafts.select_related("policy_item").order_by("position"))
    # The officer's time goes where the extractor is unsure: open drafts with a low-confidence
    # element first (least sure first), then the rest in document order.
    drafts.sort(key=lambda d: (0, d.confidence, d.position)
                if d.status == DraftItem.Status.DRAFT and d.confidence < LOW_CONFIDENCE else (1, 0.0, d.position))
    known = services.known_qualifications()
    rows = []
    for draft in drafts:
        problems = (draft_problems(draft, known_qualifications=known)
                    if draft.status == DraftItem.Status.DRAFT else [])
        rows.append({"draft": draft, "segments": selectors.highlight(draft.clause_text, draft.spans),
                     "problems": problems, "low": draft.confidence < LOW_CONFIDENCE,
                     "doubts": [x for x in (draft.doubts or []) if x.get("reasons")]})
    state = {str(d.pk): _draft_state(d) for d in drafts}
    url, model, _key = llm_settings()
    vocab = selectors.vocabulary()
    vocab["code_names"] = selectors.code_names([[d.conditions, d.reward] for d in drafts])
    return render(request, "ingest/review.html", {
        "batch": batch, "rows": rows, "batch_problems": batch_problems(batch), "state": state, "vocab": vocab,
        "legend": selectors.ELEMENT_LABELS, "levels": vocab["levels"],
        "region_name": selectors.code_name(kind="region", code=batch.region) if batch.region else "",
        "open_count": sum(1 for d in drafts if d.status == DraftItem.Status.DRAFT),
        "llm_enabled": bool(url and model), "editable": batch.status == IngestBatch.Status.OPEN,
    })


def _parse_date(value: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise services.IngestError(f"{label}需要日期（YYYY-MM-DD），得到“{value}”") from exc


@login_required
@require_POST
def batch_meta(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    p = request.POST
    try:
        services.batch_update(
            actor=request.user, batch=batch, title=p.get("title", "").strip(), doc_number=p.get("doc_number", "").strip(),
            issuer=p.get("issuer", "").strip(), level=p.get("level", ""), region=p.get("region", "").strip(),
            issued_on=_parse_date(p.get("issued_on", ""), "发布日期"),
            valid_from=_parse_date(p.get("valid_from", ""), "施行日期"),
            valid_to=_parse_date(p.get("valid_to", ""), "有效期至"),
        )
    except services.IngestError as exc:
        messages.error(request, f"文件信息未保存：{exc}")
    else:
        messages.success(request, "文件信息已保存")
    return HttpResponseRedirect(reverse("ingest:review", args=[batch.pk]))


@login_required
@require_POST
def draft_validate(request: HttpRequest, pk: int, item: int) -> JsonResponse:
    """Checks what the officer is typing; writes nothing."""
    _draft(request, pk, item)
    try:
        payload = _json_body(request)
    except ValidationError as exc:
        return JsonResponse({"errors": [{"path": "", "message": exc.messages[0]}]}, status=400)
    _changes, problems = clean_draft(payload, known_qualifications=services.known_qualifications())
    return JsonResponse({"errors": _problems(problems + completeness_problems(payload))})


@login_required
@require_POST
def draft_save(request: HttpRequest, pk: int, item: int) -> JsonResponse:
    draft = _draft(request, pk, item)
    try:
        payload = _json_body(request)
        problems = services.draft_update(actor=request.user, draft=draft, payload=payload)
        problems += completeness_problems(payload)
    except ValidationError as exc:
        return JsonResponse({"saved": False, "errors": [{"path": "", "message": exc.messages[0]}]}, status=400)
    except services.IngestError as exc:
        return JsonResponse({"saved": False, "errors": [{"path": "", "message": str(exc)}]}, status=409)
    return JsonResponse({"saved": True, "errors": _problems(problems), "state": _draft_state(draft)})


@login_required
@require_POST
def draft_confirm(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    draft = _draft(request, pk, item)
    try:
        policy = services.draft_confirm(actor=request.user, draft=draft)
    except services.DraftInvalid as exc:
        reasons = "；".join(p.message for p in exc.problems[:6])
        messages.error(request, f"条款{draft.clause_path}“{draft.title}”未能确认：{reasons}")
    except (services.IngestError, ValidationError) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"条款{draft.clause_path}“{draft.title}”未能确认：{text}")
    else:
        messages.success(request, f"“{policy.title}”已进入政策库（草稿，待审核），可在“事项管理”中查看")
    return HttpResponseRedirect(reverse("ingest:review", args=[pk]) + f"#draft-{draft.pk}")


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    report = services.batch_confirm_valid(actor=request.user, batch=batch)
    if report.confirmed:
        messages.success(request, f"已确认 {len(report.confirmed)} 个事项，进入政策库待审核")
    for draft, problems in report.refused:
        messages.error(request, f"条款{draft.clause_path}“{draft.title}”未确认：{'；'.join(p.message for p in problems[:4])}")
    if not report.confirmed and not report.refused:
        messages.warning(request, "没有待确认的事项")
    return HttpResponseRedirect(reverse("ingest:review", args=[pk]))


@login_required
@require_POST
def draft_discard(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    draft = _draft(request, pk, item)
    try:
        services.draft_discard(actor=request.user, draft=draft)
    except services.IngestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已放弃条款{draft.clause_path}的草稿")
    return HttpResponseRedirect(reverse("ingest:review", args=[pk]))


@login_required
@require_POST
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        services.batch_discard(actor=request.user, batch=batch)
    except services.IngestError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("ingest:review", args=[pk]))
    messages.success(request, f"已放弃“{batch}”中未确认的草稿")
    return HttpResponseRedirect(reverse("ingest:upload"))


@login_required
@require_POST
def draft_suggest(request: HttpRequest, pk: int, item: int) -> JsonResponse:
    draft = _draft(request, pk, item)
    url, model, key = llm_settings()
    if not (url and model):
        return JsonResponse({"error": "未配置大模型服务，请使用规则草稿"}, status=404)
    try:
        timeout = float(getattr(settings, "HUIQI_LLM_TIMEOUT", None) or os.environ.get("HUIQI_LLM_TIMEOUT", "30"))
    except ValueError:
        timeout = 30.0
    try:
        suggestion = services.draft_suggest(actor=request.user, draft=draft, url=url, model=model, api_key=key,
                                            timeout=timeout)
    except services.IngestError as exc:
        return JsonResponse({"error": str(exc)}, status=502)
    return JsonResponse({"suggestion": suggestion})


@login_required
@require_POST
def draft_suggestion(request: HttpRequest, pk: int, item: int, decision: str) -> JsonResponse:
    draft = _draft(request, pk, item)
    if decision not in ("accept", "reject"):
        raise Http404("未知操作")
    try:
        problems = services.draft_suggestion_decide(actor=request.user, draft=draft, accept=decision == "accept")
    except services.IngestError as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    return JsonResponse({"errors": _problems(problems), "state": _draft_state(draft)})


@login_required
@require_GET
def codes(request: HttpRequest) -> JsonResponse:
    _require_officer(request)
    kind = request.GET.get("kind", "")
    if kind not in ("region", "industry"):
        return JsonResponse({"results": []}, status=400)
    return JsonResponse({"results": selectors.code_options(kind=kind, query=request.GET.get("q", ""))})


@login_required
@require_POST
def qualification_add(request: HttpRequest) -> JsonResponse:
    """The officer adds a proposed designation to the catalogue from the review page."""
    if not access_qualification_catalogue_edit(request.user):
        raise PermissionDenied("只有政策专员可以维护资质目录")
    try:
        data = _json_body(request)
    except ValidationError as exc:
        return JsonResponse({"errors": [{"path": "", "message": exc.messages[0]}]}, status=400)
    code = str(data.get("code", "")).strip()
    name = str(data.get("name", "")).strip()
    level = str(data.get("level", "")).strip() or Qualification.Level.OTHER
    years = data.get("validity_years")
    if Qualification.objects.filter(code=code).exists():
        return JsonResponse({"errors": [{"path": "code", "message": f"资质代码“{code}”已在目录中"}]}, status=400)
    try:
        entry = qualification_create(actor=request.user, code=code, name=name, level=level,
                                     validity_years=int(str(years)) if years not in (None, "") else None,
                                     aliases=[name] if name else [])
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
            labels = {"code": "代码", "name": "名称", "level": "认定层级", "validity_years": "通常有效期"}
            errors = [{"path": k, "message": f"{labels.get(k, k)}：{'、'.join(v)}"} for k, v in exc.message_dict.items()]
        else:
            errors = [{"path": "validity_years", "message": "通常有效期应为整数（年）"}]
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse({"code": entry.code, "name": entry.name, "qualifications": selectors.qualification_options()})
