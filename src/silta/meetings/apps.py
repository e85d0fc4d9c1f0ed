from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "silta.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # The daily digest (sent by referrals, a lower layer) lists the open actions.
        from silta.core.digest import register_section
        from silta.meetings.digest import digest_section

        register_section("meetings", digest_section)
