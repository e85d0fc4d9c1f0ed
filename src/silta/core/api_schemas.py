from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

# DDMMYYCZZZQ (11 characters); whitespace in it is ignored.
IdentityCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=20,
        description="Finnish personal identity code, DDMMYYCZZZQ (whitespace is ignored)",
    ),
]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
