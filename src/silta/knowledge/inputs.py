"""The typed inputs of every write (from a web form or an API body alike)."""

from __future__ import annotations

import datetime as dt
import uuid

import pydantic


class _Input(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True)


class StepInput(_Input):
    """One step of who covers the expense, in order."""

    payer: str
    note_fi: str = ""
    note_sv: str = ""


class VersionInput(_Input):
    """The text of a guide version, in Finnish and Swedish."""

    title_fi: str = ""
    title_sv: str = ""
    summary_fi: str = ""
    summary_sv: str = ""
    steps: tuple[StepInput, ...] = ()
    conditions_fi: str = ""
    conditions_sv: str = ""
    law: str = ""
    kela_reference: str = ""
    organiser_reference: str = ""
    examples_fi: str = ""
    examples_sv: str = ""


class ReviewRequestInput(_Input):
    """Send a draft to a named reviewer of the other organisation."""

    reviewer_id: uuid.UUID | None = None


class ReviewInput(_Input):
    """The reviewer's word: a comment, an approval, or a request for changes."""

    kind: str = "comment"
    body: str = ""


class BulletinInput(_Input):
    """A guideline change: what, why, from when, which topics and expense kinds (guide
    entry slugs) it touches and which organisations it concerns (their public ids)."""

    title: str = ""
    summary: str = ""
    what_changes: str = ""
    why: str = ""
    effective_date: dt.date | None = None
    topics: tuple[str, ...] = ()
    expense_kinds: tuple[str, ...] = ()
    organisations: tuple[uuid.UUID, ...] = ()


class PostInput(_Input):
    """A question or an answer in a bulletin's thread."""

    body: str = ""
