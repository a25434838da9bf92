"""An append-only table on PostgreSQL: a trigger refuses UPDATE and DELETE, so only someone who
can switch triggers off (a database superuser) can change history. Used by the migrations of
the audit log and the disbursement ledger; on other databases the models' own refusal applies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Step = Callable[[Any, Any], None]


def _refusing_trigger(*, table: str, function: str, trigger: str, event: str, each: str,
                      message: str) -> tuple[Step, Step]:
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger} BEFORE {event} ON {table}
    FOR EACH {each} EXECUTE FUNCTION {function}();
"""
    drop = f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return forwards, backwards


def append_only_trigger(*, table: str, message: str) -> tuple[Step, Step]:
    """(forwards, backwards) for migrations.RunPython."""
    return _refusing_trigger(table=table, function=f"{table}_refuse_change", trigger=f"{table}_append_only",
                             event="UPDATE OR DELETE", each="ROW", message=message)


def truncate_refusal_trigger(*, table: str, message: str) -> tuple[Step, Step]:
    """(forwards, backwards) for migrations.RunPython: a statement trigger refusing TRUNCATE,
    which row triggers do not see. Like the row triggers it does not fire for a session in
    `session_replication_role = replica` (database superusers only), which is how `flush` empties
    the test database."""
    return _refusing_trigger(table=table, function=f"{table}_refuse_truncate", trigger=f"{table}_no_truncate",
                             event="TRUNCATE", each="STATEMENT", message=message)
