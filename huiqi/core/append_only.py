"""An append-only table on PostgreSQL: a trigger refuses UPDATE and DELETE, so only someone who
can switch triggers off (a database superuser) can change history. Used by the migrations of
the audit log and the disbursement ledger; on other databases the models' own refusal applies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Step = Callable[[Any, Any], None]


def append_only_trigger(*, table: str, message: str) -> tuple[Step, Step]:
    """(forwards, backwards) for migrations.RunPython."""
    function = f"{table}_refuse_change"
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    drop = f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}; DROP FUNCTION IF EXISTS {function}();"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return forwards, backwards


def truncate_refusal_trigger(*, table: str, message: str) -> tuple[Step, Step]:
    """(forwards, backwards) for migrations.RunPython: a statement trigger refusing TRUNCATE,
    which row triggers do not see. Like the row triggers it does not fire for a session in
    `session_replication_role = replica` (database superusers only), which is how `flush` empties
    the test database."""
    function = f"{table}_refuse_truncate"
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    drop = f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; DROP FUNCTION IF EXISTS {function}();"

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return forwards, backwards
