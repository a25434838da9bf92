"""Hardening of every response: CSP without inline script, no-store for logged-in pages, no
Server header from gunicorn, HTTPS-only cookies and HSTS when served over HTTPS, private uploads."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_every_page_carries_a_csp_that_allows_no_inline_script(client: Client) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_carries_inline_script_or_an_event_handler_attribute() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = []
    for template in (ROOT / "huiqi").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        found += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in inline.finditer(text)]
        found += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in handler.finditer(text)]
    assert found == []


@pytest.mark.django_db
def test_pages_of_a_logged_in_user_are_not_cached_and_public_ones_may_be(client: Client, make_user: Any) -> None:
    assert "no-store" not in client.get("/policies/").headers.get("Cache-Control", "")
    client.force_login(make_user("officer"))
    assert client.get("/policies/").headers["Cache-Control"] == "no-store"
    assert client.get("/api/policies").headers["Cache-Control"] == "no-store"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_as_huiqi_up_starts_it_sends_no_server_header(tmp_path: Path) -> None:
    from huiqi.cli import gunicorn_command

    port = _free_port()
    env = {**os.environ, "HUIQI_VAR_DIR": str(tmp_path)}
    server = subprocess.Popen(gunicorn_command(host="127.0.0.1", port=port, workers=1), cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        headers = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5) as response:
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.2)
        assert headers is not None, "gunicorn did not answer"
        assert "Server" not in headers and "gunicorn" not in str(headers).lower()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


def test_uploaded_files_and_their_folders_are_not_world_readable() -> None:
    from django.conf import settings

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o750


def test_over_https_cookies_are_secure_and_hsts_is_sent_and_check_deploy_is_clean(tmp_path: Path) -> None:
    env = {**os.environ, "HUIQI_HTTPS": "true", "HUIQI_SECRET_KEY": "k" * 60 + "-not-a-real-key-Q9x",
           "HUIQI_ALLOWED_HOSTS": "huiqi.example.gov.cn", "HUIQI_DEBUG": "", "HUIQI_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of this process, never in production
    shown = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c",
         "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup();"
         "from django.conf import settings as s;"
         "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert shown.stdout.split() == ["True", "True", "True", "True"], shown.stderr[-2000:]
    check = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
