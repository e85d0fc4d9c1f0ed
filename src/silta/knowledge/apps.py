from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "silta.knowledge"
    verbose_name = _("Division-of-labour guide and guideline changes")

    def ready(self) -> None:
        # Lower layers ask the guide through registries, never importing it: referral
        # returns whether a kind has an entry, the daily digest for the bulletins' section.
        from silta.core.digest import register_section
        from silta.knowledge.digest import digest_section
        from silta.knowledge.work import kind_has_entry
        from silta.reference.expense_kinds import register_guide_lookup

        register_guide_lookup(kind_has_entry)
        register_section("knowledge", digest_section)
