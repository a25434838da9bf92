"""The qualification catalogue (资质目录) starts with the entries RULES.md §2 names; officers add
the rest as policies need them."""

from typing import Any

from django.db import migrations

from huiqi.enterprises.catalogue import catalogue_seed_missing


def seed(apps: Any, schema_editor: Any) -> None:
    catalogue_seed_missing(using=schema_editor.connection.alias, model=apps.get_model("enterprises", "Qualification"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
