"""Issue 9 bench: the disclosure log keeps the indexes its reads use (the primary key, the
public id, (client, time), time) and loses the other eight, which every disclosure paid
for. Only the indexes are dropped (the foreign keys stay, not re-validated); the public
id of a new row is time ordered (no change in the database)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import silta.consents.models

DROPPED = {
    "consents_disclosure_api_key_id_9a38b266": "api_key_id",
    "consents_disclosure_client_id_f4b67683": "client_id",
    "consents_disclosure_consent_id_675d0a88": "consent_id",
    "consents_disclosure_discloser_organisation_id_2453d3f6": "discloser_organisation_id",
    "consents_disclosure_discloser_unit_id_901b161b": "discloser_unit_id",
    "consents_disclosure_discloser_user_id_fbe04437": "discloser_user_id",
    "consents_disclosure_recipient_organisation_id_ce38a27e": "recipient_organisation_id",
    "consents_disclosure_recipient_unit_id_e0df4446": "recipient_unit_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("api_keys", "0002_scopes"),
        ("clients", "0003_client_birth_date"),
        ("consents", "0007_minutes_disclosure"),
        ("organisations", "0004_unit_stale_reminded_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "consents_disclosure" ("{column}")',
                )
                for name, column in DROPPED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="disclosure",
                    name="api_key",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="api_keys.apikey",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="client",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clients.client",
                        verbose_name="client",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="consent",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="consents.consent",
                        verbose_name="consent",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="discloser_organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="discloser organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="discloser_unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.unit",
                        verbose_name="discloser unit",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="discloser_user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="public_id",
                    field=models.UUIDField(
                        default=silta.consents.models.time_ordered_uuid, editable=False, unique=True
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="recipient_organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                        verbose_name="recipient organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="disclosure",
                    name="recipient_unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.unit",
                        verbose_name="recipient unit",
                    ),
                ),
            ],
        ),
    ]
