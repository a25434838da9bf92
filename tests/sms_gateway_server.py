"""A tiny SMS gateway on 127.0.0.1 for the HTTP adapter tests: it answers each POST with the next
status of a script the test sets, and records the requests (headers and JSON body) it received."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class GatewayServer:
    url: str
    statuses: list[int] = field(default_factory=list)  # one per request; 200 once the list runs out
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def sms_gateway() -> Iterator[GatewayServer]:
    state = GatewayServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            with lock:
                state.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                       "body": json.loads(raw)})
                status = state.statuses.pop(0) if state.statuses else 200
            answer = {"message_id": f"gw-{len(state.requests)}"} if status == 200 else {"error": "busy"}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
