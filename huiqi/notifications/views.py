from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from huiqi.core.access_views import require

from .models import Channel, Notification
from .reach import opt_out_target, reach_opt_out
from .services import notification_mark_read


def inbox(request: HttpRequest) -> HttpResponse:
    require(request, request.user.is_authenticated)
    notes = Notification.objects.filter(recipient_id=request.user.pk)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": notes.filter(read_at__isnull=True).count()})


@csrf_exempt  # the signed token is the credential (one-click POST from mail clients), as for 订阅退订
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every text message and e-mail to an enterprise contact: GET (a person, or a
    scanner prefetching the link) only asks for confirmation; the POST opts out. No login."""
    from django.core.exceptions import ValidationError

    try:
        if request.method == "POST":
            enterprise, channel = reach_opt_out(token=token)
            done = True
        else:
            enterprise, channel = opt_out_target(token)
            done = enterprise.reach_opt_outs.filter(channel=channel).exists()
    except ValidationError as error:
        return render(request, "notifications/opt_out.html", {"error": "；".join(error.messages)}, status=400)
    return render(request, "notifications/opt_out.html", {"name": enterprise.name, "done": done,
                                                           "channel": Channel(channel).label})


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, request.user.is_authenticated)
    note = get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)
    notification_mark_read(actor=request.user, notification=note)
    return redirect(note.link or "notifications:inbox")
