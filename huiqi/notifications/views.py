from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huiqi.core.access_views import require

from .models import Notification
from .services import notification_mark_read


def inbox(request: HttpRequest) -> HttpResponse:
    require(request, request.user.is_authenticated)
    notes = Notification.objects.filter(recipient_id=request.user.pk)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": notes.filter(read_at__isnull=True).count()})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, request.user.is_authenticated)
    note = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notification_mark_read(actor=request.user, notification=note)
    return redirect(note.link or "notifications:inbox")
