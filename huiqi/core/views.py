from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyItem


def home(request: HttpRequest) -> HttpResponse:
    published = PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED)
    context = {
        "published_count": published.count(),
        "auto_count": published.filter(mode="免申即享").count(),
        "enterprise_count": Enterprise.objects.count(),
        "latest_items": published.select_related("document").order_by("-published_at")[:6],
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the request id under which the error was logged (for the help desk)."""
    from django.template import loader

    from .request_context import current_request

    request_id = current_request().request_id or str(getattr(request, "request_id", ""))
    body = loader.get_template("500.html").render({"request_id": request_id})
    return HttpResponse(body, status=500)
