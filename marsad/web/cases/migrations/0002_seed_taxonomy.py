from django.db import migrations

from marsad.web.cases.taxonomy import seed_personas, seed_taxonomy


def seed(apps, schema_editor):
    seed_taxonomy(apps.get_model("cases", "Term"))
    seed_personas(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
