"""The generated history: clients, their shared cases, threads, messages and what follows.

One client at a time: the client's cases (client x Kela unit x social services unit,
skewed towards big organisers and busy teams), threads in each case, and messages in each
thread going back and forth. Everything derived from a message is written with it, so it
is consistent by construction: one ``message_sent`` case event and one ``delivered``
receipt per message; a ``read`` receipt and ``message_read`` event when the receiving unit
has read it (a unit has read everything it received before it last wrote); each thread's
two inbox entries carry the unread count, assignee, last activity and awaiting-reply time
the services would have left there.

Rows go straight into COPY text buffers (``buffers[table]``, one line per row); ids are
assigned here, in order, so the tables can be loaded independently and concurrently.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from bench.generation import data
from bench.generation.identity import test_identity_code
from bench.generation.textrows import NULL, escape, new_uuid, ts
from bench.generation.world import Organiser, UnitSpec, World

DAY = 86_400
HOUR = 3_600
GROWTH = 0.5  # activity at the start of the period relative to its growth over it
SWITCH_SIDE = 0.8  # chance that the next message comes from the other side
ASSIGNED = 0.7  # chance that a unit's inbox entry has an assignee
ASSIGNEE_WRITES = 0.8  # chance that the assignee (not a colleague) sends or reads
ATTACHMENT_RATE = 0.03
READ_MEAN = DAY  # mean delay before the receiving unit reads a message (nights too)
SLOW_READ_RATE = 0.05  # messages left unread for a week or two rather than a day
SLOW_READ_MEAN = 10 * DAY
CLOSE_AFTER = 30 * DAY
CLOSE_RATE = 0.85

Member = tuple[int, str]


@dataclass
class Ids:
    """The last id written to each table."""

    case: int = 0
    thread: int = 0
    inbox: int = 0
    message: int = 0
    attachment: int = 0
    receipt: int = 0
    event: int = 0


@dataclass
class Thread:
    """One thread being written: its parties, messages and who did what."""

    id: int
    case_id: int
    client_id: int
    units: tuple[UnitSpec, UnitSpec]  # (Kela unit, social services unit)
    starter: int  # 0 = Kela side, 1 = social services side
    times: list[int]
    sides: list[int]
    senders: list[Member]
    assignees: tuple[Member | None, Member | None]


def _bodies(rng: random.Random, count: int = 400) -> list[str]:
    bodies = []
    for _ in range(count):
        sentences = rng.sample(data.SENTENCES, rng.randint(1, 4))
        separator = "\n\n" if rng.random() < 0.3 else " "
        bodies.append(escape(separator.join(sentences)))
    return bodies


class Simulator:
    """Writes the rows of one client after another into ``buffers``."""

    def __init__(
        self,
        world: World,
        rng: random.Random,
        period: tuple[int, int],
        buffers: dict[str, list[str]],
        search_key: Callable[..., str],
    ) -> None:
        self.world, self.rng = world, rng
        self.start, self.now = period
        self.search_key = search_key
        self.ids = Ids()
        self.bodies = _bodies(rng)
        self._random = rng.random
        self._organiser_cum = list(accumulate(o.population_share for o in world.organisers))
        self._unit_cum = {
            id(units): list(accumulate(u.share for u in units))
            for units in [o.units for o in world.organisers]
            + list(world.kela_units_by_area.values())
        }
        out = buffers
        self._client = out["clients_client"].append
        self._case_row = out["exchange_case"].append
        self._thread_row = out["exchange_thread"].append
        self._inbox = out["exchange_inboxentry"].append
        self._message = out["exchange_message"].append
        self._attachment = out["exchange_attachment"].append
        self._receipt = out["exchange_receipt"].append
        self._event = out["exchange_caseevent"].append

    # -- picking ------------------------------------------------------------------

    def _pick_unit(self, units: list[UnitSpec]) -> UnitSpec:
        return self.rng.choices(units, cum_weights=self._unit_cum[id(units)])[0]

    def _moment(self, earlier: bool = False) -> int:
        """A time in the period, denser towards the end (use grows year by year)."""
        u = self.rng.random()
        if earlier:
            u = min(u, self.rng.random())
        x = -GROWTH + math.sqrt(GROWTH * GROWTH + 2 * u * (GROWTH + 0.5))
        return self.start + int(x * (self.now - self.start))

    def _actor(self, unit: UnitSpec, assignee: Member | None) -> Member:
        """Who acts for ``unit``: mostly the thread's assignee, else any member."""
        if assignee is not None and self._random() < ASSIGNEE_WRITES:
            return assignee
        members = unit.members
        return members[int(self._random() * len(members))]

    def _later(self, moment: int, delay: int) -> int:
        """``moment + delay``, or a random time up to now if that is in the future."""
        if moment + delay <= self.now:
            return moment + delay
        return moment + int((self.now - moment) * self._random())

    def _assignee(self, unit: UnitSpec) -> Member | None:
        members = unit.members
        if self._random() < ASSIGNED:
            return members[int(self._random() * len(members))]
        return None

    # -- clients and cases --------------------------------------------------------

    def client(self, index: int, message_counts: list[int]) -> None:
        """Client number ``index`` (0-based) with one case per entry of ``message_counts``."""
        rng = self.rng
        organiser: Organiser = rng.choices(self.world.organisers, cum_weights=self._organiser_cum)[
            0
        ]
        client_id = index + 1
        first = rng.choice(data.FIRST_NAMES)
        if rng.random() < 0.6:
            first = f"{first} {rng.choice(data.FIRST_NAMES)}"
        last = rng.choice(data.LAST_NAMES)
        pairs = self._unit_pairs(organiser, len(message_counts))
        if len(pairs) < len(message_counts):  # never two cases between the same parties
            cut = len(pairs) - 1
            message_counts = [*message_counts[:cut], sum(message_counts[cut:])]
        opened = []
        for (kela, social), count in zip(pairs, message_counts, strict=True):
            opened.append(self._case(client_id, kela, social, count))
        created_at, created_by = min(opened)
        created_at = max(self.start, created_at - rng.randrange(7 * DAY))
        self._client(
            f"{client_id}\t{new_uuid(rng)}\t{test_identity_code(index)}\t{first}\t{last}\t"
            f"{self.search_key(last, first)}\t{rng.choice(organiser.municipalities)}\t"
            f"{ts(created_at)}\t{created_by}\n"
        )

    def _unit_pairs(self, organiser: Organiser, count: int) -> list[tuple[UnitSpec, UnitSpec]]:
        """Up to ``count`` distinct (Kela unit, social unit) pairs."""
        kela_units = self.world.kela_units_by_area[organiser.area]
        pairs: list[tuple[UnitSpec, UnitSpec]] = []
        for _ in range(count * 10):
            pair = (self._pick_unit(kela_units), self._pick_unit(organiser.units))
            if pair not in pairs:
                pairs.append(pair)
                if len(pairs) == count:
                    break
        return pairs

    def _case(
        self, client_id: int, kela: UnitSpec, social: UnitSpec, count: int
    ) -> tuple[int, int]:
        """Write one case with ``count`` messages; return (opened at, opened by user id)."""
        rng, ids = self.rng, self.ids
        ids.case += 1
        case_id = ids.case
        units = (kela, social)
        opened_at = self._moment(earlier=count > 30)
        opener = 1 if rng.random() < 0.55 else 0
        opened_by = rng.choice(units[opener].members)
        legal = rng.choices(
            [b for b, _ in data.LEGAL_BASES], weights=[w for _, w in data.LEGAL_BASES]
        )[0]
        ids.event += 1
        self._event(
            f"{ids.event}\t{case_id}\t{NULL}\t{NULL}\tcase_opened\t{opened_by[0]}\t"
            f"{opened_by[1]}\t{units[opener].id}\t{ts(opened_at)}\t"
            f'{{"legal_basis": "{legal}"}}\n'
        )
        last_activity = opened_at
        for number, (start, length) in enumerate(self._thread_plan(opened_at, count)):
            starter = opener if number == 0 else rng.randrange(2)
            first_sender = opened_by if number == 0 else None
            last = self._thread(case_id, client_id, units, starter, start, length, first_sender)
            last_activity = max(last_activity, last)
        self._case_row(
            f"{case_id}\t{new_uuid(rng)}\t{client_id}\t{kela.id}\t{social.id}\t{legal}\t"
            f"{ts(opened_at)}\t{opened_by[0]}\t{units[opener].id}\t{ts(last_activity)}\n"
        )
        return opened_at, opened_by[0]

    def _thread_plan(self, opened_at: int, count: int) -> list[tuple[int, int]]:
        """(start time, message count) of each thread of a case with ``count`` messages."""
        rng = self.rng
        threads = max(1, min(count, round(count / rng.uniform(2.0, 5.0))))
        if threads == 1:
            lengths = [count]
        else:
            cuts = sorted(rng.sample(range(1, count), threads - 1))
            lengths = [b - a for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
        span = self.now - opened_at
        starts = sorted(opened_at + int(rng.random() * span * 0.98) for _ in lengths[1:])
        return list(zip([opened_at, *starts], lengths, strict=True))

    # -- threads ------------------------------------------------------------------

    def _thread(
        self,
        case_id: int,
        client_id: int,
        units: tuple[UnitSpec, UnitSpec],
        starter: int,
        start: int,
        count: int,
        first_sender: Member | None,
    ) -> int:
        """Write one thread and everything in it; return its last message time."""
        self.ids.thread += 1
        assignees = (self._assignee(units[0]), self._assignee(units[1]))
        times, sides = self._schedule(start, count, starter)
        actor = self._actor
        senders = [actor(units[s], assignees[s]) for s in sides]
        if first_sender is not None:
            senders[0] = first_sender
        thread = Thread(
            self.ids.thread, case_id, client_id, units, starter, times, sides, senders, assignees
        )
        unread = self._messages(thread, self._read_times(times, sides))
        closed_at = self._closing(thread)
        self._claims(thread)
        self._inbox_entries(thread, unread, closed_at)
        self._thread_row(
            f"{thread.id}\t{new_uuid(self.rng)}\t{case_id}\t{self.rng.choice(data.SUBJECTS)}\t"
            f"{units[starter].id}\t{ts(start)}\t{ts(times[-1])}\t"
            f"{'open' if closed_at is None else 'closed'}\t{count}\n"
        )
        return times[-1]

    def _schedule(self, start: int, count: int, starter: int) -> tuple[list[int], list[int]]:
        """Send times and sending sides: replies follow after hours or days."""
        random, now = self._random, self.now
        mean_gap = max(60.0, min(1.5 * DAY, (now - start) / (count + 1)))
        times, sides = [start], [starter]
        moment, side = start, starter
        for _ in range(count - 1):
            step = 60 - int(mean_gap * math.log(1.0 - random()))
            if moment + step > now:  # no pile-up of messages at the period's end
                step = int((now - moment) * random())
            moment += step
            if random() < SWITCH_SIDE:
                side = 1 - side
            times.append(moment)
            sides.append(side)
        return times, sides

    def _read_times(self, times: list[int], sides: list[int]) -> list[int]:
        """When the receiving unit read each message (0: not yet). A unit has read what it
        received before it next wrote in the thread."""
        random, now, log = self._random, self.now, math.log
        next_sent = [now + 1, now + 1]
        read_at = [0] * len(times)
        for k in range(len(times) - 1, -1, -1):
            sender = sides[k]
            mean = SLOW_READ_MEAN if random() < SLOW_READ_RATE else READ_MEAN
            at = times[k] + 60 - int(mean * log(1.0 - random()))
            reply = next_sent[1 - sender]
            if reply < at:
                at = reply
            if at <= now:
                read_at[k] = at
            next_sent[sender] = times[k]
        return read_at

    def _messages(self, thread: Thread, read_at: list[int]) -> list[int]:
        """Messages, their receipts and events, attachments; return unread per side."""
        random, ids, bodies, actor = self._random, self.ids, self.bodies, self._actor
        message, receipt, event = self._message, self._receipt, self._event
        tid, case_id, units = thread.id, thread.case_id, thread.units
        unit_ids = (units[0].id, units[1].id)
        uuid_bytes, body_count = self.rng.randbytes, len(bodies)
        unread = [0, 0]
        for k, side in enumerate(thread.sides):
            ids.message += 1
            mid, reader = ids.message, 1 - side
            user_id, label = thread.senders[k]
            when = ts(thread.times[k])
            files = self._attachments(mid, when) if random() < ATTACHMENT_RATE else 0
            h = uuid_bytes(16).hex()
            message(
                f"{mid}\t{h[:12]}4{h[13:16]}8{h[17:]}\t{tid}\t{case_id}\tfree_text\t"
                f"{bodies[int(random() * body_count)]}\t{{}}\t{user_id}\t{label}\t"
                f"{unit_ids[side]}\t{unit_ids[reader]}\t{when}\t{NULL}\n"
            )
            ids.receipt += 1
            receipt(f"{ids.receipt}\t{mid}\t{unit_ids[reader]}\tdelivered\t{NULL}\t\t{when}\n")
            ids.event += 1
            event(
                f"{ids.event}\t{case_id}\t{tid}\t{mid}\tmessage_sent\t{user_id}\t{label}\t"
                f'{unit_ids[side]}\t{when}\t{{"attachments": {files}}}\n'
            )
            if not read_at[k]:
                unread[reader] += 1
                continue
            user_id, label = actor(units[reader], thread.assignees[reader])
            when = ts(read_at[k])
            ids.receipt += 1
            receipt(f"{ids.receipt}\t{mid}\t{unit_ids[reader]}\tread\t{user_id}\t{label}\t{when}\n")
            ids.event += 1
            event(
                f"{ids.event}\t{case_id}\t{tid}\t{mid}\tmessage_read\t{user_id}\t{label}\t"
                f"{unit_ids[reader]}\t{when}\t{{}}\n"
            )
        return unread

    def _attachments(self, message_id: int, when: str) -> int:
        rng, ids = self.rng, self.ids
        count = 1 if rng.random() < 0.8 else 2
        for _ in range(count):
            ids.attachment += 1
            name, content_type = rng.choice(data.ATTACHMENT_NAMES)
            self._attachment(
                f"{ids.attachment}\t{new_uuid(rng)}\t{message_id}\tbench/{ids.attachment:09d}\t"
                f"{name}\t{content_type}\t{rng.randint(20_000, 3_000_000)}\t"
                f"{rng.getrandbits(256):064x}\t{when}\n"
            )
        return count

    def _thread_event(self, thread: Thread, kind: str, side: int, actor: Member, at: int) -> None:
        self.ids.event += 1
        self._event(
            f"{self.ids.event}\t{thread.case_id}\t{thread.id}\t{NULL}\t{kind}\t{actor[0]}\t"
            f"{actor[1]}\t{thread.units[side].id}\t{ts(at)}\t{{}}\n"
        )

    def _closing(self, thread: Thread) -> int | None:
        """thread_started and, for most quiet old threads, thread_closed: return closed at."""
        rng, last = self.rng, thread.times[-1]
        self._thread_event(
            thread, "thread_started", thread.starter, thread.senders[0], thread.times[0]
        )
        if self.now - last < CLOSE_AFTER or rng.random() > CLOSE_RATE:
            return None
        closed_at = self._later(last, HOUR + int(rng.expovariate(1 / (3 * DAY))))
        side = rng.randrange(2)
        closer = self._actor(thread.units[side], thread.assignees[side])
        self._thread_event(thread, "thread_closed", side, closer, closed_at)
        return closed_at

    def _claims(self, thread: Thread) -> None:
        for side, assignee in enumerate(thread.assignees):
            if assignee is not None:
                at = self._later(thread.times[0], 300 + int(self.rng.expovariate(1 / HOUR)))
                self._thread_event(thread, "thread_claimed", side, assignee, at)

    def _inbox_entries(self, thread: Thread, unread: list[int], closed_at: int | None) -> None:
        """The two parties' inbox entries, as the services leave them."""
        awaiting: list[str] = [NULL, NULL]
        if closed_at is None:
            sides, k = thread.sides, len(thread.sides) - 1
            while k > 0 and sides[k - 1] == sides[k]:
                k -= 1
            awaiting[1 - sides[k]] = ts(thread.times[k])
        last, is_open = ts(thread.times[-1]), "t" if closed_at is None else "f"
        for side in (0, 1):
            self.ids.inbox += 1
            assignee = thread.assignees[side]
            self._inbox(
                f"{self.ids.inbox}\t{thread.id}\t{thread.units[side].id}\t{thread.client_id}\t"
                f"{NULL if assignee is None else assignee[0]}\t{unread[side]}\t{last}\t"
                f"{awaiting[side]}\t{is_open}\n"
            )
