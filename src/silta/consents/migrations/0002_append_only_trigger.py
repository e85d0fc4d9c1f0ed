"""On PostgreSQL the database itself refuses UPDATE and DELETE of consents, their
revocations, the consent wordings and the disclosure log, with the audit log's trigger
function (one mechanism)."""

from django.db import migrations

from silta.core.migration_operations import PostgresOnlySQL

TABLES = (
    "consents_consentwording",
    "consents_consent",
    "consents_consentrevocation",
    "consents_disclosure",
)


def _trigger(table: str) -> PostgresOnlySQL:
    name = f"{table}_append_only"
    return PostgresOnlySQL(
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION silta_audit_append_only()",
        reverse_sql=f"DROP TRIGGER IF EXISTS {name} ON {table}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0001_initial"),
        ("audit", "0003_append_only_trigger"),
    ]
    operations = [_trigger(table) for table in TABLES]
