"""Key guide entries by the shared expense-kind code (``reference.expense_kinds``).

A national entry's code is its slug (the starter set used the codes as slugs); a local
variant carries its national entry's code.
"""

from django.db import migrations, models

import silta.reference.expense_kinds


def fill_codes(apps, schema_editor):
    GuideEntry = apps.get_model("knowledge", "GuideEntry")
    known = set(silta.reference.expense_kinds.ExpenseKind.values)
    for entry in GuideEntry.objects.select_related("national").order_by("pk"):
        code = entry.national.slug if entry.national_id else entry.slug
        if code not in known:
            raise RuntimeError(
                f"Guide entry {entry.slug!r} has no expense-kind code; add it to "
                "silta/reference/expense_kinds.py before migrating."
            )
        entry.expense_kind = code
        entry.save(update_fields=["expense_kind"])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="guideentry",
            name="expense_kind",
            field=models.CharField(default="", max_length=40, verbose_name="expense kind"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="guideentry",
            name="expense_kind",
            field=models.CharField(
                choices=silta.reference.expense_kinds.ExpenseKind.choices,
                max_length=40,
                verbose_name="expense kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="guideentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(national__isnull=True),
                fields=("expense_kind",),
                name="guideentry_one_national_per_kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="guideentry",
            constraint=models.UniqueConstraint(
                fields=("expense_kind", "owner"), name="guideentry_one_per_kind_and_owner"
            ),
        ),
        migrations.AddIndex(
            model_name="guideentry",
            index=models.Index(fields=["expense_kind"], name="guideentry_kind"),
        ),
    ]
