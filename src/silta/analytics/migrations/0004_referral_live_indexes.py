from django.db import migrations

# The response figures' live part (analytics.response_sql): referrals not settled by
# arrival day, settled ones by the time they were settled, and every referral by arrival
# day (the days not built yet). Raw SQL on the referrals' table, as 0001 and 0002 do.
SETTLED = "('completed', 'rejected', 'cancelled')"


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_response_day"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX analytics_referral_unsettled ON referrals_referral (arrived_on) "
            f"WHERE status NOT IN {SETTLED}",
            "DROP INDEX analytics_referral_unsettled",
        ),
        migrations.RunSQL(
            "CREATE INDEX analytics_referral_settled_at ON referrals_referral (closed_at) "
            f"WHERE status IN {SETTLED}",
            "DROP INDEX analytics_referral_settled_at",
        ),
        migrations.RunSQL(
            "CREATE INDEX analytics_referral_arrived ON referrals_referral (arrived_on)",
            "DROP INDEX analytics_referral_arrived",
        ),
    ]
