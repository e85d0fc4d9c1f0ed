"""The rows of a worker's open actions, compiled once per process and shape (issue 11).

"My open actions" is read on every visit of the list, by the API and by the digest's
owners. Django compiled its five-table query on every call, as long as the database took
to answer it on the national data (bench: ``measurement/meetings.py``). Here its SQL is
compiled once per shape (``core.prepared``): the unit and participant id lists are padded
to the next power of two by repeating their last id (an ``IN`` list's duplicates change
nothing), so a handful of shapes serve every actor. The rows come back as ``values_list``
and are built into the instances ``select_related`` would give (the action, its meeting,
the meeting's case and client, the owner unit or participant): only the fields the list,
the API and the audit row read.
"""

from __future__ import annotations

import threading
from typing import Any, cast

from django.db.models import Model

from silta.clients.models import Client
from silta.core.prepared import Prepared
from silta.exchange.models import Case
from silta.meetings.models import ActionStatus, Meeting, MeetingAction, Participant
from silta.meetings.permissions import open_actions_q
from silta.organisations.models import Unit

LIST_LIMIT = 200
_NONE = -1  # no unit or participant has this id: an empty set matches nothing

_ACTION_FIELDS = (
    "id", "public_id", "meeting_id", "text", "owner_unit_id", "owner_participant_id",
    "due_date", "status",
)  # fmt: skip


def _in_model_order(model: type[Model], names: tuple[str, ...]) -> tuple[str, ...]:
    """``from_db`` takes a subset of the fields in the model's own order."""
    order = [f.attname for f in model._meta.concrete_fields]
    return tuple(sorted(names, key=order.index))


# (model, path from the action, fields read): in the row's order.
_PARTS: tuple[tuple[type[Model], str, tuple[str, ...]], ...] = tuple(
    (model, path, _in_model_order(model, names))
    for model, path, names in (
        (MeetingAction, "", _ACTION_FIELDS),
        (Meeting, "meeting__", ("id", "public_id", "title", "case_id")),
        (Case, "meeting__case__", ("id", "client_id", "kela_unit_id", "social_unit_id")),
        (Client, "meeting__case__client__", ("id", "public_id")),
        (Unit, "owner_unit__", ("id", "public_id", "name_fi", "name_sv")),
        (Participant, "owner_participant__", ("id", "public_id", "name", "user_id", "unit_id")),
    )
)
_COLUMNS = [path + name for _model, path, names in _PARTS for name in names]
_SAMPLE_BASE = 987_654_321_000
# The participant rows of the actor that own an open action (few: the list's own).
_MINE = Prepared(
    lambda user_id: (
        MeetingAction.objects.filter(owner_participant__user_id=user_id)
        .exclude(status=ActionStatus.DONE)
        .values_list("owner_participant_id")
    ),
    user_id=987_654_329_999,
)
_shapes: dict[tuple[int, int], Prepared] = {}
_lock = threading.Lock()


def _padded(ids: list[int]) -> list[int]:
    ids = sorted(set(ids)) or [_NONE]
    size = 1
    while size < len(ids):
        size *= 2
    return ids + [ids[-1]] * (size - len(ids))


def _prepared(units: int, participants: int) -> Prepared:
    key = (units, participants)
    with _lock:
        found = _shapes.get(key)
        if found is None:
            # Distinct int objects the queryset passes to the driver unchanged.
            samples = {f"u{i}": int(str(_SAMPLE_BASE + i)) for i in range(units)}
            samples |= {f"p{i}": int(str(_SAMPLE_BASE + 5000 + i)) for i in range(participants)}

            def build(**ids: int) -> Any:
                unit_ids = [ids[f"u{i}"] for i in range(units)]
                mine = [ids[f"p{i}"] for i in range(participants)]
                return (
                    MeetingAction.objects.filter(open_actions_q(unit_ids, mine))
                    .exclude(status=ActionStatus.DONE)
                    .order_by("due_date", "pk")
                    .values_list(*_COLUMNS)[:LIST_LIMIT]
                )

            found = _shapes[key] = Prepared(build, **samples)
    return found


def _built(row: tuple[Any, ...]) -> MeetingAction:
    values, made = list(row), []
    for model, _path, names in _PARTS:
        part, values = values[: len(names)], values[len(names) :]
        made.append(model.from_db("default", list(names), part) if part[0] is not None else None)
    action, meeting, case, client, unit, participant = cast(list[Any], made)
    case._state.fields_cache["client"] = client
    meeting._state.fields_cache["case"] = case
    action._state.fields_cache["meeting"] = meeting
    action._state.fields_cache["owner_unit"] = unit
    action._state.fields_cache["owner_participant"] = participant
    assert isinstance(action, MeetingAction)
    return action


def open_action_rows(*, unit_ids: frozenset[int], user_id: int | None) -> list[MeetingAction]:
    """Open actions owned by ``unit_ids`` or by the user ``user_id`` on meetings of cases of
    ``unit_ids``, the earliest due first (at most ``LIST_LIMIT``)."""
    owned = [row[0] for row in _MINE.rows(user_id=user_id)] if user_id is not None else []
    units, mine = _padded(list(unit_ids)), _padded(owned)
    prepared = _prepared(len(units), len(mine))
    values: dict[str, Any] = {f"u{i}": v for i, v in enumerate(units)}
    values |= {f"p{i}": v for i, v in enumerate(mine)}
    return [_built(row) for row in prepared.rows(**values)]
