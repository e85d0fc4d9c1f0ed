from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("exchange", "0007_thread_expense_kind"),
    ]

    operations = [
        # Threads about an expense kind by the time they were started (the handoff figures
        # count them as handed to the other organisation).
        migrations.RunSQL(
            "CREATE INDEX analytics_thread_expense_at ON exchange_thread (created_at) "
            "WHERE expense_kind <> ''",
            "DROP INDEX analytics_thread_expense_at",
        ),
    ]
