"""Pages: start an application, fill and submit it, review it, the work queues, 批量核验."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from huiqi.accounts.access import access_own_enterprise_pages
from huiqi.accounts.models import Role
from huiqi.core.access_views import require
from huiqi.core.files import ALLOWED, MAX_BYTES, FileRefused
from huiqi.policies.models import PolicyItem

from . import selectors, services
from .access import (
    access_application_create,
    access_application_edit,
    access_application_view,
    access_batch_verify,
    access_step_decide,
    access_work_queue,
)
from .evaluation import STATUS_LABELS, amount_text, check_texts, input_specs, parse_inputs
from .models import Application, ApplicationMaterial, ReviewStep
from .services import FormErrors, materials_to_upload
from .verification import batch_verify
from .workflow import WorkflowError, available

A = Application.Status


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("item__document", "enterprise"), pk=pk)
    require(request, access_application_view(request.user, application))
    return application


def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """The item's application entry: continue an open application or start a draft."""
    item = get_object_or_404(PolicyItem.objects.select_related("document"), code=code)
    require(request, access_application_create(request.user, item))
    today = timezone.localdate()
    enterprise_id: int = getattr(request.user, "enterprise_id", 0) or 0
    existing = Application.objects.filter(enterprise_id=enterprise_id, item=item,
                                          period=services.period_for(item, today)).exclude(
        status__in=[A.WITHDRAWN, A.REJECTED]).first()
    if existing is not None:
        return redirect("fulfilment:detail", pk=existing.pk)
    if request.method == "POST":
        try:
            application = services.application_create(actor=request.user, item=item, now=timezone.now())
        except WorkflowError as e:
            messages.error(request, str(e))
            return redirect("fulfilment:apply", code=code)
        return redirect("fulfilment:detail", pk=application.pk)
    return render(request, "fulfilment/apply_start.html", {
        "item": item, "inputs": input_specs(item), "uploads": materials_to_upload(item),
        "period": services.period_for(item, today), "nodes": item.review_nodes or [],
    })


def application_list(request: HttpRequest) -> HttpResponse:
    own = access_own_enterprise_pages(request.user)
    require(request, own or access_work_queue(request.user))
    status = request.GET.get("status", "")
    rows = list(selectors.applications_for(viewer=request.user, status=status)[:200])
    return render(request, "fulfilment/application_list.html", {
        "rows": rows, "status": status, "statuses": A.choices,
        "is_enterprise": own,
    })


