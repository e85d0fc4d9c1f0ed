"""What a notification says: only that there is something new in Silta, and the link.

The same words for every kind and every channel, in the client's chosen language (plain
language, selkokieli habits: short sentences, the action first). Nothing about the
client goes in: no name, no identity code, no case, meeting or consent detail; the kind
only chooses which page the link opens. Silta sends as an authority: the sender is Kela
and social services' shared service, named in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from silta.notifications.models import Notification, NotificationKind

# The client's own view; its pages are tried in order, the view's root last.
PORTAL_ROOT = "/oma/"
PAGES: dict[str, tuple[str, ...]] = {
    NotificationKind.MEETING_CONFIRMED: ("portal:meetings",),
    NotificationKind.MEETING_CHANGED: ("portal:meetings",),
    NotificationKind.MEETING_CANCELLED: ("portal:meetings",),
    NotificationKind.MEETING_REQUEST_ANSWERED: ("portal:meetings",),
    NotificationKind.CONSENT_EXPIRING: ("portal:consents",),
    NotificationKind.REFERRAL_OUTCOME: ("portal:matters",),
}


def link_path_for(kind: str) -> str:
    """The path of the client's page for ``kind`` (the own view's root if it has none)."""
    for name in (*PAGES.get(kind, ()), "portal:home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return PORTAL_ROOT


def absolute(path: str) -> str:
    return settings.SILTA_PUBLIC_URL.rstrip("/") + path


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def render(notification: Notification) -> Text:
    """The title and body in the notification's language."""
    with translation.override(notification.language):
        title = _("Silta: you have new information")
        body = "\n\n".join(
            [
                _("Hello,"),
                _("There is something new for you in Silta. Sign in to see it:"),
                absolute(notification.link_path),
                _(
                    "For your privacy this message does not tell more. "
                    "Please do not reply to this message."
                ),
                _("Kela and social services, Silta"),
            ]
        )
    return Text(title=title, body=body + "\n")
