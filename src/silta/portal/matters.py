"""My matters: the client's shared cases, the referrals they may see in plain language,
and the deadlines that bind the authorities. Reads only; the view audits the page.

Which referrals the client sees: the type declares it (``TypeSpec.client_sees``), and a
worker may withhold one with a recorded reason (``models.Withholding``); the client is
told that something is not shown only for the reasons in ``models.TELL_CLIENT``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from silta.clients.models import Client, OwnWorker
from silta.core.prepared import Joined, Prepared, attnames
from silta.directory.hours import Schedule
from silta.directory.models import Channel, HoursException
from silta.directory.schedules import ChannelStatus, channel_schedule, channel_status
from silta.exchange.models import Case
from silta.organisations.models import Organisation, Unit
from silta.portal.models import TELL_CLIENT, Withholding
from silta.referrals.models import Referral
from silta.referrals.state import Status
from silta.referrals.typespec import ClientSees

REFERRAL_LIMIT = 50

# The verb of each deadline rule, said of the organisation the deadline binds.
DEADLINE_TEXTS = {
    "totul_14a_decision": "decides",
    "totul_14a_after_completion": "decides",
    "totul_14b_urgent": "decides",
    "totul_14d_meeting": "meeting",
    "shl_36_assessment": "assesses",
}


@dataclass(frozen=True)
class UnitContact:
    unit: Unit
    channels: list[ChannelStatus]


@dataclass(frozen=True)
class CaseCard:
    case: Case
    kela: UnitContact
    social: UnitContact
    own_worker: OwnWorker | None

    @property
    def contacts(self) -> tuple[UnitContact, UnitContact]:
        return (self.kela, self.social)


@dataclass(frozen=True)
class ReferralCard:
    referral: Referral
    title: str
    status: str
    outcome: str
    deadline: str


@dataclass(frozen=True)
class Matters:
    cases: list[CaseCard]
    referrals: list[ReferralCard]
    deadlines: list[str]
    withheld_told: int


def visible(referral: Referral) -> bool:
    """Does the referral's type let the client see it in its present state?"""
    sees = referral.spec.client_sees
    if sees == ClientSees.NEVER:
        return False
    if sees == ClientSees.RECEIVED:
        return referral.status != Status.REQUESTED
    if sees == ClientSees.COMPLETED:
        return referral.status == Status.COMPLETED
    return True


def _status_texts() -> dict[str, str]:
    """The states said to the client, naming who has it (``%(who)s``): translated once
    per page, not once per referral."""
    return {
        Status.REQUESTED: _("Sent to %(who)s. Not opened yet."),
        Status.RECEIVED: _("%(who)s has received it."),
        Status.ACCEPTED: _("%(who)s is handling it."),
        Status.IN_PROGRESS: _("%(who)s is handling it."),
        Status.ON_HOLD: _("%(who)s is waiting for more information."),
        Status.COMPLETED: _("Done."),
        Status.REJECTED: _("%(who)s did not take it on."),
        Status.RETURNED: _("%(who)s sent it back. It was sent to the wrong place."),
        Status.CANCELLED: _("Cancelled."),
    }


def _deadline_texts() -> dict[str, str]:
    """The deadline sentence of each verb in ``DEADLINE_TEXTS`` ("" for any other rule)."""
    return {
        "decides": _("%(who)s decides by %(date)s."),
        "meeting": _("%(who)s offers you a meeting by %(date)s."),
        "assesses": _("%(who)s assesses your need for support by %(date)s."),
        "": _("%(who)s answers by %(date)s."),
    }


class _Sayings:
    """What a page says of its referrals, translated once per page: the state and
    deadline sentences, "Kela", the type labels."""

    def __init__(self) -> None:
        self.status = _status_texts()
        self.deadline = _deadline_texts()
        self.kela = _("Kela")
        self.types: dict[str, str] = {}

    def who(self, unit: Unit) -> str:
        return self.kela if unit.is_kela else unit.organisation.name

    def type_label(self, referral: Referral) -> str:
        label = self.types.get(referral.type)
        if label is None:
            label = self.types[referral.type] = referral.type_label
        return label

    def status_of(self, referral: Referral) -> str:
        return self.status.get(referral.status, "") % {"who": self.who(referral.receiver_unit)}

    def deadline_of(self, referral: Referral) -> str:
        if not referral.is_open:
            return ""
        values = {
            "who": self.who(referral.receiver_unit),
            "date": formats.date_format(referral.due_date, "j.n.Y"),
        }
        return self.deadline[DEADLINE_TEXTS.get(referral.deadline_rule, "")] % values


