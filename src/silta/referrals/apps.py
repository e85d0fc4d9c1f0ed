from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from silta.consents.signals import consent_revoked


class ReferralsConfig(AppConfig):
    name = "silta.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        # consents sits below referrals: it signals a revocation, referrals flag their own
        # open referrals. Imported here, as Django requires: it loads models.
        from silta.referrals.consent_flags import on_consent_revoked

        consent_revoked.connect(on_consent_revoked, dispatch_uid="referrals.consent_flags")
