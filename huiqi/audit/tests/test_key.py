"""The audit key: production refuses to start without HUIQI_AUDIT_KEY; the demo keeps one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _import_settings(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "HUIQI_AUDIT_KEY", "HUIQI_ENV"}}
    env.update(HUIQI_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run([sys.executable, "-c", "import config.settings as s; print(len(s.HUIQI_AUDIT_KEY))"],
                          env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[3])


def test_production_without_an_audit_key_refuses_to_start_and_names_the_setting(tmp_path: Path) -> None:
    done = _import_settings(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/none",
                            HUIQI_SECRET_KEY="x" * 50, HUIQI_FIELD_KEY="y" * 44)
    assert done.returncode != 0
    assert "HUIQI_AUDIT_KEY" in done.stderr
    done = _import_settings(tmp_path, HUIQI_ENV="production", HUIQI_SECRET_KEY="x" * 50, HUIQI_FIELD_KEY="y" * 44)
    assert done.returncode != 0 and "HUIQI_AUDIT_KEY" in done.stderr


def test_the_sqlite_demo_keeps_one_audit_key_under_var_with_no_settings(tmp_path: Path) -> None:
    first = _import_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "audit_key").read_text()
    assert _import_settings(tmp_path).returncode == 0
    assert (tmp_path / "audit_key").read_text() == key and len(key) > 40
