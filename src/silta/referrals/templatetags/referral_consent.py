"""The referral page's warning when a consent the referral was sent on has been revoked
(``consent_flags.revocations_of``; the page's view is untouched)."""

from __future__ import annotations

from django import template

from silta.consents.models import ConsentRevocation
from silta.referrals.consent_flags import revocations_of
from silta.referrals.models import Referral

register = template.Library()


@register.simple_tag
def consent_revocations(referral: Referral) -> list[ConsentRevocation]:
    return revocations_of(referral)
