"""Referral types are read from the type registry; referral thread subjects become keys.

A referral's thread was titled with the type's name in the sender's language
("Siirretty hakemus"); it now stores ``silta:referral:<type>`` and every reader sees the
name in their own language (``silta.exchange.subjects``). Reversing writes the names
back in the default language.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

import silta.referrals.types

PREFIX = "silta:referral:"


def subjects_to_keys(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    Thread = apps.get_model("exchange", "Thread")
    codes = Referral.objects.values_list("type", flat=True).distinct()
    for code in codes:
        threads = Referral.objects.filter(type=code).values("thread_id")
        Thread.objects.filter(pk__in=threads).update(subject=f"{PREFIX}{code}")


def keys_to_subjects(apps, schema_editor):
    Thread = apps.get_model("exchange", "Thread")
    with translation.override(settings.LANGUAGE_CODE):
        for code, label in silta.referrals.types.type_choices():
            Thread.objects.filter(subject=f"{PREFIX}{code}").update(subject=str(label)[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_referral_referral_in_open_due_and_more"),
        ("exchange", "0004_alter_caseevent_case_alter_message_thread_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="type",
            field=models.CharField(
                choices=silta.referrals.types.type_choices, max_length=40, verbose_name="type"
            ),
        ),
        migrations.RunPython(subjects_to_keys, keys_to_subjects),
    ]
