from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "platform_name": "惠企直达",
        "platform_slogan": "政策找企 · 免申即享 · 直达账户",
        "current_role": getattr(user, "role", "") if user is not None and user.is_authenticated else "",
    }
