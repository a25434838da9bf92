"""On PostgreSQL the database itself refuses UPDATE and DELETE on the ledger, as it does on the
audit log: a payment, once booked, is corrected only by a new reversal entry."""

from django.db import migrations

from huiqi.core.append_only import append_only_trigger

forwards, backwards = append_only_trigger(table="disbursement_ledgerentry",
                                          message="资金台账只能追加，更正请记冲正分录")


class Migration(migrations.Migration):
    dependencies = [("disbursement", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
