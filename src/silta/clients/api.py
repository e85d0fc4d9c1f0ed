"""API: look up and create clients."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from silta.api_keys.auth import READING, api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.clients.models import Client
from silta.clients.selectors import client_lookup
from silta.clients.services import client_create
from silta.core.api_schemas import ErrorOut, IdentityCode
from silta.core.errors import NotFound

router = Router(tags=["clients"])


class IdentityCodeIn(Schema):
    identity_code: IdentityCode


class ClientIn(Schema):
    identity_code: IdentityCode
    first_names: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    municipality_code: str = Field(
        min_length=1, max_length=3, description="Statistics Finland's code, e.g. 297 (Kuopio)"
    )


class ClientOut(Schema):
    id: uuid.UUID
    first_names: str
    last_name: str
    municipality_code: str
    municipality_name: str

    @staticmethod
    def of(client: Client) -> dict[str, Any]:
        return ClientOut(
            id=client.public_id,
            first_names=client.first_names,
            last_name=client.last_name,
            municipality_code=client.municipality.code,
            municipality_name=client.municipality.name,
        ).model_dump(mode="json")


@router.post(
    "/clients/lookup",
    response={200: ClientOut, 404: ErrorOut, 400: ErrorOut, 403: ErrorOut},
    summary="Find a client by identity code (sent in the body, never in the URL)",
    auth=READING,
)
def lookup(request: HttpRequest, data: IdentityCodeIn) -> Any:
    client = client_lookup(actor=api_actor(request), identity_code=data.identity_code)
    if client is None:
        raise NotFound(_("No client with this identity code."))
    return ClientOut.of(client)


@router.post(
    "/clients",
    response={201: ClientOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Add a client (a client exists once: 409 if the identity code is known)",
)
def create(request: HttpRequest, data: ClientIn) -> Any:
    def handler() -> tuple[int, Any]:
        client = client_create(actor=api_actor(request), **data.model_dump())
        return 201, ClientOut.of(client)

    return Status(*run_idempotent(request, data.model_dump(), handler))
