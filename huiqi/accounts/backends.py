from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from huiqi.core.request_context import client_ip


class LockoutModelBackend(ModelBackend):
    """The model backend that also refuses a username locked for the client's address, whatever
    path logs it in."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        from .services import login_locked

        if request is not None and username and login_locked(username=username, client=client_ip(request)):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
