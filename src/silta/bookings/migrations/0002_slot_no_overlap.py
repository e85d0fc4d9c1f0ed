"""PostgreSQL: two slots of one unit's resource may not overlap (an exclusion constraint;
btree_gist gives GiST the equality of the unit and the resource). Other databases rely
on the service's check under a lock on the unit's row."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_slot ADD CONSTRAINT slot_no_overlap EXCLUDE USING gist (
    unit_id WITH =, resource WITH =, tstzrange(starts_at, ends_at) WITH &&
);
"""
DROP = "ALTER TABLE bookings_slot DROP CONSTRAINT IF EXISTS slot_no_overlap;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
