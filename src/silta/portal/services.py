"""What the client (or their attorney) does in the own view, and a worker's withholding
of one referral. One typed input per write; every write audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.consents.codes import GivenBy, GivenHow
from silta.consents.models import Consent, ConsentRevocation
from silta.consents.services import (
    ConsentInput,
    consent_give_in_own_view,
    consent_revoke_in_own_view,
)
from silta.core.errors import Conflict, Invalid
from silta.exchange.models import Case
from silta.portal.access import client_actor
from silta.portal.models import Withholding, WithholdReason
from silta.portal.permissions import withholding_unit
from silta.portal.selectors import current_wording
from silta.portal.session import SignedInClient
from silta.referrals.client_notices import notify_step
from silta.referrals.models import Referral
from silta.referrals.services import meeting_request_by_client
from silta.referrals.state import Action, Status


@dataclass(frozen=True, kw_only=True)
class GiveConsent:
    case: Case  # the organiser is this case's social services organiser
    purposes: Sequence[str]
    agreed: bool
    language: str


def give_consent(me: SignedInClient, data: GiveConsent) -> Consent:
    """The client agrees to the current wording for the chosen purposes (all of its data
    categories), recorded in the case's social services unit."""
    if not data.agreed:
        raise Invalid(_("Tick the box to show that you agree."), code="not_agreed", field="agreed")
    wording = current_wording()
    if wording is None:
        raise Invalid(_("Giving a consent is not possible right now."), code="no_wording")
    poa = me.power_of_attorney
    consent_input = ConsentInput(
        given_by=GivenBy.ATTORNEY if poa is not None else GivenBy.CLIENT,
        organiser_id=data.case.social_unit.organisation.public_id,
        purposes=list(data.purposes),
        categories=list(wording.categories),
        given_how=GivenHow.OWN_VIEW,
        wording_version=wording.version,
        wording_language="sv" if data.language == "sv" else "fi",
        power_of_attorney_id=poa.public_id if poa is not None else None,
    )
    return consent_give_in_own_view(
        actor=client_actor(me),
        client=me.subject,
        data=consent_input,
        unit_id=data.case.social_unit_id,
    )


def revoke_consent(me: SignedInClient, consent: Consent) -> ConsentRevocation:
    """Revoked at once; a second revocation (also one at the same moment) is refused with
    409 already_revoked and nothing changes."""
    return consent_revoke_in_own_view(
        actor=client_actor(me), consent=consent, unit_id=consent.recorded_by_unit_id
    )


def ask_joint_meeting(me: SignedInClient, case: Case, wishes: str) -> Referral:
    """Totul 14 d §: the request reaches the case's Kela unit with its 7-working-day
    deadline; one pending request at a time (409 meeting_request_pending)."""
    text = " ".join((wishes or "").split())
    if not text:
        text = _("The client asks for a joint meeting of Kela and social services.")
    return meeting_request_by_client(actor=client_actor(me), case=case, proposed_times=text)


@dataclass(frozen=True, kw_only=True)
class WithholdInput:
    reason: str
    note: str = ""


def withhold(*, actor: Actor, referral: Referral, data: WithholdInput) -> Withholding:
    """Keep ``referral`` from the client's own view for a reason the law allows."""
    unit = withholding_unit(actor, referral)
    if unit is None:
        raise deny(actor, obj=referral, detail={"perm": "withhold"})
    if data.reason not in WithholdReason.values:
        raise Invalid(_("Choose the reason."), code="reason_required", field="reason")
    try:
        with transaction.atomic():
            row = Withholding.objects.create(
                referral=referral,
                reason=data.reason,
                note=data.note.strip()[:500],
                unit_id=unit,
                by=actor.user,
                by_label=actor.label[:300],
                at=timezone.now(),
            )
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=referral,
                client=referral.case.client,
                unit_id=unit,
                detail={"withheld_from_client": data.reason},
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This referral is already withheld from the client."), code="already_withheld"
        ) from exc
    return row


def release(*, actor: Actor, referral: Referral) -> None:
    """The client sees ``referral`` again (the withholding stays recorded as lifted); a
    completed one's outcome is then notified to the client."""
    unit = withholding_unit(actor, referral)
    if unit is None:
        raise deny(actor, obj=referral, detail={"perm": "withhold"})
    with transaction.atomic():
        lifted = Withholding.objects.filter(referral=referral, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by_label=actor.label[:300]
        )
        if not lifted:
            raise Conflict(_("This referral is not withheld."), code="not_withheld")
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            client=referral.case.client,
            unit_id=unit,
            detail={"withheld_from_client": ""},
        )
        if referral.status == Status.COMPLETED:
            # Its outcome was kept back: it is news to the client from now (if its type
            # shows it), as a completion would have been.
            notify_step(referral, Action.COMPLETE)