def plain_status(referral: Referral) -> str:
    """The referral's state said to the client, naming who has it."""
    return _Sayings().status_of(referral)


def plain_outcome(referral: Referral) -> str:
    if referral.status != Status.COMPLETED or not referral.outcome:
        return ""
    text = referral.outcome_label
    if referral.outcome_date:
        text = f"{text} ({formats.date_format(referral.outcome_date, 'j.n.Y')})"
    return text


def deadline_text(referral: Referral) -> str:
    """ "Kela decides by 16.3.2027": the open referral's deadline, said of its receiver."""
    return _Sayings().deadline_of(referral)


_SAMPLE_CLIENT = 987_654_321_987  # a distinct object the queryset passes on unchanged


# The units' channels with their hours are public directory data read on every home page:
# kept a minute in the process's own memory (settings.CACHES["local"], bounded; a
# directory change shows within CHANNELS_TTL seconds, and no query is spent to look the
# entries up), keyed by the unit's public id so a reused row id never meets another
# unit's entry, and by the day the exceptions were read for.
CHANNELS_CACHE = "local"
CHANNELS_TTL = 60


def _channels_key(unit: Unit, today: dt.date) -> str:
    return f"portal:channels:{unit.pk}:{unit.public_id}:{today.isoformat()}"


Kept = list[tuple[Channel, Schedule]]


def _load_channels(unit_ids: list[int], today: dt.date) -> dict[int, Kept]:
    """The units' channels, each with its schedule from the weekly hours and the
    exceptions that can matter now (as the directory reads them): three queries for all
    the units together. The hour rows are dropped once read into the schedule, so what
    is kept is small (a cache hit unpickles no querysets)."""
    exceptions = HoursException.objects.filter(
        date__gte=today - dt.timedelta(days=1), date__lte=today + dt.timedelta(days=400)
    )
    rows = Channel.objects.filter(unit_id__in=unit_ids).prefetch_related(
        "weekly_hours", Prefetch("exceptions", queryset=exceptions)
    )
    found: dict[int, Kept] = {unit_id: [] for unit_id in unit_ids}
    for channel in rows.order_by("position", "pk"):
        schedule = channel_schedule(channel)
        channel._prefetched_objects_cache = {}  # type: ignore[attr-defined]
        found[channel.unit_id].append((channel, schedule))
    return found


def _channels(units: list[Unit], today: dt.date) -> dict[int, Kept]:
    cache = caches[CHANNELS_CACHE]
    keys = {unit.pk: _channels_key(unit, today) for unit in units}
    found = cache.get_many(list(keys.values()))
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [u for u in units if u.pk not in result]
    if missing:
        loaded = _load_channels([u.pk for u in missing], today)
        result.update(loaded)
        cache.set_many({keys[u.pk]: loaded[u.pk] for u in missing}, timeout=CHANNELS_TTL)
    return result


# The client's cases with both units and their organisations, as select_related would
# join them, and the own worker in the case's social services unit (unique per client and
# unit: each column a scalar subquery on that index), in one read compiled once per
# process (asked on every home page).
_CASE_JOIN = Joined(
    (Case, ""),
    (Unit, "kela_unit__"),
    (Organisation, "kela_unit__organisation__"),
    (Unit, "social_unit__"),
    (Organisation, "social_unit__organisation__"),
)
_WORKER_FIELDS = ("id", "name", "phone", "reachability")


def _worker_column(name: str) -> Subquery:
    return Subquery(
        OwnWorker.objects.filter(
            client_id=OuterRef("client_id"), unit_id=OuterRef("social_unit_id")
        ).values(name)[:1]
    )


