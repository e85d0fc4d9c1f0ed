from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel

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
    lawful_bases: list[str] | None = Field(
        None,
        description="With no_lawful_basis: the statutory bases (ids of GET /statutory-bases) "
        "that would make the disclosure lawful; resend with one as statutory_basis.",
    )


class Out(BaseModel):
    """A response body that the operation builds as plain dicts and lists: pydantic
    validates it directly. (ninja's ``Schema`` wraps every value to read attributes of
    ORM objects, three to four times the cost on a page of fifty messages: issue 10.)"""
