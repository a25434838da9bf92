from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent


def audit_events(*, viewer: Any, action: str = "", actor: str = "", object_id: str = "",
                 start: date | None = None, end: date | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.select_related("seal").order_by("-id")
    if action:
        # "application." selects every action on applications; a full code selects that one
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs
