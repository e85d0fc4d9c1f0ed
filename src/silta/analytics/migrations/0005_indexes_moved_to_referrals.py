from django.db import migrations

# The indexes 0001 and 0004 made on the referrals' tables are now the referrals app's own
# (Referral.Meta / ReferralEvent.Meta, referrals 0006, same columns and conditions), so
# the copies made here are dropped. Reversing recreates them as they were.
#
# 0002's index on exchange_thread (created_at WHERE expense_kind <> '') stays here: the
# exchange app is edited by others at the same time, and moving it means a migration in
# that app; it is the next one to move (the same two steps as below).
SETTLED = "('completed', 'rejected', 'cancelled')"
MOVED = [
    (
        "analytics_handoff_event_at",
        "ON referrals_referralevent (at) WHERE action IN ('return', 'resend', 'complete')",
    ),
    (
        "analytics_referral_unsettled",
        f"ON referrals_referral (arrived_on) WHERE status NOT IN {SETTLED}",
    ),
    (
        "analytics_referral_settled_at",
        f"ON referrals_referral (closed_at) WHERE status IN {SETTLED}",
    ),
    ("analytics_referral_arrived", "ON referrals_referral (arrived_on)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_referral_live_indexes"),
        ("referrals", "0006_response_and_handoff_indexes"),
    ]

    operations = [
        migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX {name} {target}")
        for name, target in MOVED
    ]
