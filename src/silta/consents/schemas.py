"""The API's lawful-basis fields, shared by every operation that discloses."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Form, Schema

from silta.consents.bases import BASES
from silta.consents.codes import Circumstance
from silta.consents.gate import BasisChoice

if TYPE_CHECKING:  # the codes come from the data; to the type checker they are text
    BasisId = str
    CircumstanceCode = str
else:
    BasisId = Literal[tuple(BASES)]
    CircumstanceCode = Literal[tuple(Circumstance.values)]

CONSENT_HELP = (
    "A consent of the client (GET /clients/{id}/consents) to disclose on; omitted: Silta "
    "uses a consent in force that covers the disclosure."
)
BASIS_HELP = (
    "The statutory basis to disclose on when no consent covers it (GET /statutory-bases). "
    "Without a consent or a basis the answer is 422 no_lawful_basis, listing lawful_bases; "
    "resend with one of them (and a new Idempotency-Key: the refusal is stored as the key's "
    "answer)."
)
CIRCUMSTANCE_HELP = "The fact the sender affirms where the basis needs one (SHL 35 § 2 mom.)."


# The same fields as multipart form fields (messages with documents).
ConsentIdForm = Annotated[uuid.UUID | None, Form(None, description=CONSENT_HELP)]
BasisIdForm = Annotated[BasisId | None, Form(None, description=BASIS_HELP)]
CircumstanceForm = Annotated[CircumstanceCode | None, Form(None, description=CIRCUMSTANCE_HELP)]


class BasisIn(Schema):
    consent_id: uuid.UUID | None = Field(None, description=CONSENT_HELP)
    statutory_basis: BasisId | None = Field(None, description=BASIS_HELP)
    circumstance: CircumstanceCode | None = Field(None, description=CIRCUMSTANCE_HELP)

    def basis_choice(self) -> BasisChoice:
        return basis_choice(self.consent_id, self.statutory_basis, self.circumstance)


def basis_choice(consent_id: Any, statutory_basis: Any, circumstance: Any) -> BasisChoice:
    return BasisChoice(
        consent_id=consent_id,
        statutory_basis=statutory_basis or "",
        circumstance=circumstance or "",
    )
