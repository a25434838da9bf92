"""Pages of 企呼我应: register, the list / department queue by colour, 一案一卡 with the timeline and
the actions the viewer may take, the public 企业问题库, 会诊 and statistics, categories, API keys."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huiqi.accounts.models import Department, Role
from huiqi.audit.services import audit_record
from huiqi.core.access_views import require
from huiqi.core.masking import mask_phone
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyItem

from . import selectors, services
from .access import (
    access_api_keys,
    access_faq_review,
    access_ticket_dispatch,
    access_ticket_enterprise,
    access_ticket_handle,
    access_ticket_list,
    access_ticket_register,
    access_ticket_stats,
    access_ticket_view,
    is_dispatcher,
)
from .models import ApiClient, Ticket, TicketAttachment, TicketCategory, TicketExtension
from .services import FormErrors, TicketInput
from .workflow import WorkflowError

S = Ticket.Status


def _ticket(request: HttpRequest, pk: int) -> Ticket:
    ticket = get_object_or_404(Ticket.objects.select_related("enterprise", "category", "lead_department",
                                                             "suggested_department", "related_item"), pk=pk)
    require(request, access_ticket_view(request.user, ticket))
    return ticket


def ticket_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(request, access_ticket_list(user))
    scope = request.GET.get("scope") or ("dispatch" if is_dispatcher(user) else "")
    colour = request.GET.get("colour", "")
    status = request.GET.get("status", "")
    base = selectors.tickets_for(viewer=user, scope=scope)
    rows = list(selectors.tickets_for(viewer=user, scope=scope, colour=colour, status=status)[:300])
    return render(request, "tickets/list.html", {
        "rows": rows, "counts": selectors.colour_counts(base), "colour": colour, "status": status, "scope": scope,
        "statuses": S.choices, "is_enterprise": getattr(user, "role", None) == Role.ENTERPRISE,
        "is_dispatcher": is_dispatcher(user), "escalated": base.filter(escalated_at__isnull=False).count(),
    })


def _from_commitment(user: Any, commitment_id: str) -> dict[str, str]:
    """承诺必践 → 企呼我应 in one click: an overdue government commitment becomes a prefilled 投诉."""
    from huiqi.commitments.access import access_ticket_from
    from huiqi.commitments.models import Commitment

    commitment = (Commitment.objects.select_related("contract", "department").filter(pk=commitment_id).first()
                  if commitment_id.isdigit() else None)
    if commitment is None or not access_ticket_from(user, commitment):
        return {}
    contract = commitment.contract.title if commitment.contract else "申报承诺"
    department = commitment.department.name if commitment.department else "政府方"
    return {"category": "投诉", "title": f"政府方承诺逾期未兑现：{commitment.content}"[:100],
            "content": (f"《{contract}》{commitment.clause_path}约定：{commitment.content}。"
                        f"责任部门：{department}；约定期限：{commitment.due_at:%Y年%-m月%-d日}，至今未兑现。"
                        if commitment.due_at else f"《{contract}》约定：{commitment.content}，至今未兑现。")}


def ticket_new(request: HttpRequest) -> HttpResponse:
    require(request, access_ticket_register(request.user))
    user: Any = request.user
    on_behalf = user.role != Role.ENTERPRISE
    errors: dict[str, str] = {}
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("category", "title", "content", "contact_name",
                                                         "contact_phone", "related_item", "uscc")}
        enterprise = user.enterprise if not on_behalf else Enterprise.objects.filter(
            uscc=posted["uscc"].strip().upper()).first()
        if enterprise is None:
            errors["uscc"] = "请填写已在平台登记的企业统一社会信用代码"
        else:
            data = TicketInput(category=posted["category"], title=posted["title"], content=posted["content"],
                               contact_name=posted["contact_name"], contact_phone=posted["contact_phone"],
                               related_item=posted["related_item"])
            try:
                ticket, _created = services.ticket_register(
                    actor=user, enterprise=enterprise, data=data, now=timezone.now(),
                    uploads=request.FILES.getlist("attachments"))
            except FormErrors as e:
                errors = e.errors
            except WorkflowError as e:
                errors = {"__all__": str(e)}
            else:
                messages.success(request, f"诉求已登记，编号 {ticket.number}，答复期限 {ticket.due_at}")
                return redirect("tickets:detail", pk=ticket.pk)
    elif not on_behalf:
        posted = {"contact_name": user.display_name, "contact_phone": user.enterprise.contact_phone,
                  **_from_commitment(user, request.GET.get("commitment", ""))}
    if request.method != "POST":
        # 问政策 hands over a question the policy library could not answer as the request's text.
        for name, limit in (("title", 100), ("content", 5000)):
            if request.GET.get(name) and not posted.get(name):
                posted[name] = request.GET[name][:limit]
    # The related policy arrives from its page (对本政策提问) and is shown by its title: nobody is
    # asked to type an item code.
    item_code = posted.get("related_item") or request.GET.get("item", "")
    related = PolicyItem.objects.filter(code=item_code).only("code", "title").first() if item_code else None
    return render(request, "tickets/new.html", {
        "categories": TicketCategory.objects.filter(active=True), "errors": errors, "posted": posted,
        "on_behalf": on_behalf, "related": related,
    })


def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    user = request.user
    handle = access_ticket_handle(user, ticket)
    dispatch = access_ticket_dispatch(user, ticket)
    pending = ticket.extensions.filter(approved__isnull=True).first()
    return render(request, "tickets/detail.html", {
        "t": ticket, "timeline": selectors.timeline(ticket), "phone": mask_phone(ticket.contact_phone),
        "handle": handle, "dispatch": dispatch, "mine": access_ticket_enterprise(user, ticket),
        "faq_review": access_faq_review(user, ticket) and ticket.faq == Ticket.Faq.PENDING,
        "departments": Department.objects.order_by("region", "name") if (handle or dispatch) else [],
        "similar": selectors.similar_answered(ticket=ticket) if (handle or dispatch) else [],
        "attachments": list(ticket.attachments.all()), "pending": pending,
        "co": list(ticket.co_departments.all()), "ratings": Ticket.Rating.choices,
        "supervise_url": _supervision_order_url(user, ticket),
    })


def _supervision_order_url(user: Any, ticket: Ticket) -> str:
    """A supervisor puts an overdue (red) request under 督办 from its page (prefilled order form)."""
    from urllib.parse import urlencode

    from huiqi.supervision.access import access_order_raise

    if not (ticket.status in Ticket.OPEN_STATUSES and ticket.colour == Ticket.Colour.RED
            and access_order_raise(user, ticket.region)):
        return ""
    return "/supervision/orders/?" + urlencode({
        "region": ticket.region, "source": "ticket", "department": ticket.lead_department_id or "",
        "reason": f"诉求超期未办结：{ticket.number} {ticket.title}（答复期限 {ticket.due_at}）"})


@require_POST
def ticket_act(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _ticket(request, pk)
    user, now, p = request.user, timezone.now(), request.POST
    action = p.get("action", "")
    try:
        if action == "assign":
            lead = get_object_or_404(Department, pk=p.get("lead") or 0)
            co = list(Department.objects.filter(pk__in=[x for x in p.getlist("co") if x.isdigit()]))
            services.ticket_assign(actor=user, ticket=ticket, lead=lead, co=co, now=now, note=p.get("note", ""))
            done = f"已分办至{lead.name}"
        elif action == "transfer":
            to = get_object_or_404(Department, pk=p.get("to") or 0)
            services.ticket_transfer(actor=user, ticket=ticket, to=to, reason=p.get("reason", ""), now=now)
            done = f"已转办至{to.name}"
        elif action == "return":
            services.ticket_return(actor=user, ticket=ticket, reason=p.get("reason", ""), now=now)
            done = "已退回分办员"
        elif action == "sign":
            services.ticket_sign(actor=user, ticket=ticket, now=now)
            done = "已签收"
        elif action == "ask_info":
            services.ticket_ask_info(actor=user, ticket=ticket, question=p.get("question", ""), now=now)
            done = "已请企业补充说明，答复时限暂停计时"
        elif action == "supplement":
            services.ticket_supplement(actor=user, ticket=ticket, text=p.get("text", ""), now=now)
            done = "补充说明已提交"
        elif action == "answer":
            services.ticket_answer(actor=user, ticket=ticket, answer=p.get("answer", ""), now=now)
            done = "已答复企业"
        elif action == "rate":
            services.ticket_rate(actor=user, ticket=ticket, rating=p.get("rating", ""), comment=p.get("comment", ""),
                                 now=now)
            done = "评价已提交"
        elif action == "extension_ask":
            days = int(p.get("days") or 0) if (p.get("days") or "0").isdigit() else 0
            services.extension_ask(actor=user, ticket=ticket, days=days, reason=p.get("reason", ""), now=now)
            done = "延期申请已提交分办员审批"
        elif action in ("extension_approve", "extension_refuse"):
            ext = get_object_or_404(TicketExtension, pk=p.get("extension") or 0, ticket=ticket)
            services.extension_decide(actor=user, extension=ext, approve=action == "extension_approve", now=now,
                                      note=p.get("note", ""))
            done = "延期申请已审批"
        elif action == "faq_propose":
            services.faq_propose(actor=user, ticket=ticket, question=p.get("faq_question", ""),
                                 answer=p.get("faq_answer", ""), now=now)
            done = "已申请公开到企业问题库"
        elif action in ("faq_publish", "faq_refuse"):
            services.faq_review(actor=user, ticket=ticket, publish=action == "faq_publish", now=now)
            done = "审核完成"
        else:
            raise WorkflowError("未知操作")
    except WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, done)
    return redirect("tickets:detail", pk=ticket.pk)


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(TicketAttachment.objects.select_related("ticket"), pk=pk)
    require(request, access_ticket_view(request.user, attachment.ticket))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


def faq(request: HttpRequest) -> HttpResponse:
    """The public 企业问题库 (no login)."""
    q = request.GET.get("q", "")
    item = request.GET.get("item", "")
    item_id = int(item) if item.isdigit() else None
    return render(request, "tickets/faq.html", {"rows": selectors.faq_entries(q=q, item_id=item_id), "q": q})


def _month(text: str) -> date:
    try:
        y, m = text.split("-")
        return date(int(y), int(m), 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def stats(request: HttpRequest) -> HttpResponse:
    require(request, access_ticket_stats(request.user))
    user: Any = request.user
    month = _month(request.GET.get("month", ""))
    region = user.region if user.role == Role.SUPERVISOR else user.ticket_dispatcher.region
    return render(request, "tickets/stats.html", {
        "month": month, "rows": selectors.department_stats(region=region, month=month),
        "consultation": selectors.consultation(region=region, month=month),
        "escalated": list(selectors.escalated_tickets(region=region)[:50]),
    })


def categories(request: HttpRequest) -> HttpResponse:
    """An administrator edits the categories and their clocks."""
    require(request, access_api_keys(request.user))
    if request.method == "POST":
        try:
            services.category_save(actor=request.user, pk=int(request.POST.get("pk") or 0) or None,
                                   fields={k: request.POST.get(k, "") for k in (
                                       "name", "days", "warn_days", "sign_hours", "keywords", "department_kind",
                                       "publishable", "active")})
        except WorkflowError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, "诉求类别已保存")
        return redirect("tickets:categories")
    return render(request, "tickets/categories.html", {"rows": TicketCategory.objects.all()})


def api_keys(request: HttpRequest) -> HttpResponse:
    require(request, access_api_keys(request.user))
    new_key = ""
    if request.method == "POST":
        try:
            if request.POST.get("revoke"):
                client = get_object_or_404(ApiClient, pk=request.POST["revoke"])
                services.api_client_revoke(actor=request.user, client=client, now=timezone.now())
                messages.success(request, f"已吊销“{client.name}”的密钥")
            else:
                client, new_key = services.api_client_create(actor=request.user, name=request.POST.get("name", ""),
                                                             scopes=request.POST.getlist("scopes"),
                                                             region=request.POST.get("region", ""))
                audit_record(actor=request.user, action="api_client.key_shown", obj=client)
        except WorkflowError as e:
            messages.error(request, str(e))
    return render(request, "tickets/keys.html", {"rows": ApiClient.objects.order_by("name"), "new_key": new_key,
                                                 "scopes": ApiClient.Scope.choices})
