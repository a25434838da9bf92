"""The 企呼我应 API for other systems (12345, 一网通办) and logged-in enterprise users.

Systems send ``X-API-Key: <key>``: the key's scopes decide what it may call (登记 / 查询 / 回传),
a revoked key gets 401 with the reason, and every call made with a key is audited (refused ones
too). Without a key the session is used (enterprise users; CSRF as for every session POST).

- ``POST /api/tickets`` — 201 ``{id, number, status, due_at}``; idempotent on ``external_id``
  (the same caller and id answer 200 with the request already made). ``due_at`` is the end of the
  answer deadline's day in Asia/Shanghai.
- ``GET /api/tickets/{id}`` — 404 unless the caller may see it (its own enterprise's, or the
  system's own pushes).
- ``POST /api/tickets/{id}/events`` — ``{"kind": "progress" | "supplement", "text": …}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, django_auth

from huiqi.accounts.models import Role
from huiqi.audit.models import AuditEvent
from huiqi.audit.services import audit_record
from huiqi.core.deadlines import end_of_day
from huiqi.enterprises.models import Enterprise

from . import selectors, services
from .access import access_ticket_register, access_ticket_view
from .models import ApiClient, Ticket
from .schemas import ErrorOut, EventIn, TicketCreated, TicketIn, TicketOut
from .services import FormErrors, KeyRefused, TicketInput
from .workflow import WorkflowConflict, WorkflowError


class SystemKey(APIKeyHeader):
    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        if not key:
            return None  # fall through to the session
        try:
            return services.api_client_for_key(key, now=timezone.now())
        except KeyRefused as e:
            audit_record(actor=None, action="api.call", object_type="tickets.apiclient",
                         object_id=key[:10], result=AuditEvent.Result.DENIED,
                         detail=f"{request.method} {request.path}：{e}")
            raise HttpError(401, str(e)) from None


router = Router(tags=["企呼我应"], auth=[SystemKey(), django_auth])


def _client(request: HttpRequest) -> ApiClient | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiClient) else None


def _need(request: HttpRequest, scope: str) -> ApiClient | None:
    client = _client(request)
    if client is not None and scope not in client.scopes:
        _audit(request, client, result=AuditEvent.Result.DENIED, detail=f"缺少权限 {scope}")
        raise HttpError(403, f"该接口密钥没有“{ApiClient.Scope(scope).label}”权限")
    return client


def _audit(request: HttpRequest, client: ApiClient | None, *, ticket: Ticket | None = None,
           result: str = AuditEvent.Result.OK, detail: str = "") -> None:
    if client is None:
        return  # session calls are audited by the services they reach
    audit_record(actor=f"接口：{client.name}", action="api.call", obj=ticket or client, result=result,
                 detail=f"{request.method} {request.path} {detail}".strip())


def _created(ticket: Ticket) -> dict[str, Any]:
    assert ticket.due_at is not None
    return {"id": ticket.pk, "number": ticket.number, "status": ticket.status, "due_at": end_of_day(ticket.due_at)}


def _refused(request: HttpRequest, client: ApiClient | None, e: WorkflowError) -> dict[str, Any]:
    _audit(request, client, result=AuditEvent.Result.DENIED, detail=str(e)[:200])
    return {"detail": str(e), "errors": getattr(e, "errors", {})}


@router.post("/tickets", response={200: TicketCreated, 201: TicketCreated, 400: ErrorOut, 403: ErrorOut,
                                   409: ErrorOut}, summary="登记诉求（按外部编号幂等）")
def ticket_create(request: HttpRequest, payload: TicketIn) -> Status[dict[str, Any]]:
    client = _need(request, ApiClient.Scope.CREATE)
    user = request.user
    if client is None and not access_ticket_register(user):
        return Status(403, {"detail": "仅企业用户或政策专员可以登记诉求"})
    enterprise: Enterprise | None
    if client is None and getattr(user, "role", None) == Role.ENTERPRISE:
        enterprise = Enterprise.objects.get(pk=getattr(user, "enterprise_id", 0))
    else:
        enterprise = Enterprise.objects.filter(uscc=payload.enterprise_uscc.strip().upper()).first()
        if enterprise is None:
            return Status(400, _refused(request, client, FormErrors(
                {"enterprise_uscc": "请提供已在平台登记的企业统一社会信用代码"})))
    data = TicketInput(category=payload.category, title=payload.title, content=payload.content,
                       contact_name=payload.contact_name, contact_phone=payload.contact_phone,
                       related_item=payload.related_item, external_id=payload.external_id)
    try:
        ticket, created = services.ticket_register(actor=None if client else user, enterprise=enterprise, data=data,
                                                   now=timezone.now(), client=client)
    except WorkflowConflict as e:
        return Status(409, _refused(request, client, e))
    except WorkflowError as e:
        return Status(400, _refused(request, client, e))
    _audit(request, client, ticket=ticket, detail="新建" if created else "重复推送，返回已有诉求")
    return Status(201 if created else 200, _created(ticket))


def _visible(request: HttpRequest, ticket_id: int, scope: str) -> tuple[Ticket, ApiClient | None]:
    client = _need(request, scope)
    ticket = get_object_or_404(Ticket.objects.select_related("category", "enterprise", "lead_department"),
                               pk=ticket_id)
    allowed = ticket.client_id == client.pk if client is not None else access_ticket_view(request.user, ticket)
    if not allowed:
        _audit(request, client, result=AuditEvent.Result.DENIED, detail="无权查看")
        raise HttpError(404, "诉求不存在")
    return ticket, client


def _out(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk, "number": ticket.number, "status": ticket.status,
        "status_label": ticket.get_status_display(), "category": ticket.category.name, "title": ticket.title,
        "enterprise": ticket.enterprise.name, "due_at": end_of_day(ticket.due_at) if ticket.due_at else None,
        "colour": ticket.colour, "lead_department": ticket.lead_department.name if ticket.lead_department else None,
        "answer": ticket.answer, "rating": ticket.rating, "escalated": ticket.escalated_at is not None,
        "external_id": ticket.external_id,
        "events": [{"at": timezone.localtime(e.at).isoformat(), "label": e.label} for e in selectors.timeline(ticket)],
    }


@router.get("/tickets/{ticket_id}", response={200: TicketOut, 404: ErrorOut}, summary="查询诉求及办理记录")
def ticket_get(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    ticket, client = _visible(request, ticket_id, ApiClient.Scope.READ)
    _audit(request, client, ticket=ticket)
    return _out(ticket)


@router.post("/tickets/{ticket_id}/events", response={200: TicketOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             summary="回传办理进展或企业补充说明")
def ticket_event(request: HttpRequest, ticket_id: int, payload: EventIn) -> Status[dict[str, Any]]:
    ticket, client = _visible(request, ticket_id, ApiClient.Scope.EVENTS)
    try:
        if client is not None:
            services.ticket_event_push(client=client, ticket=ticket, kind=payload.kind, text=payload.text,
                                       now=timezone.now())
        elif payload.kind == "supplement":
            services.ticket_supplement(actor=request.user, ticket=ticket, text=payload.text, now=timezone.now())
        else:
            raise FormErrors({"kind": "企业用户只能回传 supplement（补充说明）"})
    except WorkflowConflict as e:
        return Status(409, _refused(request, client, e))
    except WorkflowError as e:
        return Status(400, _refused(request, client, e))
    _audit(request, client, ticket=ticket, detail=payload.kind)
    ticket.refresh_from_db()
    return Status(200, _out(ticket))
