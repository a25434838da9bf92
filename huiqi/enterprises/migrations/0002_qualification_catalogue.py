"""The qualification catalogue (资质目录) starts with the entries RULES.md §2 names; officers add
the rest as policies need them."""

from typing import Any

from django.db import migrations

# code, name, level, usual validity in years (None: no fixed term), aliases
CATALOGUE: tuple[tuple[str, str, str, int | None, list[str]], ...] = (
    ("hnte", "高新技术企业", "national", 3, ["国家高新技术企业", "高企"]),
    ("tsme", "科技型中小企业", "national", 1, ["科技型中小企业入库"]),
    ("innovative_sme", "创新型中小企业", "province", 3, []),
    ("srdi", "省级专精特新中小企业", "province", 3, ["专精特新中小企业", "专精特新"]),
    ("little_giant", '国家级专精特新"小巨人"', "national", 3, ["专精特新小巨人", "小巨人", "专精特新“小巨人”"]),
    ("above_scale", "规模以上企业", "other", None, ["规上企业", "规模以上工业企业"]),
    ("gazelle", "瞪羚企业", "other", None, []),
    ("unicorn", "独角兽企业", "other", None, []),
    ("tech_center_prov", "省级企业技术中心", "province", None, []),
    ("tech_center_nat", "国家企业技术中心", "national", None, []),
)


def seed(apps: Any, schema_editor: Any) -> None:
    Qualification = apps.get_model("enterprises", "Qualification")
    for code, name, level, years, aliases in CATALOGUE:
        Qualification.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "validity_years": years, "aliases": aliases})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
