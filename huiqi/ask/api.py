"""JSON API of 问政策: the same answer as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError

from huiqi.core.ratelimit import over_limit

from .answers import BadQuestion, answer_question, clean_question
from .views import own_enterprise

router = Router(tags=["问政策"])


@router.get("/ask", summary="问政策：用一句话提问，回答只引用已发布政策库中的条款（企业用户附本企业的匹配结果）")
def ask(request: HttpRequest, q: str = "") -> dict[str, Any]:
    try:
        question = clean_question(q)
    except BadQuestion as error:
        raise HttpError(400, str(error)) from None
    message = over_limit(request, "ask")
    if message:
        raise HttpError(429, message)
    return answer_question(question, enterprise=own_enterprise(request), on=timezone.localdate()).to_dict()
