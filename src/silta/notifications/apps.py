from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications to the client: something new in Silta, by e-mail or Suomi.fi Messages."""

    name = "silta.notifications"
    label = "notifications"
    verbose_name = _("Notifications to clients")

    def ready(self) -> None:
        from silta.notifications import checks  # noqa: F401  (registers the settings check)