_CLIENT_CASES = Prepared(
    lambda client_id: (
        Case.objects.filter(client_id=client_id)
        .annotate(**{f"worker_{name}": _worker_column(name) for name in _WORKER_FIELDS})
        .order_by("-last_activity_at", "pk")
        .values_list(*_CASE_JOIN.fields(), *(f"worker_{name}" for name in _WORKER_FIELDS))
    ),
    client_id=_SAMPLE_CLIENT,
)


def _cases_with_units(client_id: int) -> list[tuple[Case, OwnWorker | None]]:
    """The client's cases, each with its own worker (or None)."""
    found: list[tuple[Case, OwnWorker | None]] = []
    width = len(_WORKER_FIELDS)
    for row in _CLIENT_CASES.rows(client_id=client_id):
        case = _CASE_JOIN.build(row[:-width])[0]
        assert isinstance(case, Case)
        worker = None
        if row[-width] is not None:
            worker = OwnWorker.from_db(
                "default",
                ["id", "client_id", "unit_id", "name", "phone", "reachability"],
                [row[-width], client_id, case.social_unit_id, *row[-width + 1 :]],
            )
        found.append((case, worker))
    return found


def client_cases(client: Client, now: dt.datetime | None = None) -> list[CaseCard]:
    """The client's shared cases, each with both units, how to reach them and whether
    they are open now, and the own worker in the case's social services unit."""
    now = now or timezone.now()
    cases = _cases_with_units(client.pk)
    if not cases:
        return []
    units = {u.pk: u for c, _w in cases for u in (c.kela_unit, c.social_unit)}
    channels = _channels(list(units.values()), timezone.localdate(now))

    def contact(unit: Unit) -> UnitContact:
        return UnitContact(unit, [channel_status(c, s, now) for c, s in channels[unit.pk]])

    return [
        CaseCard(
            case=case,
            kela=contact(case.kela_unit),
            social=contact(case.social_unit),
            own_worker=worker,
        )
        for case, worker in cases
    ]


# A client's referrals with their withholding: asked on every home page, so its SQL is
# compiled once per process (``core.prepared``); the receiver unit is one of the units of
# the client's cases, already loaded.
_REFERRAL_FIELDS = attnames(Referral)
_CLIENT_REFERRALS = Prepared(
    lambda client_id: (
        Referral.objects.filter(case__client_id=client_id)
        .annotate(
            withheld_for=Subquery(
                Withholding.objects.filter(referral=OuterRef("pk"), lifted_at__isnull=True).values(
                    "reason"
                )[:1]
            )
        )
        .order_by("-sent_at", "-id")
        .values_list(*_REFERRAL_FIELDS, "withheld_for")[:REFERRAL_LIMIT]
    ),
    client_id=_SAMPLE_CLIENT,
)


def client_referrals(
    client: Client, units: dict[int, Unit] | None = None
) -> tuple[list[ReferralCard], int]:
    """The referrals the client may see, newest first, and how many withheld ones the
    client is to be told about (one query, the withholding read with each row).
    ``units``: the units of the client's cases, loaded (else read here)."""
    rows = _CLIENT_REFERRALS.rows(client_id=client.pk)
    referrals = [(Referral.from_db("default", _REFERRAL_FIELDS, row[:-1]), row[-1]) for row in rows]
    needed = {r.receiver_unit_id for r, _w in referrals} - set(units or {})
    known = dict(units or {})
    if needed:
        known.update(
            {u.pk: u for u in Unit.objects.filter(pk__in=needed).select_related("organisation")}
        )
    cards, told, say = [], 0, _Sayings()
    for referral, withheld_for in referrals:
        referral.receiver_unit = known[referral.receiver_unit_id]
        if withheld_for:
            told += withheld_for in TELL_CLIENT
            continue
        if not visible(referral):
            continue
        cards.append(
            ReferralCard(
                referral=referral,
                title=say.type_label(referral),
                status=say.status_of(referral),
                outcome=plain_outcome(referral),
                deadline=say.deadline_of(referral),
            )
        )
    return cards, told


def my_matters(client: Client) -> Matters:
    cases = client_cases(client)
    units = {c.unit.pk: c.unit for card in cases for c in card.contacts}
    cards, told = client_referrals(client, units)
    return Matters(
        cases=cases,
        referrals=cards,
        deadlines=[c.deadline for c in cards if c.deadline],
        withheld_told=told,
    )
