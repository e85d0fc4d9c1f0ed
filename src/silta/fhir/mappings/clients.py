"""The client as a FHIR Patient: the identity code only as an identifier with the national
system (``urn:oid:1.2.246.21``), never in an id or a URL; the ``id`` is the client's
opaque public id."""

from __future__ import annotations

from typing import Any

from silta.clients.models import Client
from silta.fhir.codes import IDENTITY_CODE_SYSTEM

MUNICIPALITY_SYSTEM = "urn:oid:1.2.246.537.6.21"  # Statistics Finland's municipality codes


def patient_resource(client: Client, identity_code: str) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(client.public_id),
        "identifier": [{"use": "official", "system": IDENTITY_CODE_SYSTEM, "value": identity_code}],
        "name": [
            {
                "use": "official",
                "family": client.last_name,
                "given": client.first_names.split(),
                "text": client.full_name,
            }
        ],
        "address": [
            {
                "use": "home",
                "city": client.municipality.name,
                "extension": [
                    {
                        "url": "https://silta.example.fi/fhir/StructureDefinition/municipality",
                        "valueCoding": {
                            "system": MUNICIPALITY_SYSTEM,
                            "code": client.municipality.code,
                        },
                    }
                ],
            }
        ],
    }
    if client.birth_date:
        patient["birthDate"] = client.birth_date.isoformat()
    return patient
