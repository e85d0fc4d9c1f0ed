from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "silta.cooperation"
    verbose_name = _("Regional teams and cooperation forums")
