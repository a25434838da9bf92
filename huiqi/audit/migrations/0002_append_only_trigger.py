"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log, so only someone
who can disable triggers (a database superuser) can tamper — and `huiqi audit verify` finds that."""

from django.db import migrations

from huiqi.core.append_only import append_only_trigger

forwards, backwards = append_only_trigger(table="audit_auditevent", message="审计日志只能追加，不能修改或删除")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
