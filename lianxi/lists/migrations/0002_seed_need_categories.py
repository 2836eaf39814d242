"""Seed the default need/resource categories. Reversible: removes only the seeded codes that no
need or resource uses yet."""

from django.db import migrations

DEFAULT_CATEGORIES = [
    ("elderly", "为老服务"),
    ("youth", "青少年"),
    ("employment", "就业创业"),
    ("culture", "文化"),
    ("health", "健康医疗"),
    ("legal", "法律"),
    ("environment", "环境与更新"),
    ("venue", "阵地场地"),
    ("volunteering", "志愿服务"),
    ("funding", "资金"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    NeedCategory = apps.get_model("lists", "NeedCategory")
    for order, (code, name) in enumerate(DEFAULT_CATEGORIES, start=1):
        NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    NeedCategory = apps.get_model("lists", "NeedCategory")
    codes = [code for code, _ in DEFAULT_CATEGORIES]
    NeedCategory.objects.filter(code__in=codes, needs__isnull=True, resources__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_lists_initial")]

    operations = [migrations.RunPython(seed, unseed)]
