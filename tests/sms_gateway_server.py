"""A tiny SMS gateway on 127.0.0.1 for the HTTP adapter tests: it answers each POST with the next
status of a script the test sets, and records the requests (headers and JSON body) it received."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.local_http import JsonHandler, serving


@dataclass
class GatewayServer:
    url: str
    statuses: list[int] = field(default_factory=list)  # one per request; 200 once the list runs out
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def sms_gateway() -> Iterator[GatewayServer]:
    state = GatewayServer(url="")
    lock = threading.Lock()

    class Handler(JsonHandler):
        def do_POST(self) -> None:
            raw = self.read_body()
            with lock:
                state.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                       "body": json.loads(raw)})
                status = state.statuses.pop(0) if state.statuses else 200
            self.send_json(status, {"message_id": f"gw-{len(state.requests)}"} if status == 200 else {"error": "busy"})

    with serving(Handler) as base:
        state.url = f"{base}/sms/send"
        yield state
