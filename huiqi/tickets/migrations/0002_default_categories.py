"""The default categories (an administrator edits them afterwards)."""

from django.db import migrations

from huiqi.tickets.defaults import ensure_categories


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    ensure_categories(apps.get_model("tickets", "TicketCategory"))


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
