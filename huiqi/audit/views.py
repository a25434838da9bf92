from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date

from huiqi.accounts.access import access_audit_log
from huiqi.core.access_views import require

from .selectors import audit_events
from .services import audit_verify


def audit_log(request: HttpRequest) -> HttpResponse:
    require(request, access_audit_log(request.user))
    filters = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "object_id", "start", "end")}
    events = audit_events(viewer=request.user, action=filters["action"], actor=filters["actor"],
                          object_id=filters["object_id"], start=parse_date(filters["start"] or "") if filters["start"] else None,
                          end=parse_date(filters["end"] or "") if filters["end"] else None)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    verification = audit_verify() if request.GET.get("verify") else None
    return render(request, "audit/log.html", {"page": page, "filters": filters, "verification": verification})
