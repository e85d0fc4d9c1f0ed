"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit events, whatever
code runs (TRUNCATE, used only by test teardown, is not affected)."""

from django.db import migrations

from silta.core.migration_operations import PostgresOnlySQL

FUNCTION = """
CREATE OR REPLACE FUNCTION silta_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_alter_auditevent_options")]
    operations = [
        PostgresOnlySQL(FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS silta_audit_append_only"),
        PostgresOnlySQL(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION silta_audit_append_only()",
            reverse_sql="DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent",
        ),
    ]
