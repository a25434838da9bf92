"""Pages of 承诺必践: the officers' desk (per contract and per department, lights, a calendar of
coming due dates, Excel export), contract upload and confirmation, a commitment's page (evidence,
催告函, hold), the enterprise's own contracts, and the supervisors' counts per region."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huiqi.accounts.access import access_own_enterprise_pages
from huiqi.accounts.models import Role, User
from huiqi.audit.services import audit_record
from huiqi.core.workflow import WorkflowError
from huiqi.enterprises.models import Enterprise

from . import access, selectors, services
from .drafting import CHECKABLE_FIELDS
from .models import Commitment, Contract, Evidence, IncentiveHold
from .services import CommitmentError, CommitmentInput

TARGET_CHOICES = [("", "（无）")] + sorted(((f, services.field_label(f)) for f in CHECKABLE_FIELDS),
                                         key=lambda x: x[1])


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.access_commitment_desk(user):
        raise _deny("只有政策专员和督查人员可以查看承诺台账")
    qs = selectors.commitments_visible(viewer=user).exclude(status=Commitment.Status.DRAFT)
    status = request.GET.get("status", "")
    if status in selectors.STATUS_PARAM:
        qs = qs.filter(status=selectors.STATUS_PARAM[status])
    department = request.GET.get("department", "")
    if department.isdigit():
        qs = qs.filter(department_id=int(department))
    if request.GET.get("export") == "xlsx":
        return _export(request, qs)
    today = timezone.localdate()
    contracts = list(selectors.contracts_visible(viewer=user)[:200])
    counts: dict[int, dict[str, int]] = {}
    for c in selectors.commitments_visible(viewer=user).exclude(status=Commitment.Status.DRAFT).values(
            "contract_id", "status"):
        if c["contract_id"]:
            d = counts.setdefault(c["contract_id"], {"total": 0, "red": 0, "yellow": 0, "done": 0})
            d["total"] += 1
            d["red"] += c["status"] in Commitment.BROKEN
            d["yellow"] += c["status"] == Commitment.Status.DUE_SOON
            d["done"] += c["status"] == Commitment.Status.FULFILLED
    by_department: dict[str, dict[str, int]] = {}
    for g in qs.filter(side=Commitment.Side.GOVERNMENT):
        name = g.department.name if g.department else "未指定"
        d = by_department.setdefault(name, {"total": 0, "red": 0, "yellow": 0, "done": 0})
        d["total"] += 1
        d["red"] += g.light == "red"
        d["yellow"] += g.light == "yellow"
        d["done"] += g.light == "done"
    return render(request, "commitments/desk.html", {
        "contracts": [(k, counts.get(k.pk, {})) for k in contracts], "rows": qs.order_by("due_at", "pk")[:300],
        "by_department": sorted(by_department.items()), "calendar": selectors.due_calendar(qs, today=today),
        "status": status, "statuses": selectors.STATUS_PARAM, "status_labels": dict(Commitment.Status.choices),
        "can_create": access.access_contract_create(user), "today": today,
    })


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("承诺事项")
    sheet.append(["合同/来源", "企业", "承诺方", "责任部门", "责任人", "承诺事项", "考核目标", "到期日", "状态", "说明"])
    count = 0
    for c in qs.order_by("due_at", "pk").iterator(chunk_size=1000):
        origin = c.contract.title if c.contract_id else f"申报承诺（申报 {c.application_id}）"
        cells = [origin, c.enterprise.name, c.get_side_display(), c.department.name if c.department else "",
                 str(c.responsible) if c.responsible else "", c.content, services.target_words(c), c.due_text,
                 c.get_status_display(), c.reason]
        # Text cells only: a leading = + - @ would make Excel read a formula.
        sheet.append([("'" + v) if v[:1] in "=+-@" else v for v in (str(x) for x in cells)])
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    with transaction.atomic():
        audit_record(actor=request.user, action="commitment.export", object_type="commitments.commitment",
                     after={"count": count}, detail="承诺事项台账导出")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="commitments-{stamp}.xlsx"'
    return response


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.access_contract_create(user):
        raise _deny("只有部门政策专员可以登记政企合同")
    errors: dict[str, str] = {}
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        enterprise = Enterprise.objects.filter(uscc=request.POST.get("uscc", "").strip().upper()).first()
        signed_on = _date(request.POST.get("signed_on", ""))
        amount_text = request.POST.get("amount", "")
        amount = services.parse_decimal(amount_text)
        upload = request.FILES.get("file")
        if enterprise is None:
            errors["uscc"] = "未找到该统一社会信用代码对应的企业"
        if signed_on is None:
            errors["signed_on"] = "请填写签约日期（如 2026-03-01）"
        if amount_text.strip() and amount is None:
            errors["amount"] = "合同金额应为数字（单位：元）"
        if upload is None:
            errors["file"] = "请选择合同文件（.docx、.pdf 或 .txt）"
        if not errors:
            assert enterprise is not None and signed_on is not None and upload is not None
            try:
                contract = services.contract_draft(
                    actor=user, enterprise=enterprise, title=request.POST.get("title", ""),
                    government_party=request.POST.get("government_party", ""), signed_on=signed_on,
                    filename=upload.name or "", data=upload.read(), amount=amount)
            except CommitmentError as exc:
                errors = exc.errors
            else:
                messages.success(request, f"已读取合同，起草了 {contract.commitments.count()} 条承诺事项，请逐条核对后确认")
                return redirect("commitments:contract", pk=contract.pk)
    return render(request, "commitments/contract_new.html", {"errors": errors, "form": form}, status=400 if errors else 200)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _int(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _posted_rows(request: HttpRequest) -> tuple[list[CommitmentInput], dict[str, str]]:
    rows: list[CommitmentInput] = []
    errors: dict[str, str] = {}
    indexes = request.POST.getlist("row")
    for key in indexes:
        def p(name: str, key: str = key) -> str:
            return str(request.POST.get(f"{key}-{name}", ""))

        if p("drop"):
            continue
        due_text = p("due_on").strip()
        due = _date(due_text) if due_text else None
        if due_text and due is None:
            errors[f"row{len(rows)}.due_on"] = f"第{len(rows) + 1}条承诺：到期日格式应为 2026-06-30"
        value_text = p("target_value")
        value = services.parse_decimal(value_text)
        if value_text.strip() and value is None:
            errors[f"row{len(rows)}.target_value"] = f"第{len(rows) + 1}条承诺：目标值应为数字"
        rows.append(CommitmentInput(
            pk=_int(p("pk")), side=p("side"), content=p("content"), due_on=due, recurring=bool(p("recurring")),
            target_field=p("target_field").strip(), target_op=p("target_op"), target_value=value,
            target_text=p("target_text"), year_from=_int(p("year_from")), year_to=_int(p("year_to")),
            responsible_id=_int(p("responsible"))))
    return rows, errors


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.select_related("enterprise", "department"), pk=pk)
    user: Any = request.user
    if not access.access_contract_view(user, contract):
        raise _deny("无权查看该合同")
    editable = contract.status == Contract.Status.DRAFT and access.access_contract_edit(user, contract)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            raise _deny("该合同的承诺已确认或您无权确认")
        rows, errors = _posted_rows(request)
        if not errors:
            try:
                services.contract_confirm(actor=user, contract=contract, rows=rows)
            except CommitmentError as exc:
                errors = exc.errors
            except WorkflowError as exc:
                errors = {"__all__": str(exc)}
            else:
                messages.success(request, f"已确认 {len(rows)} 条承诺事项，开始跟踪")
                return redirect("commitments:contract", pk=contract.pk)
    commitments = list(contract.commitments.select_related("department", "responsible").order_by("pk"))
    if user.role == Role.ENTERPRISE:
        commitments = [c for c in commitments if c.status != Commitment.Status.DRAFT]
    officers = User.objects.filter(role=Role.OFFICER, is_active=True, department_id=contract.department_id) if editable else []
    return render(request, "commitments/contract.html", {
        "contract": contract, "commitments": commitments, "editable": editable, "errors": errors,
        "error_list": list(errors.values()), "officers": officers, "target_choices": TARGET_CHOICES,
        "sides": Commitment.Side.choices, "ops": Commitment.Op.choices,
    }, status=400 if errors else 200)


def _commitment(request: HttpRequest, pk: int) -> Commitment:
    viewer: Any = request.user
    c = get_object_or_404(Commitment.objects.select_related("contract", "enterprise", "department", "responsible",
                                                             "application"), pk=pk)
    if not access.access_commitment_view(viewer, c):
        raise _deny("无权查看该承诺事项")
    return c


@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _commitment(request, pk)
    user: Any = request.user
    hold = selectors.active_hold(c.enterprise_id)
    return render(request, "commitments/commitment.html", {
        "c": c, "evidence": c.evidence.select_related("uploaded_by", "decided_by"),
        "target": services.target_words(c), "can_upload": access.access_evidence_upload(user, c),
        "can_confirm": access.access_evidence_confirm(user, c), "can_fail": access.access_commitment_fail(user, c),
        "can_letter": (c.side == Commitment.Side.ENTERPRISE and c.status in Commitment.BROKEN
                       and user.role != Role.ENTERPRISE),
        "can_hold": access.access_hold_place(user, c.enterprise) and c.side == Commitment.Side.ENTERPRISE,
        "can_ticket": access.access_ticket_from(user, c), "hold": hold,
        "supervise_url": _supervision_order_url(user, c),
    })


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    c = _commitment(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择佐证材料文件")
        return redirect("commitments:commitment", pk=pk)
    try:
        services.evidence_upload(actor=request.user, commitment=c, upload=upload, note=request.POST.get("note", ""),
                                 partial=bool(request.POST.get("partial")))
    except PermissionError as exc:
        raise _deny(str(exc)) from None
    except CommitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "佐证材料已上传，等待对方确认")
    return redirect("commitments:commitment", pk=pk)


@login_required
@require_POST
def evidence_decide(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(Evidence.objects.select_related("commitment"), pk=pk)
    _commitment(request, ev.commitment_id)
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.evidence_decide(actor=request.user, evidence=ev, confirm=confirm,
                                 opinion=request.POST.get("opinion", ""))
    except PermissionError as exc:
        raise _deny(str(exc)) from None
    except (CommitmentError, WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已确认兑现" if confirm else "已退回佐证材料")
    return redirect("commitments:commitment", pk=ev.commitment_id)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    ev = get_object_or_404(Evidence, pk=pk)
    _commitment(request, ev.commitment_id)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.filename)


@login_required
@require_POST
def commitment_fail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _commitment(request, pk)
    try:
        services.commitment_fail(actor=request.user, commitment=c, reason=request.POST.get("reason", ""))
    except PermissionError as exc:
        raise _deny(str(exc)) from None
    except (CommitmentError, WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已认定无法兑现")
    return redirect("commitments:commitment", pk=pk)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    c = _commitment(request, pk)
    viewer: Any = request.user
    if viewer.role == Role.ENTERPRISE:
        raise _deny("催告函由责任部门出具")
    try:
        body = services.demand_letter(actor=request.user, commitment=c)
    except CommitmentError as exc:
        messages.error(request, str(exc))
        return redirect("commitments:commitment", pk=pk)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="demand-letter-{c.pk}.docx"'
    return response


@login_required
@require_POST
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise, pk=pk)
    back = request.POST.get("next") or "/commitments/"
    if not back.startswith("/"):
        back = "/commitments/"
    try:
        if request.POST.get("action") == "lift":
            current = IncentiveHold.objects.filter(enterprise=enterprise, lifted_at__isnull=True).first()
            if current is None:
                raise CommitmentError("该企业未被暂停享受政策")
            services.hold_lift(actor=request.user, hold=current, reason=request.POST.get("reason", ""))
            messages.success(request, "已恢复该企业享受政策")
        else:
            services.hold_place(actor=request.user, enterprise=enterprise, reason=request.POST.get("reason", ""))
            messages.success(request, "已暂停该企业享受惠企政策，企业将看到暂停原因")
    except PermissionError as exc:
        raise _deny(str(exc)) from None
    except (CommitmentError, WorkflowError) as exc:
        messages.error(request, str(exc))
    return redirect(back)


def _supervision_order_url(user: Any, c: Commitment) -> str:
    """A supervisor puts an overdue government commitment under 督办 from its page (prefilled form)."""
    from huiqi.supervision.access import access_order_raise

    if not (c.side == Commitment.Side.GOVERNMENT and c.status == Commitment.Status.OVERDUE
            and access_order_raise(user, c.region)):
        return ""
    return "/supervision/orders/?" + urlencode({
        "region": c.region, "source": "commitment", "department": c.department_id or "",
        "reason": f"政府方承诺逾期未兑现：{c.content}（约定期限 {c.due_at}）"})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access_own_enterprise_pages(user):
        raise _deny("此页面供企业用户查看本企业的合同与承诺")
    contracts = selectors.contracts_visible(viewer=user)
    rows = selectors.commitments_visible(viewer=user).order_by("due_at", "pk")
    return render(request, "commitments/mine.html", {
        "contracts": contracts, "rows": rows, "hold": selectors.active_hold(user.enterprise_id),
    })


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access.access_commitment_supervision(user):
        raise _deny("只有督查人员可以查看承诺兑现统计")
    return render(request, "commitments/supervision.html", {
        "rows": selectors.region_summary(region=user.region),
        "government": selectors.region_summary(region=user.region, side=Commitment.Side.GOVERNMENT),
        "overdue": selectors.overdue_government(region=user.region)[:100],
    })
