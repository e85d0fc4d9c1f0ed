"""Signals other apps listen to, so that consents need not know them (the layers).

``consent_revoked`` is sent once the revocation is committed (``transaction.on_commit``),
with ``consent``, ``revocation`` and ``actor`` (who recorded it): a listener may flag what
rested on the consent, e.g. the open referrals sent on it (``referrals.consent_flags``).
A revocation that is rolled back sends nothing.
"""

from __future__ import annotations

from django.dispatch import Signal

consent_revoked = Signal()
