from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "silta.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Every app announces its changes through silta.core.events; the webhooks turn the
        # announcements for subscribed units into deliveries.
        from silta.core.events import register
        from silta.webhooks.outbox import event_record

        register(event_record)
