from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "silta.knowledge"
    verbose_name = _("Division-of-labour guide and guideline changes")

    def ready(self) -> None:
        # Referral returns ask whether the guide has an entry for a kind (reference layer).
        from silta.knowledge.work import kind_has_entry
        from silta.reference.expense_kinds import register_guide_lookup

        register_guide_lookup(kind_has_entry)
