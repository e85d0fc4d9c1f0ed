"""Who and what the measurements look at: the busiest inbox, one of its workers, the
longest client history that worker may see, and a name to search for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection


@dataclass(frozen=True)
class Subjects:
    actor: Any  # silta.accounts.actor.Actor
    unit: Any  # silta.organisations.models.Unit
    inbox_size: int
    case_public_id: str
    case_id: int
    case_messages: int
    case_events: int
    search_term: str


def _one(query: str, params: list[Any]) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the bench database has no data: regenerate it")
    return tuple(row)


def pick_subjects() -> Subjects:
    from silta.accounts.actor import Actor
    from silta.accounts.models import User
    from silta.accounts.roles import Perm
    from silta.organisations.models import Unit
    from silta.organisations.selectors import own_unit

    unit_id, size = _one(
        "SELECT unit_id, count(*) FROM exchange_inboxentry GROUP BY unit_id "
        "ORDER BY count(*) DESC LIMIT 1",
        [],
    )
    (user_id,) = _one(
        "SELECT assignee_id FROM exchange_inboxentry WHERE unit_id = %s "
        "AND assignee_id IS NOT NULL GROUP BY assignee_id ORDER BY count(*) DESC LIMIT 1",
        [unit_id],
    )
    case_id, public_id, messages = _one(
        "SELECT c.id, c.public_id, sum(t.version) FROM exchange_case c "
        "JOIN exchange_thread t ON t.case_id = c.id "
        "WHERE c.kela_unit_id = %s OR c.social_unit_id = %s "
        "GROUP BY c.id ORDER BY sum(t.version) DESC LIMIT 1",
        [unit_id, unit_id],
    )
    (events,) = _one("SELECT count(*) FROM exchange_caseevent WHERE case_id = %s", [case_id])
    (last_name,) = _one(
        "SELECT c.last_name FROM exchange_inboxentry ie "
        "JOIN clients_client c ON c.id = ie.client_id WHERE ie.unit_id = %s "
        "ORDER BY ie.last_activity_at DESC LIMIT 1",
        [unit_id],
    )
    actor = Actor.for_user(User.objects.get(pk=user_id))
    unit_public_id = Unit.objects.get(pk=unit_id).public_id
    unit = own_unit(actor=actor, unit_id=unit_public_id, perm=Perm.CASE_VIEW)
    return Subjects(
        actor=actor,
        unit=unit,
        inbox_size=size,
        case_public_id=str(public_id),
        case_id=case_id,
        case_messages=messages,
        case_events=events,
        search_term=last_name[:5],
    )
