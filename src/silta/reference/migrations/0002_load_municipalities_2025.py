"""Load the 2025 municipality classification (Statistics Finland, CC BY 4.0)."""

from django.db import migrations


def load(apps, schema_editor):
    from silta.reference.loaders import DEFAULT_FILE, load_municipalities, read_rows

    Municipality = apps.get_model("reference", "Municipality")
    load_municipalities(read_rows(DEFAULT_FILE), year=2025, model=Municipality)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
