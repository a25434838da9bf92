"""JSON API for applications (enterprises: list, create, submit) and reviews (reviewers and
finance: their queue, decide a node). Session auth with CSRF (django_auth); every object goes
through the same access_* checks as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from huiqi.accounts.access import access_own_enterprise_pages
from huiqi.core.apiparams import ObjectId, PageNumber
from huiqi.core.files import FileRefused
from huiqi.policies.models import PolicyItem

from . import selectors, services
from .access import access_application_edit, access_step_decide, access_work_queue
from .evaluation import check_texts, parse_inputs
from .models import Application, ReviewStep
from .schemas import ApplicationIn, ApplicationOut, DecisionIn, ErrorOut, ReviewOut
from .services import FormErrors
from .workflow import WorkflowConflict, WorkflowError

router = Router(tags=["申报审核"], auth=django_auth)
MAX_PAGE = 200


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _application_out(app: Application) -> dict[str, Any]:
    step = next((s for s in app.steps.all() if s.index == app.node_index), None)
    open_step = step if step is not None and step.outcome == ReviewStep.Outcome.OPEN else None
    return {
        "id": app.pk, "reference": app.reference, "item_code": app.item.code, "item_title": app.item.title,
        "enterprise": app.enterprise.name, "uscc": app.enterprise.uscc, "period": app.period,
        "status": app.status, "status_label": app.get_status_display(), "node_index": app.node_index,
        "current_node": open_step.name if open_step else None, "due_at": open_step.due_at if open_step else None,
        "colour": open_step.colour if open_step else None, "inputs": app.inputs or {},
        "amount_min": _money(app.amount_min), "amount_max": _money(app.amount_max),
        "amount_approved": _money(app.amount_approved), "submitted_at": app.submitted_at,
        "cash_due_on": app.cash_due_on,
    }


def _review_out(step: ReviewStep) -> dict[str, Any]:
    app = step.application
    return {
        "id": step.pk, "application_id": app.pk, "reference": app.reference, "enterprise": app.enterprise.name,
        "item_code": app.item.code, "item_title": app.item.title, "node": step.name, "node_index": step.index,
        "department": step.department, "started_on": step.started_on, "due_at": step.due_at, "colour": step.colour,
        "colour_label": step.get_colour_display(), "checks": check_texts(app.item),
        "amount_min": _money(app.amount_min), "amount_max": _money(app.amount_max),
    }


def _own_application(request: HttpRequest, application_id: ObjectId) -> Application:
    app = get_object_or_404(Application.objects.select_related("item__document", "enterprise"), pk=application_id)
    if not access_application_edit(request.user, app):
        raise HttpError(403, "只能办理本企业的申报")
    return app


@router.get("/applications", response=list[ApplicationOut], summary="申报列表：企业看本企业，政府用户看辖区")
def application_list(request: HttpRequest, status: str = "", offset: PageNumber = 0, limit: PageNumber = 50) -> list[dict[str, Any]]:
    qs = selectors.applications_for(viewer=request.user, status=status).prefetch_related("steps")
    limit = max(1, min(limit, MAX_PAGE))
    return [_application_out(a) for a in qs[max(offset, 0):max(offset, 0) + limit]]


@router.post("/applications", response={201: ApplicationOut, 400: ErrorOut, 403: ErrorOut},
             summary="新建申报草稿（企业用户），可同时填报数据和承诺")
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    if not access_own_enterprise_pages(request.user):
        return Status(403, {"detail": "仅企业用户可以申报"})
    item = PolicyItem.objects.filter(code=payload.item_code).first()
    if item is None:
        return Status(400, {"detail": f"事项编码“{payload.item_code}”不存在", "errors": {"item_code": "事项不存在"}})
    _, errors = parse_inputs(item, payload.inputs)
    if errors:  # refuse before creating anything
        return Status(400, {"detail": "；".join(errors.values()), "errors": errors})
    now = timezone.now()
    try:
        app = services.application_create(actor=request.user, item=item, now=now)
        services.application_save(actor=request.user, application=app, inputs=payload.inputs,
                                  commitments=payload.commitments, now=now)
    except FormErrors as e:
        return Status(400, {"detail": str(e), "errors": e.errors})
    except WorkflowError as e:
        return Status(400, {"detail": str(e)})
    return Status(201, _application_out(app))


@router.post("/applications/{application_id}/materials", response={201: dict[str, Any], 400: ErrorOut},
             summary="上传申报材料（PDF、JPG、PNG、DOCX、XLSX，不超过 10 MB）")
def material_upload(request: HttpRequest, application_id: ObjectId, label: Form[str],
                    file: File[UploadedFile]) -> Status[dict[str, Any]]:
    app = _own_application(request, application_id)
    try:
        material = services.material_add(actor=request.user, application=app, label=label, upload=file,
                                         now=timezone.now())
    except (FileRefused, WorkflowError) as e:
        return Status(400, {"detail": str(e)})
    return Status(201, {"id": material.pk, "label": material.label, "name": material.original_name, "size": material.size})


@router.post("/applications/{application_id}/submit", response={200: ApplicationOut, 400: ErrorOut, 409: ErrorOut},
             summary="提交申报（或提交补正）")
def application_submit(request: HttpRequest, application_id: ObjectId) -> Status[dict[str, Any]]:
    app = _own_application(request, application_id)
    try:
        if app.status == Application.Status.RETURNED:
            services.application_resubmit(actor=request.user, application=app, now=timezone.now())
        else:
            services.application_submit(actor=request.user, application=app, now=timezone.now())
    except FormErrors as e:
        return Status(400, {"detail": str(e), "errors": e.errors})
    except WorkflowConflict as e:
        return Status(409, {"detail": str(e)})
    except WorkflowError as e:
        return Status(400, {"detail": str(e)})
    return Status(200, _application_out(app))


@router.get("/reviews", response=list[ReviewOut], summary="审核待办：本人可办理的环节，可按红黄灯筛选")
def review_list(request: HttpRequest, colour: str = "", scope: str = "mine", offset: PageNumber = 0,
                limit: PageNumber = 50) -> list[dict[str, Any]]:
    if not access_work_queue(request.user):
        raise HttpError(403, "仅政府工作人员可以查看审核待办")
    qs = selectors.work_queue(viewer=request.user, scope="all" if scope == "all" else "mine", colour=colour)
    limit = max(1, min(limit, MAX_PAGE))
    return [_review_out(s) for s in qs[max(offset, 0):max(offset, 0) + limit]]


@router.post("/reviews/{step_id}/decide", response={200: ApplicationOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
             summary="审核决定：通过、退回补正或不予通过（可认定审核事项、核定金额）")
def review_decide(request: HttpRequest, step_id: ObjectId, payload: DecisionIn) -> Status[dict[str, Any]]:
    step = get_object_or_404(ReviewStep.objects.select_related("application__item", "application__enterprise"),
                             pk=step_id)
    if not access_step_decide(request.user, step):
        return Status(403, {"detail": f"您没有“{step.name}”环节的审核权限"})
    app = step.application
    if app.node_index != step.index or step.outcome != ReviewStep.Outcome.OPEN:
        return Status(409, {"detail": "该环节已办理，请刷新后查看最新状态"})
    now = timezone.now()
    try:
        if payload.decision == "approve":
            services.review_approve(actor=request.user, application=app, now=now, opinion=payload.opinion,
                                    checks=payload.checks, amount=services.parse_amount(payload.amount or ""),
                                    amount_reason=payload.amount_reason)
        elif payload.decision == "return":
            services.review_return(actor=request.user, application=app, now=now, reasons=payload.opinion)
        else:
            services.review_reject(actor=request.user, application=app, now=now, reasons=payload.opinion)
    except FormErrors as e:
        return Status(400, {"detail": str(e), "errors": e.errors})
    except WorkflowConflict as e:
        return Status(409, {"detail": str(e)})
    except WorkflowError as e:
        return Status(400, {"detail": str(e)})
    app = Application.objects.select_related("item", "enterprise").prefetch_related("steps").get(pk=app.pk)
    return Status(200, _application_out(app))
