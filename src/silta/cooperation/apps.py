from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "silta.cooperation"
    verbose_name = _("Regional teams and cooperation forums")

    def ready(self) -> None:
        # Lower layers take this app's parts through registries, never importing it: the
        # daily digest (sent by referrals) lists the forums' open follow-up actions, and
        # the directory's unit page and listing show a unit's teams.
        from silta.cooperation.digest import digest_section
        from silta.cooperation.unit_panel import unit_teams_panel
        from silta.core.digest import register_section
        from silta.directory.panels import register_unit_panel

        register_section("cooperation", digest_section)
        register_unit_panel("cooperation_teams", unit_teams_panel)
