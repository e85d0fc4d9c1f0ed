from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "silta.analytics"
    verbose_name = _("Handoff and response-time figures")
