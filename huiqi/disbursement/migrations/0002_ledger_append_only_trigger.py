"""On PostgreSQL the database itself refuses UPDATE and DELETE on the ledger, as it does on the
audit log: a payment, once booked, is corrected only by a new reversal entry."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '资金台账只能追加，更正请记冲正分录';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON disbursement_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
DROP = """
DROP TRIGGER IF EXISTS ledger_append_only ON disbursement_ledgerentry;
DROP FUNCTION IF EXISTS ledger_refuse_change();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("disbursement", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