def _form_context(request: HttpRequest, application: Application, errors: dict[str, str] | None = None,
                  posted: dict[str, str] | None = None) -> dict[str, Any]:
    item = application.item
    errors = errors or {}
    values = {**(application.inputs or {}), **(posted or {})}
    inputs = [{**spec, "value": values.get(spec["name"], ""), "error": errors.get(spec["name"], "")}
              for spec in input_specs(item)]
    have: dict[str, list[ApplicationMaterial]] = {}
    for m in application.materials.all():
        have.setdefault(m.label, []).append(m)
    correction = application.correction or {}
    asked = set(correction.get("materials", []))
    uploads = [{"index": i, "label": label, "files": have.get(label, []), "error": errors.get(f"material_{i}", ""),
                "asked": label in asked}
               for i, label in enumerate(services.materials_for(application))]
    answers = correction.get("answers") or {}
    facts_asked = [{"index": i, "text": f, "value": answers.get(f, ""), "error": errors.get(f"fact_answer_{i}", "")}
                   for i, f in enumerate(correction.get("facts", []))] if application.status == A.RETURNED else []
    auto = [m for m in item.materials or [] if m not in materials_to_upload(item)]
    signed = set(application.commitments or [])
    commitments = [{"index": i, "text": t, "signed": t in signed, "error": errors.get(f"commitment_{i}", "")}
                   for i, t in enumerate(item.commitments or [])]
    return {"inputs": inputs, "uploads": uploads, "auto_materials": auto, "commitments": commitments,
            "correction": correction if application.status == A.RETURNED else {}, "facts_asked": facts_asked,
            "errors": errors, "form_error": errors.get("__all__", ""), "accept": ",".join(f".{e}" for e in ALLOWED), "max_mb": MAX_BYTES // 1024 // 1024}


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    user = request.user
    step = application.steps.filter(index=application.node_index).first()
    editable = access_application_edit(user, application) and application.status in (A.DRAFT, A.RETURNED)
    today = timezone.localdate()
    quote = None
    profile_rows = application.profile_figures
    if editable or (step is not None and step.outcome == ReviewStep.Outcome.OPEN and access_step_decide(user, step)):
        quote = services.application_quote(application=application, today=today)
        if editable:
            from .evaluation import profile_figures

            profile_rows = profile_figures(enterprise=application.enterprise, evaluation=quote.evaluation)
    can_decide = (step is not None and application.status == A.SUBMITTED and step.outcome == ReviewStep.Outcome.OPEN
                  and access_step_decide(user, step))
    checks = [{"text": t, "value": (application.checks or {}).get(t)} for t in check_texts(application.item)]
    facts = ([{"text": t, "value": (application.checks or {}).get(t)}
              for t in services.reviewable_facts(application, today)] if can_decide else [])
    ctx: dict[str, Any] = {
        "app": application, "item": application.item, "step": step, "editable": editable, "quote": quote,
        "quote_status": STATUS_LABELS.get(quote.status, "") if quote else "",
        "quote_amount": amount_text(quote.amount_min, quote.amount_max) if quote else "",
        "profile_rows": profile_rows, "timeline": selectors.timeline(application),
        "nodes": selectors.planned_nodes(application), "can_decide": can_decide, "checks": checks, "facts": facts,
        "actions": [t.name for t in available(user=user, application=application, node=step)],
        "can_urge": (access_application_edit(user, application) and application.status == A.SUBMITTED
                     and step is not None and step.due_at is not None and today > step.due_at),
        "amount_text": amount_text(application.amount_min, application.amount_max)
        if application.amount_min is not None else "",
        "materials": list(application.materials.all()),
        "entitlement": selectors.entitlement_of(application),
        "declared": [{"label": spec["label"], "value": (application.inputs or {}).get(spec["name"]), "unit": spec["unit"]}
                     for spec in input_specs(application.item) if spec["name"] in (application.inputs or {})],
    }
    if editable:
        ctx.update(_form_context(request, application))
    ctx.update(extra)
    return ctx


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return render(request, "fulfilment/application_detail.html", _detail_context(request, application))


@require_GET
def application_quote(request: HttpRequest, pk: int) -> JsonResponse:
    """The amount the rules give for the figures being typed (before submitting)."""
    application = _application(request, pk)
    values, errors = parse_inputs(application.item, dict(request.GET.items()))
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    quote = services.application_quote(application=application, today=timezone.localdate(), inputs=values)
    data = quote.to_dict()
    data["status_label"] = STATUS_LABELS.get(quote.status, "")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_POST
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the form (figures, commitments, new files) and, when asked, submit or resubmit."""
    application = _application(request, pk)
    require(request, access_application_edit(request.user, application))
    now = timezone.now()
    action = request.POST.get("action", "save")
    posted = {spec["name"]: request.POST.get(spec["name"], "") for spec in input_specs(application.item)}
    signed = [str(t) for i, t in enumerate(application.item.commitments or [])
              if request.POST.get(f"commitment_{i}")]
    errors: dict[str, str] = {}
    asked_facts = (application.correction or {}).get("facts", [])
    answers = {fact: request.POST.get(f"fact_answer_{i}", "") for i, fact in enumerate(asked_facts)}
    try:
        services.application_save(actor=request.user, application=application, inputs=posted, commitments=signed,
                                  now=now, answers=answers)
    except FormErrors as e:
        errors.update(e.errors)
    except WorkflowError as e:
        messages.error(request, str(e))
        return redirect("fulfilment:detail", pk=pk)
    for i, label in enumerate(services.materials_for(application)):
        for upload in request.FILES.getlist(f"material_{i}"):
            try:
                services.material_add(actor=request.user, application=application, label=label, upload=upload, now=now)
            except (FileRefused, WorkflowError) as e:
                errors[f"material_{i}"] = str(e)
    if not errors and action == "submit":
        try:
            if application.status == A.RETURNED:
                services.application_resubmit(actor=request.user, application=application, now=now)
                messages.success(request, "补正材料已提交，审核恢复计时。")
            else:
                services.application_submit(actor=request.user, application=application, now=now)
                messages.success(request, "申报已提交受理，可在下方查看办理进度。")
            return redirect("fulfilment:detail", pk=pk)
        except FormErrors as e:
            errors.update(e.errors)
        except WorkflowError as e:
            errors["__all__"] = str(e)
    if errors:
        application.refresh_from_db()
        ctx = _detail_context(request, application)
        ctx.update(_form_context(request, application, errors=errors, posted=posted))
        return render(request, "fulfilment/application_detail.html", ctx, status=400)
    messages.success(request, "草稿已保存。")
    return redirect("fulfilment:detail", pk=pk)


@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请勾选“确认撤回”后再提交：撤回后本次申报终止办理。")
        return redirect("fulfilment:detail", pk=pk)
    try:
        services.application_withdraw(actor=request.user, application=application, now=timezone.now(),
                                      reason=request.POST.get("reason", ""))
        messages.success(request, "申报已撤回。")
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect("fulfilment:detail", pk=pk)


@require_POST
def application_urge(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        services.application_urge(actor=request.user, application=application, now=timezone.now())
        messages.success(request, "已催办，审核人员和督查人员会收到提醒。")
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect("fulfilment:detail", pk=pk)


@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    action = request.POST.get("action", "")
    now = timezone.now()
    opinion = request.POST.get("opinion", "").strip()
    try:
        if action == "approve":
            checks: dict[str, bool] = {}
            for i, text in enumerate(check_texts(application.item)):
                value = request.POST.get(f"check_{i}", "")
                if value in ("yes", "no"):
                    checks[text] = value == "yes"
            for i, text in enumerate(services.reviewable_facts(application, timezone.localdate())):
                value = request.POST.get(f"fact_{i}", "")
                if value in ("yes", "no"):
                    checks[text] = value == "yes"
            services.review_approve(actor=request.user, application=application, now=now, opinion=opinion,
                                    checks=checks, amount=services.parse_amount(request.POST.get("amount", "")),
                                    amount_reason=request.POST.get("amount_reason", ""))
            messages.success(request, "已审核通过。" if application.status == A.SUBMITTED else "已审核通过，办结并转入拨付。")
        elif action == "return":
            facts = services.reviewable_facts(application, timezone.localdate())
            services.review_return(
                actor=request.user, application=application, now=now, reasons=opinion,
                materials=request.POST.get("return_materials", "").splitlines(),
                facts=[f for i, f in enumerate(facts) if request.POST.get(f"return_fact_{i}")])
            messages.success(request, "已退回企业补正，本环节暂停计时。")
        elif action == "reject":
            services.review_reject(actor=request.user, application=application, now=now, reasons=opinion)
            messages.success(request, "已作出不予通过决定，并通知企业。")
        else:
            messages.error(request, "未知的审核操作")
    except WorkflowError as e:
        messages.error(request, str(e))
        return render(request, "fulfilment/application_detail.html", _detail_context(request, application), status=400)
    return redirect("fulfilment:detail", pk=pk)


def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = get_object_or_404(ApplicationMaterial.objects.select_related("application__item"), pk=pk)
    require(request, access_application_view(request.user, material.application))
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=material.original_name)


@require_POST
def material_delete(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(ApplicationMaterial.objects.select_related("application"), pk=pk)
    require(request, access_application_edit(request.user, material.application))
    try:
        services.material_remove(actor=request.user, material=material)
        messages.success(request, f"已删除“{material.original_name}”。")
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect("fulfilment:detail", pk=material.application_id)


def queue(request: HttpRequest) -> HttpResponse:
    """审核工作台: the viewer's open nodes, most urgent first, filtered by colour."""
    require(request, access_work_queue(request.user))
    role = getattr(request.user, "role", None)
    default_scope = "mine" if role in {Role.REVIEWER, Role.FINANCE} else "all"
    scope = request.GET.get("scope", default_scope)
    scope = scope if scope in {"mine", "all"} else default_scope
    colour = request.GET.get("colour", "")
    colour = colour if colour in ReviewStep.Colour.values else ""
    base = selectors.work_queue(viewer=request.user, scope=scope)
    rows = list(base.filter(colour=colour)[:300] if colour else base[:300])
    return render(request, "fulfilment/queue.html", {
        "rows": rows, "scope": scope, "colour": colour, "counts": selectors.queue_counts(base),
        "colours": [c for c in ReviewStep.Colour.choices if c[0] != ReviewStep.Colour.DONE],
        "today": timezone.localdate(),
    })


def verify(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(PolicyItem.objects.select_related("document"), code=code)
    require(request, access_batch_verify(request.user, item))
    report = None
    if request.method == "POST":
        try:
            report = batch_verify(actor=request.user, item=item, today=timezone.localdate())
        except WorkflowError as e:
            messages.error(request, str(e))
    pending = Application.objects.filter(item=item, status__in=[A.SUBMITTED, A.RETURNED]).count()
    return render(request, "fulfilment/verify.html", {"item": item, "report": report, "pending": pending})
