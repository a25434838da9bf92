"""A tiny OpenAI-compatible chat-completions server on 127.0.0.1 for the adapter tests: it
answers with whatever content the test sets and records the requests it received."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.local_http import JsonHandler, serving


@dataclass
class ChatServer:
    url: str
    content: str = "{}"
    delay: float = 0.0
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@contextmanager
def chat_server() -> Iterator[ChatServer]:
    state = ChatServer(url="")

    class Handler(JsonHandler):
        def do_POST(self) -> None:
            state.requests.append(json.loads(self.read_body()))
            state.paths.append(self.path)
            if state.delay:
                time.sleep(state.delay)
            self.send_json(state.status, {
                "id": "x", "object": "chat.completion", "model": "test",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": state.content}}]})

    with serving(Handler) as base:
        state.url = base
        yield state
