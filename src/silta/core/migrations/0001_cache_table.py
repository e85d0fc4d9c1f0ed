"""The database cache's table (the default cache: login throttling, worker heartbeat).

``createcachetable`` is idempotent and does nothing for a Redis cache, so ``migrate``
prepares whatever ``CACHE_URL`` names; run ``manage.py createcachetable`` yourself after
switching an existing installation to another cache table.
"""

from django.core.management import call_command
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_cache_table(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
