"""Reading the environment strictly, and refusing to start production without its secrets.

No Django import: `huiqi up` checks before it sets Django up, the WSGI module and the worker
before they serve. Production is PostgreSQL (``DATABASE_URL`` set) or ``HUIQI_ENV=production``;
there every host must get the same ``HUIQI_SECRET_KEY`` (sessions, signed links) and
``HUIQI_FIELD_KEY`` (encrypted bank accounts), or what one host writes another cannot read.
The SQLite demo needs no settings at all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})
PRODUCTION_SECRETS = ("HUIQI_SECRET_KEY", "HUIQI_FIELD_KEY")
SMS_HTTP_BACKEND = "huiqi.notifications.sms.HttpSmsBackend"
SMS_HTTP_SETTINGS = ("HUIQI_SMS_URL", "HUIQI_SMS_ACCOUNT", "HUIQI_SMS_SECRET")


class ConfigurationError(RuntimeError):
    """A setting in the environment is missing or malformed; the message names it (in Chinese)."""


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); anything else is an error, not false."""
    raw = (os.environ if environ is None else environ).get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigurationError(f"环境变量 {name} 的值“{raw}”无法识别：请填写 true/false、1/0、yes/no 或 on/off")


def is_production(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    stage = env.get("HUIQI_ENV", "").strip().lower()
    if stage not in {"", "production", "demo"}:
        raise ConfigurationError(f"环境变量 HUIQI_ENV 的值“{env.get('HUIQI_ENV')}”无法识别：请填写 production 或 demo")
    return stage == "production" or bool(env.get("DATABASE_URL", "").strip())


def missing_production_secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    if not is_production(env):
        return []
    needed = list(PRODUCTION_SECRETS)
    if env.get("HUIQI_SMS_BACKEND", "").strip() == SMS_HTTP_BACKEND:  # a gateway without its secret sends nothing
        needed += SMS_HTTP_SETTINGS
    return [name for name in needed if not env.get(name, "").strip()]


def production_problem(what: str) -> str:
    """Why ``what`` must not start here, naming each missing setting; "" when it may."""
    try:
        missing = missing_production_secrets()
    except ConfigurationError as error:
        return f"{what}无法启动：{error}"
    if missing:
        return (f"{what}无法启动：生产环境（已设置 DATABASE_URL 或 HUIQI_ENV=production）必须设置 "
                f"{'、'.join(missing)}，且每台主机取值相同（见 README「多台主机部署」）")
    return ""


def require_production_secrets(what: str) -> None:
    """Exit with status 2 and the message on stderr (huiqi up, huiqi worker)."""
    if problem := production_problem(what):
        print(problem, file=sys.stderr)
        raise SystemExit(2)
