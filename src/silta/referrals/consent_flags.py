"""Referrals sent on a consent that the client then revoked (suostumuksen peruutus).

A revoked consent stops sharing at once (``consents.disclosures``); the referrals already
sent on it stay, but both sides must see that the basis is gone. ``consents`` sits below
``referrals`` and does not know them: it sends ``consents.signals.consent_revoked`` once the
revocation is committed, and ``on_consent_revoked`` (connected in ``ReferralsConfig.ready``)
writes one "consent revoked" step on every OPEN referral whose disclosure log rows
(luovutusloki, ``object_type`` "referral") rest on that consent: on the referral's history
and on the case timeline, seen by both parties. Closed referrals are not flagged: nothing
more goes out on them. ``revocations_of`` is the referral page's warning.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from silta.accounts.actor import Actor
from silta.consents.models import Consent, ConsentRevocation, Disclosure
from silta.core.ids import parse_uuid
from silta.referrals.history import log_step
from silta.referrals.models import CONSENT_REVOKED, Referral, ReferralEvent
from silta.referrals.state import OPEN_STATES

# The disclosure log's ``object_type`` of a referral (``object_id``: its public id).
REFERRAL_OBJECT = "referral"


def referrals_on_consent(consent: Consent) -> QuerySet[Referral]:
    """The open referrals of which a disclosure rests on ``consent``."""
    object_ids = Disclosure.objects.filter(
        client_id=consent.client_id, consent=consent, object_type=REFERRAL_OBJECT
    ).values_list("object_id", flat=True)
    public_ids = {key for key in map(parse_uuid, object_ids) if key is not None}
    return Referral.objects.filter(
        public_id__in=public_ids, case__client_id=consent.client_id, status__in=OPEN_STATES
    )


def flag_referrals(
    *, consent: Consent, revocation: ConsentRevocation, actor: Actor
) -> list[Referral]:
    """Write the "consent revoked" step on each open referral sent on ``consent`` (once per
    referral and consent); returns the referrals flagged now."""
    marker = str(consent.public_id)
    with transaction.atomic():
        referrals = list(referrals_on_consent(consent).order_by("pk"))
        flagged_before = set(
            ReferralEvent.objects.filter(
                referral__in=referrals, action=CONSENT_REVOKED, detail__consent=marker
            ).values_list("referral_id", flat=True)
        )
        flagged = [r for r in referrals if r.pk not in flagged_before]
        for referral in flagged:
            log_step(
                actor,
                referral,
                CONSENT_REVOKED,
                referral.status,
                referral.status,
                revocation.revoked_by_unit_id,
                revocation.revoked_at,
                {"consent": marker, "how": revocation.how},
            )
    return flagged


def on_consent_revoked(
    sender: Any,
    *,
    consent: Consent,
    revocation: ConsentRevocation,
    actor: Actor,
    **kwargs: Any,
) -> None:
    """The ``consent_revoked`` receiver (sent on commit)."""
    flag_referrals(consent=consent, revocation=revocation, actor=actor)


def revocations_of(referral: Referral) -> list[ConsentRevocation]:
    """The revocations of the consents this referral was disclosed on, oldest first (the
    referral page warns with them; empty when none was revoked or it went on the law)."""
    consent_ids = Disclosure.objects.filter(
        client_id=referral.case.client_id,
        object_type=REFERRAL_OBJECT,
        object_id=str(referral.public_id),
        consent__isnull=False,
    ).values("consent_id")
    return list(
        ConsentRevocation.objects.filter(consent_id__in=consent_ids)
        .select_related("consent")
        .order_by("revoked_at", "pk")
    )
