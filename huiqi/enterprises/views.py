"""Enterprise library pages: the officers' list and detail, the enterprise's own profile with
纠错, the corrections queue and the import page. Every view asks a `huiqi.accounts.access`
function; a refusal is a Chinese 403 page."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cnstd.industries import SECTIONS, get_industry
from huiqi.accounts.access import (
    access_correction_decide,
    access_enterprise_correct,
    access_enterprise_import,
    access_enterprise_list,
    access_enterprise_view,
)
from huiqi.audit.services import audit_record
from huiqi.core.regions import region_options
from huiqi.core.spreadsheets import xlsx_row
from huiqi.matching.selectors import enterprise_matches

from . import selectors
from .importing import (
    SYNC_IMPORT_ROWS,
    ImportReport,
    build_template,
    import_check,
    import_enterprises,
    import_job_create,
    import_job_progress,
    iter_issue_rows,
)
from .models import CorrectionRequest, Enterprise, ImportJob, Listing, Ownership
from .services import correction_decide, correction_request_create, uscc_override_confirm
from .values import industry_label, mask_phone, parse_field_path, region_label

PAGE_SIZE = 20
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ISSUES_SHOWN = 300


def _sections() -> list[tuple[str, str]]:
    out = []
    for letter in SECTIONS:
        industry = get_industry(letter)
        out.append((letter, industry.name if industry else letter))
    return out


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if not access_enterprise_list(request.user):
        raise PermissionDenied("企业库仅对政府工作人员开放。企业用户请查看“我的企业档案”。")
    q = request.GET.get("q", "").strip()
    region = request.GET.get("region", "").strip()
    industry = request.GET.get("industry", "").strip()
    queryset = selectors.enterprise_list(viewer=request.user, q=q, region=region, industry=industry)
    if request.GET.get("export") == "xlsx":
        return _export_xlsx(request, queryset, filters={"q": q, "region": region, "industry": industry})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"e": e, "region": region_label(e.region), "industry": industry_label(e.industry),
         "phone": mask_phone(e.contact_phone)}
        for e in page.object_list
    ]
    filters = {k: v for k, v in {"q": q, "region": region, "industry": industry}.items() if v}
    return render(request, "enterprises/list.html", {
        "page": page, "rows": rows, "count": page.paginator.count, "q": q, "region": region,
        "industry": industry, "region_groups": region_options(request.user), "sections": _sections(),
        "filter_query": urlencode(filters), "can_import": access_enterprise_import(request.user),
    })


def _export_xlsx(request: HttpRequest, queryset: Any, *, filters: dict[str, str]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(xlsx_row(sheet, ["统一社会信用代码", "企业名称", "所在地区", "行业", "成立日期", "注册资本(万元)", "所有制",
                  "上市情况", "联系电话"]))
    count = 0
    for e in queryset.iterator(chunk_size=2000):
        capital = e.registered_capital / 10000 if e.registered_capital is not None else None
        sheet.append(xlsx_row(sheet, [
            e.uscc, e.name, region_label(e.region), industry_label(e.industry), e.established_on,
            float(capital) if capital is not None else None,
            Ownership(e.ownership).label if e.ownership in Ownership.values else "",
            Listing(e.listed).label if e.listed in Listing.values else "",
            mask_phone(e.contact_phone),
        ]))
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    with transaction.atomic():
        audit_record(actor=request.user, action="enterprise.export", object_type="enterprises.enterprise",
                     after={"count": count, **{k: v for k, v in filters.items() if v}}, detail="企业名单导出（电话已脱敏）")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f"attachment; filename=\"enterprises-{stamp}.xlsx\"; filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95-{stamp}.xlsx"
    return response


def _profile_context(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    context = selectors.profile_page(enterprise, viewer=request.user, today=timezone.localdate())
    context["phone"] = mask_phone(enterprise.contact_phone)
    return context


@login_required
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise, uscc=uscc.strip().upper())
    if not access_enterprise_view(request.user, enterprise):
        raise PermissionDenied("您无权查看该企业的档案。")
    context = _profile_context(request, enterprise)
    context["can_override"] = access_correction_decide(request.user, enterprise)
    context["can_decide"] = context["can_override"]
    context["editable"] = False
    context["match_rows"] = enterprise_matches(enterprise=enterprise)
    return render(request, "enterprises/detail.html", context)


@login_required
@require_POST
def uscc_override(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise, uscc=uscc.strip().upper())
    if not access_correction_decide(request.user, enterprise):
        raise PermissionDenied("只有辖区内的政策专员可以确认信用代码。")
    try:
        uscc_override_confirm(actor=request.user, enterprise=enterprise)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已确认：该信用代码经人工核实无误，予以保留。")
    return redirect("enterprises:detail", uscc=enterprise.uscc)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    enterprise = getattr(request.user, "enterprise", None)
    if enterprise is None or not access_enterprise_view(request.user, enterprise):
        raise PermissionDenied("“我的企业档案”仅供企业用户使用。")
    context = _profile_context(request, enterprise)
    context["editable"] = access_enterprise_correct(request.user, enterprise)
    context["can_override"] = context["can_decide"] = False
    context["this_year"] = timezone.localdate().year
    context["my_requests"] = selectors.correction_rows(enterprise.corrections.order_by("-requested_at")[:20])
    return render(request, "enterprises/my_profile.html", context)


@login_required
@require_POST
def my_profile_correct(request: HttpRequest) -> HttpResponse:
    enterprise = getattr(request.user, "enterprise", None)
    if enterprise is None or not access_enterprise_correct(request.user, enterprise):
        raise PermissionDenied("只有企业本身可以提出纠错。")
    field_path = request.POST.get("field_path", "")
    if not field_path and request.POST.get("year") and request.POST.get("field"):
        field_path = f"years.{request.POST['year'].strip()}.{request.POST['field'].strip()}"
    try:
        label = parse_field_path(field_path).label
    except ValueError:
        label = field_path or "字段"
    try:
        correction_request_create(actor=request.user, enterprise=enterprise, field_path=field_path,
                                  proposed_value=request.POST.get("proposed_value", ""),
                                  reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, f"「{label}」：{'；'.join(exc.messages)}")
    else:  # a PermissionDenied from the service renders the site's 403 page with its message
        messages.success(request, f"「{label}」的纠错/补充已提交，待主管部门核实。")
    return redirect("enterprises:my_profile")


@login_required
def corrections_queue(request: HttpRequest) -> HttpResponse:
    if not access_enterprise_list(request.user):
        raise PermissionDenied("纠错申请仅由政府工作人员处理。")
    items = [c for c in selectors.corrections_pending(viewer=request.user)
             if access_correction_decide(request.user, c.enterprise)]
    return render(request, "enterprises/corrections.html", {
        "rows": selectors.correction_rows(items), "is_officer": access_enterprise_import(request.user),
    })


@login_required
@require_POST
def correction_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(CorrectionRequest.objects.select_related("enterprise"), pk=pk)
    if not access_correction_decide(request.user, correction.enterprise):
        raise PermissionDenied("无权处理该企业的纠错申请。")
    action = request.POST.get("action")
    if action not in {"confirm", "reject"}:
        messages.error(request, "请选择“确认”或“驳回”。")
        return redirect("enterprises:corrections")
    try:
        correction_decide(actor=request.user, request=correction, confirm=action == "confirm",
                          note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, f"{correction.enterprise.name}：{'；'.join(exc.messages)}")
    else:
        verb = "已确认" if action == "confirm" else "已驳回"
        messages.success(request, f"{correction.enterprise.name} 的纠错申请{verb}。")
    next_url = request.POST.get("next", "")
    if next_url == "detail":
        return redirect("enterprises:detail", uscc=correction.enterprise.uscc)
    return redirect("enterprises:corrections")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not access_enterprise_import(request.user):
        raise PermissionDenied("只有政策专员可以导入企业数据。")
    context: dict[str, Any] = {"source": "", "as_of": timezone.localdate().isoformat(), "report": None,
                               "issues": [], "form_error": ""}
    if request.method == "POST":
        source = request.POST.get("source", "").strip()
        as_of_text = request.POST.get("as_of", "").strip()
        upload = request.FILES.get("file")
        context.update(source=source, as_of=as_of_text)
        as_of: date | None = None
        try:
            as_of = date.fromisoformat(as_of_text) if as_of_text else None
        except ValueError:
            context["form_error"] = f"「数据日期」：不是有效日期（{as_of_text}），请写成 2025-03-31"
        if upload is None:
            context["form_error"] = "请选择要导入的 .xlsx 或 .csv 文件"
        elif upload.size and upload.size > MAX_UPLOAD_BYTES:
            context["form_error"] = "文件超过 20 MB，请拆分后分批导入，或使用命令 huiqi import-enterprises"
        if not context["form_error"] and upload is not None:
            data = upload.read()
            report = ImportReport()
            parsed = import_check(filename=upload.name or "", data=data, source=source, as_of=as_of, report=report)
            if report.ok and len(parsed) > SYNC_IMPORT_ROWS:
                job = import_job_create(actor=request.user, filename=upload.name or "", data=data, source=source,
                                        as_of=as_of, rows=len(parsed))
                messages.success(request, f"全部 {len(parsed)} 行已通过校验，正在后台写入，可在本页查看进度。")
                return redirect("enterprises:import_job", pk=job.pk)
            if report.ok:
                report = import_enterprises(actor=request.user, filename=upload.name or "", data=data,
                                            source=source, as_of=as_of)
            context["report"] = report
            issues = list(iter_issue_rows(report))
            context["issues"] = issues[:MAX_ISSUES_SHOWN]
            context["hidden_issues"] = max(0, len(issues) - MAX_ISSUES_SHOWN)
        status = 400 if context["form_error"] or (context["report"] and not context["report"].ok) else 200
        return render(request, "enterprises/import.html", context, status=status)
    return render(request, "enterprises/import.html", context)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    if not access_enterprise_import(request.user):
        raise PermissionDenied("只有政策专员可以导入企业数据。")
    job = get_object_or_404(ImportJob, pk=pk, created_by_id=request.user.pk)
    done, total = import_job_progress(job)
    return render(request, "enterprises/import_job.html", {
        "job": job, "done": done, "total": total, "percent": int(done * 100 / total) if total else 0,
        "running": job.state in {ImportJob.State.QUEUED, ImportJob.State.RUNNING},
        "issues": job.report.get("errors", [])[:MAX_ISSUES_SHOWN],
    })


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not access_enterprise_list(request.user):
        raise PermissionDenied("您没有权限访问此页面。")
    response = HttpResponse(build_template(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        "attachment; filename=\"enterprise-import-template.xlsx\"; "
        "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E6%95%B0%E6%8D%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
