"""Trigram indexes for directory search at national scale (PostgreSQL only)."""

from django.db import migrations

from silta.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("organisations", "0002_unit_description_fi_unit_description_sv_and_more"),
        ("accounts", "0002_user_search_name_user_user_search_name"),
    ]
    operations = [
        PostgresOnlySQL(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop
        ),
        PostgresOnlySQL(
            "CREATE INDEX unit_search_trgm ON organisations_unit "
            "USING gin (search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS unit_search_trgm",
        ),
        PostgresOnlySQL(
            "CREATE INDEX user_search_trgm ON accounts_user USING gin (search_name gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS user_search_trgm",
        ),
    ]
