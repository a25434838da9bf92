"""gunicorn settings `huiqi up` loads (``-c python:config.gunicorn_conf``).

gunicorn writes ``Server: gunicorn`` into every response itself, below Django; the header tells
an attacker which server (and so which advisories) to try. The master imports this module before
forking its workers, so the patch below holds in every worker.
"""

from __future__ import annotations

from gunicorn.http import wsgi


def _without_server(self: wsgi.Response) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_default_headers = wsgi.Response.default_headers
wsgi.Response.default_headers = _without_server  # type: ignore[method-assign]
