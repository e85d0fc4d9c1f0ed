from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "silta.exchange"
    verbose_name = _("Shared cases and messages")

    def ready(self) -> None:
        # The consents pages ask whether a unit has a relation to a client; a shared
        # case is one of the facts, and cases are this app's.
        from silta.consents.relations import register_case_relation
        from silta.exchange.relations import case_parties

        register_case_relation(case_parties)
