from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    name = "silta.oidc"
    label = "oidc"
    verbose_name = _("Sign-in through an identity provider")

    def ready(self) -> None:
        from silta.oidc import checks  # noqa: F401 - registers the settings checks
