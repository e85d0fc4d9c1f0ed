"""Clients' dates of birth, read from their identity codes (lists show it, not the code)."""

from django.db import migrations, models

from silta.clients.identity_codes import birth_date_of


def fill_birth_dates(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    batch = []
    for client in Client.objects.only("pk", "identity_code").iterator(chunk_size=2000):
        client.birth_date = birth_date_of(client.identity_code)
        batch.append(client)
        if len(batch) >= 2000:
            Client.objects.bulk_update(batch, ["birth_date"])
            batch = []
    Client.objects.bulk_update(batch, ["birth_date"])


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_ownworker")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="birth_date",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="date of birth"
            ),
        ),
        migrations.RunPython(fill_birth_dates, migrations.RunPython.noop),
    ]
