"""Patient and Consent reads, through the clients' and consents' own selectors.

A Patient carries the identity code, so it is read as the client page reveals the code:
only by a unit with a relation to the client (703/2023 9 §), one audit row for the reveal.
Consents follow the consents API: by the client's consent panel (``patient`` required).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from silta.accounts.actor import Actor
from silta.audit.denial import deny
from silta.clients.selectors import client_get, client_identity_code, client_lookup
from silta.consents.fhir import consent_resource
from silta.consents.selectors import consent_get, consent_panel, relates
from silta.fhir.codes import IDENTITY_CODE_SYSTEM
from silta.fhir.mappings.clients import patient_resource
from silta.fhir.outcome import FhirError
from silta.fhir.search import Search, reference_ids

CONSENT_PARAMS = ("patient", "status")


def patient_read(*, actor: Actor, patient_id: str) -> dict[str, Any]:
    client = client_get(actor=actor, client_id=patient_id, audit=False)
    if not relates(actor, client):
        raise deny(actor, hide=True, client=client, detail={"client": patient_id})
    return patient_resource(client, client_identity_code(actor=actor, client=client))


def consent_read(*, actor: Actor, consent_id: str) -> dict[str, Any]:
    return consent_resource(consent_get(actor=actor, consent_id=consent_id), timezone.now())


def consent_search(*, actor: Actor, search: Search) -> tuple[list[dict[str, Any]], bool]:
    """A client's consents (``patient`` required), in force first; one audit row."""
    patient = search.first("patient")
    if patient is None:
        raise FhirError(
            400, "patient_required", _("Search consents by patient (patient=Patient/<id>).")
        )
    client_id = reference_ids([patient], "Patient", "patient")[0]
    panel = consent_panel(actor=actor, client_id=client_id, refuse_unrelated=True)
    resources = [consent_resource(c, panel.at) for c in [*panel.in_force, *panel.history]]
    if statuses := search.params.get("status"):
        resources = [r for r in resources if r["status"] in statuses]
    chunk = resources[search.offset : search.offset + search.count]
    return chunk, len(resources) > search.offset + search.count


def patient_search(*, actor: Actor, identifier: str) -> list[dict[str, Any]]:
    """``identifier=urn:oid:1.2.246.21|<code>``, POSTed (the code never in a URL): the
    client as the JSON API's lookup finds it (audited whether found or not), as a Patient
    to a unit with a relation to the client; otherwise nothing."""
    system, bar, code = identifier.partition("|")
    if not bar or system != IDENTITY_CODE_SYSTEM:
        raise FhirError(
            400,
            "invalid_identifier",
            _("Search by identifier=%(system)s|<identity code>.")
            % {"system": IDENTITY_CODE_SYSTEM},
        )
    client = client_lookup(actor=actor, identity_code=code)
    if client is None or not relates(actor, client):
        return []
    return [patient_resource(client, client.identity_code)]
