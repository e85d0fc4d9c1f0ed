"""Link every municipality to its Kela service area (2026 data, CC BY 4.0)."""

from django.db import migrations


def load(apps, schema_editor):
    from silta.reference.loaders import KELA_AREAS_FILE, load_kela_service_areas

    load_kela_service_areas(
        KELA_AREAS_FILE,
        area_model=apps.get_model("reference", "KelaServiceArea"),
        municipality_model=apps.get_model("reference", "Municipality"),
    )


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_kelaservicearea_municipality_kela_service_area")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
