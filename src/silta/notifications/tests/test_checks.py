"""The settings checks: Suomi.fi Messages is either off or configured completely over
https (plain http only to a loopback fake), and only known channels are named."""

from __future__ import annotations

from silta.notifications.checks import notification_channels, suomifi_messages_settings


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_off_by_default_is_fine(settings):
    assert settings.SILTA_SUOMIFI_MESSAGES_URL == ""
    assert suomifi_messages_settings() == []


def test_on_needs_the_user_the_password_and_the_service(settings):
    settings.SILTA_SUOMIFI_MESSAGES_URL = "https://api.messages-qa.suomi.fi"
    errors = suomifi_messages_settings()
    assert ids(errors) == ["silta.notifications.E001"]
    assert "SILTA_SUOMIFI_MESSAGES_SERVICE_ID" in errors[0].msg
    settings.SILTA_SUOMIFI_MESSAGES_USERNAME = "silta"
    settings.SILTA_SUOMIFI_MESSAGES_PASSWORD = "secret"
    settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID = "silta-service"
    assert suomifi_messages_settings() == []


def test_plain_http_only_on_loopback(settings):
    settings.SILTA_SUOMIFI_MESSAGES_USERNAME = "silta"
    settings.SILTA_SUOMIFI_MESSAGES_PASSWORD = "secret"
    settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID = "silta-service"
    settings.SILTA_SUOMIFI_MESSAGES_URL = "http://api.messages.suomi.fi"
    assert ids(suomifi_messages_settings()) == ["silta.notifications.E002"]
    settings.SILTA_SUOMIFI_MESSAGES_URL = "http://127.0.0.1:8765"
    assert suomifi_messages_settings() == []


def test_only_known_channels(settings):
    assert notification_channels() == []
    settings.SILTA_NOTIFICATION_CHANNELS = ["email", "sms"]
    assert ids(notification_channels()) == ["silta.notifications.E003"]
