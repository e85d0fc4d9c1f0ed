from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "silta.exchange"
    verbose_name = _("Shared cases and messages")
