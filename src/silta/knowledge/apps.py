from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "silta.knowledge"
    verbose_name = _("Division-of-labour guide and guideline changes")
