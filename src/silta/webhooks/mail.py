"""The e-mail to a unit's administrators when its subscription has been turned off.

It names the unit, the address and why; no event or client data. Each person gets it in
the language they chose in Silta (Finnish by default).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation
from django.utils.translation import gettext as _

from silta.accounts.models import Membership
from silta.webhooks.models import Subscription
from silta.webhooks.permissions import manager_roles


def administrators(sub: Subscription) -> list[tuple[str, str]]:
    """(address, language) of the people who manage the unit's subscriptions; if the unit
    has none, those of its organisation."""
    people = Membership.objects.filter(
        role__in=manager_roles(), user__is_active=True, unit__is_active=True
    ).exclude(user__email="")
    found = people.filter(unit_id=sub.unit_id) or people.filter(
        unit__organisation_id=sub.unit.organisation_id
    )
    rows = found.values_list("user__email", "user__language").distinct()
    return sorted({(email, language or settings.LANGUAGE_CODE) for email, language in rows})


def _message(sub: Subscription, address: str) -> EmailMessage:
    reason = (
        _("The receiver answered 410 Gone: it no longer wants the events.")
        if sub.disabled_reason == "gone"
        else _("Deliveries to it failed %(count)d times in a row.")
        % {"count": sub.consecutive_failures}
    )
    body = "\n".join(
        [
            _("Silta has turned off a webhook subscription of your unit %(unit)s.")
            % {"unit": sub.unit.name},
            "",
            _("Address: %(url)s") % {"url": sub.url},
            reason,
            "",
            _(
                "Events are kept. When the receiver works again, turn the subscription on "
                "in the admin or through the API: the waiting events are then delivered, "
                "and the given-up ones can be replayed."
            ),
        ]
    )
    subject = _("Silta: a webhook subscription was turned off (%(unit)s)") % {"unit": sub.unit.name}
    return EmailMessage(subject, body + "\n", settings.DEFAULT_FROM_EMAIL, [address])


def send_disabled_mail(sub: Subscription) -> int:
    messages = []
    for address, language in administrators(sub):
        with translation.override(language):
            messages.append(_message(sub, address))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
