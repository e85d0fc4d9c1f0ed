"""The typed input of every subscription write (from the admin form or an API body)."""

from __future__ import annotations

import pydantic


class SubscriptionInput(pydantic.BaseModel):
    """Where to deliver (https; plain http only to this machine in development and tests),
    which event types, and whether deliveries are on."""

    model_config = pydantic.ConfigDict(frozen=True)

    url: str = pydantic.Field(max_length=500)
    event_types: list[str] = pydantic.Field(min_length=1, max_length=20)
    description: str = pydantic.Field(default="", max_length=200)
    is_active: bool = True
