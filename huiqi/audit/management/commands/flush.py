"""Django's `flush`, able to empty the audit log only as a database superuser.

On PostgreSQL the audit tables refuse TRUNCATE (a trigger). Emptying a database is a developer and
test-suite tool, so this command switches the session to `session_replication_role = replica`
(which only a superuser may do, and under which triggers do not fire) for the flush; for anyone
else the trigger refuses and the flush fails, as it should."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        replica = False
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = replica")
                replica = True
            except DatabaseError:  # not a superuser: the audit tables keep refusing TRUNCATE
                pass
        try:
            super().handle(**options)
        finally:
            if replica:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = DEFAULT")
