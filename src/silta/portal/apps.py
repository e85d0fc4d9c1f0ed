from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client's own view (oma näkymä): what Kela and social services do together."""

    name = "silta.portal"
    label = "portal"
    verbose_name = _("Client's own view")

    def ready(self) -> None:
        from silta.portal import session  # noqa: F401  (connects the staff-login signal)
        from silta.portal.selectors import is_withheld
        from silta.referrals.client_notices import kept_from_client

        # A withheld referral's outcome notifies the client of nothing.
        kept_from_client(is_withheld)
