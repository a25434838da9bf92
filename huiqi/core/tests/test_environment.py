"""Production refuses to start without the secrets every host must share; the demo needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.environment import ConfigurationError, env_bool, missing_production_secrets

REPO = Path(__file__).resolve().parents[3]


def _env_without_secrets(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"HUIQI_SECRET_KEY", "HUIQI_FIELD_KEY", "DATABASE_URL", "HUIQI_ENV", "DJANGO_SETTINGS_MODULE"}}
    env["HUIQI_VAR_DIR"] = str(tmp_path)
    env.update(extra)
    return env


@pytest.mark.parametrize("command", [["up", "--no-worker"], ["worker", "--batch"]])
def test_with_a_database_url_and_no_secret_key_huiqi_up_and_the_worker_refuse_to_start_naming_it(
        tmp_path: Path, command: list[str]) -> None:
    env = _env_without_secrets(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
                               HUIQI_FIELD_KEY="configured")
    done = subprocess.run([sys.executable, "-m", "huiqi.cli", *command], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=60, check=False)
    assert done.returncode != 0
    assert "HUIQI_SECRET_KEY" in done.stderr and "HUIQI_FIELD_KEY" not in done.stderr
    assert not (tmp_path / "staticfiles" / "admin").exists()  # refused before doing anything


def test_the_web_server_refuses_to_load_in_production_without_the_field_key(tmp_path: Path) -> None:
    env = _env_without_secrets(tmp_path, HUIQI_ENV="production", HUIQI_SECRET_KEY="configured")
    done = subprocess.run([sys.executable, "-c", "import config.wsgi"], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=60, check=False)
    assert done.returncode != 0 and "HUIQI_FIELD_KEY" in done.stderr


def test_the_sqlite_demo_needs_no_settings_at_all() -> None:
    assert missing_production_secrets({}) == []
    assert missing_production_secrets({"HUIQI_ENV": "demo"}) == []


def test_production_is_postgresql_or_said_so() -> None:
    assert missing_production_secrets({"DATABASE_URL": "postgres://x/y"}) == ["HUIQI_SECRET_KEY", "HUIQI_FIELD_KEY"]
    assert missing_production_secrets({"HUIQI_ENV": "production", "HUIQI_SECRET_KEY": "k"}) == ["HUIQI_FIELD_KEY"]
    assert missing_production_secrets({"DATABASE_URL": "postgres://x/y", "HUIQI_SECRET_KEY": "k",
                                       "HUIQI_FIELD_KEY": "f"}) == []


def test_boolean_settings_accept_the_usual_words_and_refuse_anything_else() -> None:
    assert env_bool("X", environ={"X": " Yes "}) is True
    assert env_bool("X", environ={"X": "off"}) is False
    assert env_bool("X", default=True, environ={}) is True
    with pytest.raises(ConfigurationError, match="HUIQI_DEBUG"):
        env_bool("HUIQI_DEBUG", environ={"HUIQI_DEBUG": "ture"})
