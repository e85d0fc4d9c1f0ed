"""Webhook signing secrets encrypted at rest (silta.core.fieldcrypto).

The columns are widened first (a Fernet token of a 50-character secret is 164 characters),
the existing plain secrets encrypted in place with the current SILTA_FIELD_KEY, then the
fields become EncryptedCharField (no change in the database). Backwards decrypts them.
"""

from typing import Any

from django.db import migrations, models

import silta.core.fieldcrypto
from silta.core.fieldcrypto import TOKEN_PREFIX, decrypt, encrypt

FIELDS = ("secret", "previous_secret")


def _convert(apps: Any, change: Any, done: Any) -> None:
    Subscription = apps.get_model("webhooks", "Subscription")
    for sub in Subscription.objects.only("pk", *FIELDS):
        values = {
            name: change(getattr(sub, name))
            for name in FIELDS
            if getattr(sub, name) and not done(getattr(sub, name))
        }
        if values:
            Subscription.objects.filter(pk=sub.pk).update(**values)


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    _convert(apps, encrypt, lambda value: value.startswith(TOKEN_PREFIX))


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    _convert(apps, decrypt, lambda value: not value.startswith(TOKEN_PREFIX))


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="subscription",
            name="previous_secret",
            field=models.CharField(blank=True, editable=False, max_length=300),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="secret",
            field=models.CharField(editable=False, max_length=300),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="subscription",
            name="previous_secret",
            field=silta.core.fieldcrypto.EncryptedCharField(
                blank=True, editable=False, max_length=300
            ),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="secret",
            field=silta.core.fieldcrypto.EncryptedCharField(editable=False, max_length=300),
        ),
    ]
