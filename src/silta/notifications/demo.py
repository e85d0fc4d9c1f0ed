"""Notifications in the demo: Aino Lehtonen (demo client 0, the local provider's "aino")
has chosen e-mail in Finnish, so the demo's staff actions on her matters (a meeting
confirmed, an outcome) send her a notification, printed in the demo's window by the
console e-mail backend. The other clients have chosen nothing ("no channel" in the log).
Suomi.fi Messages stays off in the demo (no SILTA_SUOMIFI_MESSAGES_URL)."""

from __future__ import annotations

from silta.clients.models import Client
from silta.notifications.services import PreferenceInput, preference_set


def seed(clients: list[Client]) -> None:
    preference_set(
        client=clients[0],
        data=PreferenceInput(email="aino.lehtonen@example.fi", language="fi"),
    )
