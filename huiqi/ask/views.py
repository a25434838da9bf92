"""问政策 page: anyone asks; an enterprise user also sees its own verdict on each answered clause."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huiqi.accounts.access import access_own_enterprise_pages
from huiqi.core.ratelimit import over_limit
from huiqi.enterprises.models import Enterprise

from .answers import EXAMPLES, BadQuestion, answer_question, clean_question


def own_enterprise(request: HttpRequest) -> Enterprise | None:
    """The viewer's own enterprise when the viewer is an enterprise user, else None."""
    user = request.user
    if not access_own_enterprise_pages(user):
        return None
    enterprise = getattr(user, "enterprise", None)
    return enterprise if isinstance(enterprise, Enterprise) else None


def ask_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"examples": EXAMPLES}
    if "q" not in request.GET:
        return render(request, "ask/ask.html", context)
    raw = request.GET.get("q", "")
    context["q"] = raw[:1000]
    try:
        question = clean_question(raw)
    except BadQuestion as error:
        context["error"] = str(error)
        return render(request, "ask/ask.html", context, status=400)
    message = over_limit(request, "ask")
    if message:
        context["error"] = message
        return render(request, "ask/ask.html", context, status=429)
    context["answer"] = answer_question(question, enterprise=own_enterprise(request), on=timezone.localdate())
    return render(request, "ask/ask.html", context)
